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


def reset_peak() -> bool:
    """Start the peak (VmHWM) again from the current resident size, so one step's peak can be read
    on its own (Linux: ``clear_refs`` 5). False where that is not possible; the peak then covers the process."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True
