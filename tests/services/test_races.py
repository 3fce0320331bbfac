"""Several real processes on one SQLite file: a lost race is a conflict message, never a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.services.app import AppServices
from tests.accounts import open_as
from tests.services.test_complaints import sample

REPO = Path(__file__).resolve().parents[2]


def test_four_processes_hammering_one_sqlite_file_raise_nothing_unhandled(services: AppServices,
                                                                           db_url: str) -> None:
    numbers = [services.complaints.create(services.actor, sample()).number for _ in range(3)]
    logins = [f"seat{i}" for i in range(int(os.environ.get("RACE_PROCESSES", "4")))]
    for login in logins:
        open_as(db_url, login, role="agent").close()
    seconds = float(os.environ.get("RACE_SECONDS", "8"))
    workers = [subprocess.Popen([sys.executable, "-m", "tests.services.race_worker", db_url, login, str(seconds),
                                 ",".join(numbers)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for login in logins]
    outputs: list[tuple[int, str, str]] = []
    try:
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            outputs.append((worker.returncode, out, err))
    finally:
        # A failed or slow worker must not outlive the test and hold the store open for the next one.
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.communicate()
    results = []
    for returncode, out, err in outputs:
        assert returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    saved = sum(r["saved"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    print(f"\n{len(logins)} processes x {seconds:.0f} s on 3 cases: {saved} saves, {conflicts} conflicts, "
          f"{sum(r['refused'] for r in results)} refused steps, {sum(r['busy'] for r in results)} busy")
    assert [u for r in results for u in r["unhandled"]] == []
    assert saved > 0 and conflicts > 0
    events = services.complaints.events(numbers[0])
    assert len(events) >= 1
