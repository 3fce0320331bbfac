"""This process's memory, for the benchmarks (Linux /proc; zeros where it does not exist)."""

from __future__ import annotations

from pathlib import Path


def resident_mb() -> tuple[float, float]:
    """Resident and peak resident memory of this process, in MB."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            key = line.split(":")[0]
            if key in values:
                values[key] = int(line.split()[1]) / 1024
    return round(values["VmRSS"], 1), round(values["VmHWM"], 1)
