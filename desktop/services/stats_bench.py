"""Benchmark of the statistics at scale (bounded): ``python -m desktop.services.stats_bench PATH [ROWS]``.

Builds (once) a synthetic SQLite store of ROWS complaints received over 2025 — 50 agents, every
category and channel, ~8% still open, 10% with compensation, 1% appealed — then times a year and a
month of supervisor statistics from the per-day summary against a recount from the complaints, and
checks the summary against a recount. Prints one JSON object. Nothing else is written.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from desktop.domain.codes import Category, Channel
from desktop.services.demo import demo_admin_seat
from desktop.services.identity import new_user
from desktop.services.stats import Period
from desktop.store.stats_summary import summary_differences

_BJ = timezone(timedelta(hours=8))
_NOW = datetime(2026, 1, 20, tzinfo=UTC)
_INSERT = (
    "INSERT INTO complaints (uuid, number, version, received_at, received_day, channel, category, customer_name, "
    "phone, description, demand, validity, status, is_open, assigned_agent_id, clock_start_at, reply_due_date, "
    "reply_due_at, ack_due_at, deadline_rule, calendar_provisional, created_at, created_by_id, updated_at, reply_at, "
    "satisfaction, compensation, appeal_date, closed_at) VALUES "
    "(?, ?, 1, ?, ?, ?, ?, '客户', ?, '描述', '诉求', ?, ?, ?, ?, ?, ?, ?, ?, 'reply', 0, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _row(rnd: random.Random, day: date, serial: int, agents: list[int], late_in_year: bool) -> tuple[Any, ...]:
    received = datetime(day.year, day.month, day.day, 8, tzinfo=_BJ) + timedelta(seconds=rnd.randrange(12 * 3600))
    due_day = day + timedelta(days=15)
    due_at = datetime(due_day.year, due_day.month, due_day.day, tzinfo=_BJ) + timedelta(days=1)
    status, is_open, reply_at, satisfaction, closed = "closed", 0, None, None, None
    draw = rnd.random()
    if (late_in_year and draw < 0.5) or draw < 0.03:
        status, is_open = rnd.choice(["registered", "acknowledged", "investigating", "pending_approval"]), 1
    else:
        reply_at = received + timedelta(hours=rnd.randrange(6, 20 * 24))
        if draw < 0.08:
            status = "replied"
        else:
            satisfaction, closed = rnd.randint(1, 5), reply_at + timedelta(days=2)
    compensation = rnd.randrange(100, 50000) if rnd.random() < 0.1 else None
    appeal = (day + timedelta(days=20)).isoformat() if rnd.random() < 0.01 else None
    return (str(uuid.UUID(int=rnd.getrandbits(128))), f"TS-{day:%Y%m%d}-{serial:04d}", _utc(received),
            day.isoformat(), rnd.choice(list(Channel)).value, rnd.choice(list(Category)).value,
            f"1{rnd.randrange(30, 99)}{rnd.randrange(0, 700000):08d}", "invalid" if rnd.random() < 0.04 else "valid",
            status, is_open, rnd.choice(agents), _utc(received), due_day.isoformat(), _utc(due_at),
            _utc(received + timedelta(days=1)), _utc(received), agents[0], _utc(received),
            None if reply_at is None else _utc(reply_at), satisfaction, compensation, appeal,
            None if closed is None else _utc(closed))


def build(path: Path, rows: int) -> float:
    """Create the store through the migrations, then insert ``rows`` complaints in one transaction."""
    started = time.perf_counter()
    app = demo_admin_seat(f"sqlite:///{path}")  # a benchmark store is a demo store
    with app.sessions.begin() as session:
        agents = [new_user(session, f"agent{i:02d}", f"坐席{i:02d}", "agent", "一班" if i < 25 else "二班", None).id
                  for i in range(50)]
    app.close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    rnd = random.Random(42)
    per_day = rows // 365
    connection.execute("BEGIN")
    batch: list[tuple[Any, ...]] = []
    for day_index in range(365):
        day = date(2025, 1, 1) + timedelta(days=day_index)
        for serial in range(1, (per_day if day_index < 364 else rows - per_day * 364) + 1):
            batch.append(_row(rnd, day, serial, agents, day_index > 330))
            if len(batch) >= 20000:
                connection.executemany(_INSERT, batch)
                batch.clear()
    connection.executemany(_INSERT, batch)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return time.perf_counter() - started


def measure(path: Path, repeat: int = 5) -> dict[str, Any]:
    result: dict[str, Any] = {}
    started = time.perf_counter()
    app = demo_admin_seat(f"sqlite:///{path}")
    result["open_s"] = round(time.perf_counter() - started, 1)
    try:
        for name, period, from_summary, runs in (
                ("year_summary", Period(date(2025, 1, 1), date(2025, 12, 31)), True, repeat),
                ("month_summary", Period(date(2025, 11, 1), date(2025, 11, 30)), True, repeat),
                ("year_recount", Period(date(2025, 1, 1), date(2025, 12, 31)), False, 2)):
            samples = []
            for _run in range(runs):
                started = time.perf_counter()
                stats = app.stats.compute(period, now=_NOW, from_summary=from_summary)
                samples.append((time.perf_counter() - started) * 1000)
            result[name] = {"median_ms": round(statistics.median(samples)), "runs_ms": [round(s) for s in samples],
                            "received": stats.totals.received, "on_time_rate": stats.totals.on_time_rate,
                            "overdue_open": stats.totals.overdue_open, "repeat_numbers": stats.totals.repeat_numbers}
        started = time.perf_counter()
        with app.engine.connect() as connection:
            differences = summary_differences(connection)
        result["check_s"] = round(time.perf_counter() - started, 1)
        result["differences"] = len(differences)
    finally:
        app.close()
    return result


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    path = Path(argv[0])
    rows = int(argv[1]) if len(argv) > 1 else 1_000_000
    output: dict[str, Any] = {"rows": rows}
    if not path.exists():
        output["build_s"] = round(build(path, rows), 1)
    output.update(measure(path))
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
