"""The store benchmark: each figure beside the same work through plain sqlite3, in the same run."""

from __future__ import annotations

import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop.services.app import AppServices, Store
from desktop.services.demo import DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD, DemoGenerator, ensure_demo_accounts, generate
from desktop.services.queue import QueueFilter, QueueQuery

_QUEUE_SQL = (
    "SELECT c.id, c.number, c.received_at, c.customer_name, c.phone, c.category, c.channel, c.status, "
    "u.display_name, c.reply_due_date, c.reply_due_at, c.calendar_provisional "
    "FROM complaints c LEFT OUTER JOIN users u ON u.id = c.assigned_agent_id "
    "WHERE c.is_open = 1 ORDER BY c.reply_due_at, c.id LIMIT 200 OFFSET 0"
)
_REPEAT_SQL = (
    "SELECT c.id, c.number, c.received_at, c.customer_name, c.phone, c.category, c.channel, c.status, "
    "u.display_name, c.reply_due_date, c.reply_due_at, c.calendar_provisional, c.description "
    "FROM complaints c LEFT OUTER JOIN users u ON u.id = c.assigned_agent_id "
    "WHERE c.phone = ? ORDER BY c.received_at DESC LIMIT 50"
)
_INSERT_COMPLAINT_SQL = (
    "INSERT INTO complaints (uuid, number, version, received_at, received_day, channel, category, customer_name, "
    "phone, description, demand, validity, status, is_open, assigned_agent_id, clock_start_at, reply_due_date, "
    "reply_due_at, ack_due_at, deadline_rule, calendar_provisional, created_at, created_by_id, updated_at) "
    "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', 'registered', 1, ?, ?, ?, ?, ?, 'reply', 0, ?, ?, ?)"
)
_INSERT_EVENT_SQL = (
    "INSERT INTO complaint_events (complaint_id, at, actor_id, kind, changes) VALUES (?, ?, ?, 'created', '{}')"
)


def _median_ms(func: Callable[[], Any], repeat: int) -> float:
    func()  # warm caches and compiled statements; the desk runs warm too
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _figure(name: str, app_ms: float, raw_ms: float) -> dict[str, Any]:
    return {"name": name, "app_ms": round(app_ms, 3), "raw_ms": round(raw_ms, 3),
            "ratio": round(app_ms / raw_ms, 2) if raw_ms else None}


def _raw_connection(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def run_bench(url: str, rows: int, *, repeat: int = 30,
              progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    store = Store.open(url)
    ensure_demo_accounts(store.sessions)  # a benchmark store is a demo store: its admin sees every case
    try:
        services = store.sign_in(DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD)
    except BaseException:
        store.close()
        raise
    try:
        existing = services.complaints.count()
        if existing < rows:
            generate(services.sessions, services.complaints, services.actor, rows - existing,
                     seed=7 + existing, progress=progress)
        path = url.removeprefix("sqlite:///")
        raw = _raw_connection(path)
        figures = [
            _bench_queue(services, raw, repeat),
            _bench_repeat(services, raw, repeat),
            _bench_save(services, raw, repeat),
        ]
        raw.close()
        return {"rows": services.complaints.count(), "figures": figures}
    finally:
        services.close()


def _bench_queue(services: AppServices, raw: sqlite3.Connection, repeat: int) -> dict[str, Any]:
    query = QueueQuery(filter=QueueFilter.OPEN)
    app_ms = _median_ms(lambda: services.queue.fetch(query, 0, 200), repeat)
    raw_ms = _median_ms(lambda: raw.execute(_QUEUE_SQL).fetchall(), repeat)
    return _figure("queue_first_page", app_ms, raw_ms)


def _bench_repeat(services: AppServices, raw: sqlite3.Connection, repeat: int) -> dict[str, Any]:
    # The most frequent number among early rows is one of the demo's repeat complainers,
    # so the lookup has real history to return.
    phone = raw.execute("SELECT phone FROM complaints WHERE id <= 20000 GROUP BY phone "
                        "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    app_ms = _median_ms(lambda: services.complaints.earlier_from_number(phone), repeat)
    raw_ms = _median_ms(lambda: raw.execute(_REPEAT_SQL, (phone,)).fetchall(), repeat)
    return _figure("repeat_lookup", app_ms, raw_ms)


def _bench_save(services: AppServices, raw: sqlite3.Connection, repeat: int) -> dict[str, Any]:
    generator = DemoGenerator(seed=99, now=datetime.now(UTC))
    actor = services.actor

    def app_save() -> None:
        data = generator.complaint()
        data.pop("contact_phone")
        services.complaints.create(actor, data)

    counter = iter(range(10**9))

    def raw_save() -> None:
        data = generator.complaint()
        received = data["received_at"].astimezone(UTC)
        stamp = received.replace(tzinfo=None).isoformat(sep=" ")
        due = (received + timedelta(days=15)).replace(tzinfo=None).isoformat(sep=" ")
        raw.execute("BEGIN")
        cursor = raw.execute(_INSERT_COMPLAINT_SQL, (
            str(uuid.uuid4()), f"RAW-{next(counter):08d}-{uuid.uuid4().hex[:8]}", stamp,
            received.date().isoformat(), data["channel"], data["category"], data["customer_name"], data["phone"],
            data["description"], data["demand"], actor.id, stamp, received.date().isoformat(), due, due, stamp,
            actor.id, stamp,
        ))
        raw.execute(_INSERT_EVENT_SQL, (cursor.lastrowid, stamp, actor.id))
        raw.execute("COMMIT")

    app_ms = _median_ms(app_save, repeat)
    raw_ms = _median_ms(raw_save, repeat)
    return _figure("save_complaint", app_ms, raw_ms)
