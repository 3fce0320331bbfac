"""Figures for issue #9 part B: bundle export/import for N cases, and how fast a change reaches another seat.

``python -m desktop.bundle.bench --db URL --cases 1000`` (a throwaway store: it adds demo cases, a
demo signing key in the data folder and a review bundle).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.bundle.file import Decision, read_bundle
from desktop.letters.keys import (
    create_site_ca,
    issue_agent_certificate,
    load_key_and_chain,
    site_ca_dir,
    site_trust_roots,
)
from desktop.services.app import AppServices
from desktop.services.bundles import BundleService
from desktop.services.demo import demo_admin_seat, generate
from desktop.store.changes import OpChanges, wait_for

KEY_PASSPHRASE = b"bench-key-passphrase"
PASSPHRASE = "bench-bundle-passphrase"


def bundle_figures(services: AppServices, count: int, folder: Path) -> dict[str, Any]:
    generate(services.sessions, services.complaints, services.actor, count, seed=11)
    bundles = BundleService(services.sessions, services.complaints, services.actor)
    numbers = bundles.select_numbers()[:count]
    ca = create_site_ca(site_ca_dir(), "Bench site", KEY_PASSPHRASE)
    key, certificate, _chain = load_key_and_chain(
        issue_agent_certificate(ca, services.actor.display_name, KEY_PASSPHRASE), KEY_PASSPHRASE)
    path = folder / "bench.cdbundle"
    started = time.perf_counter()
    result = bundles.export(services.actor, numbers, path, passphrase=PASSPHRASE, expires_in=timedelta(days=1),
                            key=key, certificate=certificate)
    export_s = time.perf_counter() - started
    started = time.perf_counter()
    bundle = read_bundle(path, site_trust_roots()).open(PASSPHRASE)
    open_s = time.perf_counter() - started
    started = time.perf_counter()
    for case in bundle.cases:
        bundle.record(Decision(str(uuid.uuid4()), "comment", case["number"], case["version"], {"text": "已阅"},
                               datetime.now(UTC).isoformat(), services.actor.login))
    record_s = time.perf_counter() - started
    started = time.perf_counter()
    outcome = bundles.apply(services.actor, read_bundle(path, site_trust_roots()).open(PASSPHRASE))
    import_s = time.perf_counter() - started
    return {"cases": result.case_count, "bundle_bytes": result.size, "export_s": round(export_s, 3),
            "open_s": round(open_s, 3), "record_decisions_s": round(record_s, 3),
            "journal_bytes": (folder / "bench.cdbundle.journal").stat().st_size,
            "import_s": round(import_s, 3), "applied": len(outcome.applied), "conflicts": len(outcome.conflicts)}


def change_latency(url: str, samples: int) -> dict[str, Any]:
    """Milliseconds from a committed change on seat A to seat B's feed delivering it."""
    a, b = demo_admin_seat(url), demo_admin_seat(url)
    seen: list[OpChanges] = []
    b.changes.subscribe(seen.append)
    b.changes.start()
    b.changes.listening.wait(10)  # the figure is a change's way to a listening seat, not the connecting
    number = a.complaints.create(a.actor, {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline",
                                           "category": "billing", "customer_name": "张三", "phone": "13812345678",
                                           "description": "多扣费。", "demand": "退费"}).number
    times = []
    try:
        for index in range(samples):
            seen.clear()
            version = a.complaints.get(number).version
            a.complaints.update(a.actor, number, {"investigation_notes": f"第{index}次"}, version)
            committed = time.perf_counter()
            wait_for(lambda: any(number in c.numbers for c in seen), 10)
            times.append((time.perf_counter() - committed) * 1000)
            time.sleep(0.05)
    finally:
        a.close()
        b.close()
    return {"samples": samples, "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "min_ms": round(min(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m desktop.bundle.bench")
    parser.add_argument("--db", required=True)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    services = demo_admin_seat(args.db)  # a benchmark store is a demo store
    try:
        with tempfile.TemporaryDirectory() as folder:
            sys.stdout.write(f"{bundle_figures(services, args.cases, Path(folder))}\n")
    finally:
        services.close()
    sys.stdout.write(f"{change_latency(args.db, args.samples)}\n")


if __name__ == "__main__":
    main()
