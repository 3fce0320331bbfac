"""The store benchmark: each figure beside the same SQL replayed through the plain driver, in one run.

What the app runs is captured with SQLAlchemy's ``before_cursor_execute`` hook while it does the
work once, then replayed through a plain ``sqlite3`` or ``psycopg`` connection: the ratio is the
cost of everything the app adds (statement building, type conversion, records) over the database's
own work. Writes cannot be replayed (numbers are unique), so a save is compared with a hand-written
INSERT of the same row and its history event.

The store is measured as a user's would be: the product's own maintenance (statistics taken when a
store is opened stale, after bulk changes) and nothing benchmark-only; ``maintenance`` in the output
says what the product did.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url

from desktop.domain.deadlines import BEIJING, build_rules, compute_deadline
from desktop.memory import reset_peak, resident_mb
from desktop.services.app import AppServices
from desktop.services.case_rows import lock_for_write
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.demo import DemoGenerator, demo_admin_seat, generate
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.services.recompute import RecomputeResult, recompute_in_batches
from desktop.store.maintenance import analyze, statistics_are_current

_INSERT_COMPLAINT_SQL = (
    "INSERT INTO complaints (uuid, number, version, received_at, received_day, channel, category, customer_name, "
    "phone, description, demand, validity, status, is_open, assigned_agent_id, clock_start_at, reply_due_date, "
    "reply_due_at, ack_due_at, deadline_rule, calendar_provisional, created_at, created_by_id, updated_at) "
    "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', 'registered', ?, ?, ?, ?, ?, ?, 'reply', ?, ?, ?, ?)"
)
_INSERT_EVENT_SQL = (
    "INSERT INTO complaint_events (complaint_id, at, actor_id, kind, changes) VALUES (?, ?, ?, 'created', '{}')"
)
# Targets from the issues (ms unless named otherwise); a figure over its target is flagged.
TARGETS: dict[str, float] = {
    "queue_first_page": 100, "queue_sort_customer": 100, "queue_sort_received": 100, "queue_overdue": 100,
    "search_rare_3char": 100, "search_common_3char": 100, "repeat_lookup": 5, "case_open": 50,
    "save_complaint": 30, "recompute_open_deadlines": 3000,
}
SearchTerms = tuple[str, str]
Statement = tuple[str, Any, bool]  # SQL, parameters, executemany


def _median_ms(func: Callable[[], Any], repeat: int) -> float:
    func()  # warm caches and compiled statements; the desk runs warm too
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _figure(name: str, app_ms: float, raw_ms: float | None, **extra: Any) -> dict[str, Any]:
    target = TARGETS.get(name)
    return {"name": name, "app_ms": round(app_ms, 3), "raw_ms": None if raw_ms is None else round(raw_ms, 3),
            "ratio": round(app_ms / raw_ms, 2) if raw_ms else None, "target_ms": target,
            "within_target": None if target is None else app_ms <= target, **extra}


class _Capture:
    """Records the SQL (and parameters) the app sends while ``capture`` runs a call on ``seat``.

    ``seat`` is a second seat on the same store, kept for capturing: a listener stays on an engine
    for good and costs every later statement on it 10-12 µs (a third of a case open on SQLite),
    so the seat whose calls are timed carries none, as the product's seats carry none.
    """

    def __init__(self, seat: AppServices) -> None:
        self.seat = seat
        self._active = False
        self.statements: list[Statement] = []
        event.listen(seat.engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                    executemany: bool) -> None:
        if self._active:
            self.statements.append((statement, parameters, executemany))

    def capture(self, func: Callable[[], Any]) -> list[Statement]:
        self.statements = []
        self._active = True
        try:
            func()
        finally:
            self._active = False
        return list(self.statements)


class _Raw:
    """The plain driver on the same database: sqlite3 or psycopg, autocommit, the product's pragmas."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.connection: Any = sqlite3.connect(parsed.database or "", isolation_level=None)
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=5000"):
                self.connection.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            self.connection = psycopg.connect(dsn, autocommit=True)

    def replay(self, statements: Sequence[Statement]) -> None:
        cursor = self.connection.cursor()
        for sql, parameters, many in statements:
            if many:
                cursor.executemany(sql, parameters)
                continue
            cursor.execute(sql, parameters)
            if cursor.description is not None:
                cursor.fetchall()

    def replay_rolled_back(self, statements: Sequence[Statement]) -> None:
        """``statements`` in one transaction that is then rolled back (a write measured, not kept)."""
        if self.dialect == "sqlite":
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                self.replay(statements)
            finally:
                self.connection.execute("ROLLBACK")
            return
        with self.connection.transaction(force_rollback=True):
            self.replay(statements)

    def insert_complaint(self, values: Sequence[Any], event_values: Callable[[int], Sequence[Any]]) -> None:
        cursor = self.connection.cursor()
        if self.dialect == "sqlite":
            cursor.execute("BEGIN")
            cursor.execute(_INSERT_COMPLAINT_SQL, values)
            cursor.execute(_INSERT_EVENT_SQL, event_values(cursor.lastrowid))
            cursor.execute("COMMIT")
            return
        with self.connection.transaction():
            cursor.execute(_INSERT_COMPLAINT_SQL.replace("?", "%s") + " RETURNING id", values)
            cursor.execute(_INSERT_EVENT_SQL.replace("?", "%s"), event_values(cursor.fetchone()[0]))

    def scalar(self, sql: str) -> Any:
        cursor = self.connection.cursor()
        cursor.execute(sql)
        return cursor.fetchone()[0]

    def close(self) -> None:
        self.connection.close()


def _peak_rss_mb() -> float:
    return resident_mb()[1]


def run_bench(url: str, rows: int, *, repeat: int = 30, searches: SearchTerms = ("王建国", "营业厅"),
              progress: Callable[[int], None] | None = None, export_to: Path | None = None,
              import_rows: int = 0) -> dict[str, Any]:
    """The figures; with ``export_to`` (a folder) also a full CSV and XLSX export of every row (slow);
    with ``import_rows`` also an import of that many new complaints from a CSV file (they are kept)."""
    maintenance: list[str] = []
    services = demo_admin_seat(url)  # a benchmark store is a demo store: its admin sees every case
    if services.analysed_at_open:
        maintenance.append("analysed at open (statistics were missing or stale, as on any start)")
    try:
        existing = services.complaints.count()
        if existing < rows:
            generate(services.sessions, services.complaints, services.actor, rows - existing,
                     seed=7 + existing, progress=progress)
            analyze(services.engine)  # what `complaint-desk demo-data` does after generating
            maintenance.append("analysed after demo generation (as demo-data does)")
        if not maintenance:
            maintenance.append("statistics current at open" if statistics_are_current(services.engine)
                               else "statistics stale")
        capture = _Capture(demo_admin_seat(url))
        raw = _Raw(url)
        try:
            figures = [
                *_bench_queue(services, capture, raw, repeat),
                *_bench_search(services, capture, raw, repeat, searches),
                _bench_repeat(services, capture, raw, repeat),
                _bench_case_open(services, capture, raw, repeat),
                _bench_save(services, raw, repeat),
                _bench_statistics(services, capture, raw, repeat),
                _bench_recompute(services, capture, raw),
            ]
            # The product refreshes statistics after a recompute that moved cases (on PostgreSQL
            # VACUUM (ANALYZE), which also clears the dead row versions). The rolled-back recompute
            # leaves as many dead versions behind, which a later step or run would otherwise meet.
            maintenance.append(f"analysed after the recompute, as the product does after one "
                               f"({analyze(services.engine):.1f} s)")
            if export_to is not None:
                figures += [_bench_export(services, fmt, export_to) for fmt in ("csv", "xlsx")]
            if import_rows > 0:
                figures.append(_bench_import(services, import_rows))
        finally:
            raw.close()
            capture.seat.close()
        return {"dialect": raw.dialect, "rows": services.complaints.count(), "maintenance": maintenance,
                "peak_rss_mb": round(_peak_rss_mb(), 1), "figures": figures}
    finally:
        services.close()


def _replayed(name: str, call: Callable[[AppServices], Any], services: AppServices, capture: _Capture, raw: _Raw,
              repeat: int, **extra: Any) -> dict[str, Any]:
    """``call`` captured once on the capturing seat, then timed on ``services`` and replayed raw."""
    statements = capture.capture(partial(call, capture.seat))
    app_ms = _median_ms(partial(call, services), repeat)
    raw_ms = _median_ms(lambda: raw.replay(statements), repeat)
    return _figure(name, app_ms, raw_ms, statements=len(statements), **extra)


def _page_of(query: QueueQuery) -> Callable[[AppServices], Any]:
    """A seat's first queue page for ``query``."""
    return lambda seat: seat.queue.fetch(query, 0, 200)


def _bench_queue(services: AppServices, capture: _Capture, raw: _Raw, repeat: int) -> list[dict[str, Any]]:
    queries = {
        "queue_first_page": QueueQuery(filter=QueueFilter.OPEN),
        "queue_sort_customer": QueueQuery(filter=QueueFilter.ALL, sort="customer_name", descending=True),
        "queue_sort_received": QueueQuery(filter=QueueFilter.OPEN, sort="received_at"),
        "queue_overdue": QueueQuery(filter=QueueFilter.OVERDUE),
    }
    return [_replayed(name, _page_of(query), services, capture, raw, repeat) for name, query in queries.items()]


def _bench_search(services: AppServices, capture: _Capture, raw: _Raw, repeat: int,
                  searches: SearchTerms) -> list[dict[str, Any]]:
    figures = []
    for name, term in zip(("search_rare_3char", "search_common_3char"), searches, strict=True):
        query = QueueQuery(filter=QueueFilter.OPEN, search=term)
        figures.append(_replayed(name, _page_of(query), services, capture, raw, max(5, repeat // 3), term=term))
    return figures


def _bench_repeat(services: AppServices, capture: _Capture, raw: _Raw, repeat: int) -> dict[str, Any]:
    # The most frequent number among early rows is one of the demo's repeat complainers,
    # so the lookup has real history to return.
    phone = raw.scalar("SELECT phone FROM complaints WHERE id <= 20000 GROUP BY phone ORDER BY count(*) DESC LIMIT 1")
    return _replayed("repeat_lookup", lambda seat: seat.complaints.earlier_from_number(phone), services, capture, raw,
                     repeat)


def _bench_case_open(services: AppServices, capture: _Capture, raw: _Raw, repeat: int) -> dict[str, Any]:
    """What the case view reads when a case is opened (``open_case``, as ui/case/view.py calls it): the
    record with its agent and links, its history, its citations."""
    open_cases = services.queue.fetch(QueueQuery(filter=QueueFilter.OPEN), 0, 101)
    number = open_cases[-1].number  # not the first row: no cache of the queue page helps
    return _replayed("case_open", lambda seat: seat.complaints.open_case(number), services, capture, raw, repeat)


def _bench_save(services: AppServices, raw: _Raw, repeat: int) -> dict[str, Any]:
    generator = DemoGenerator(seed=99, now=datetime.now(UTC))
    actor = services.actor

    def app_save() -> None:
        data = generator.complaint()
        data.pop("contact_phone")
        services.complaints.create(actor, data)

    counter = iter(range(10**9))
    sqlite = raw.dialect == "sqlite"

    def raw_save() -> None:
        data = generator.complaint()
        received = data["received_at"].astimezone(UTC)
        stamp: Any = received.replace(tzinfo=None).isoformat(sep=" ") if sqlite else received
        due: Any = received + timedelta(days=15)
        due = due.replace(tzinfo=None).isoformat(sep=" ") if sqlite else due
        values = (
            str(uuid.uuid4()), f"RAW-{next(counter):08d}-{uuid.uuid4().hex[:8]}", stamp, received.date(),
            data["channel"], data["category"], data["customer_name"], data["phone"], data["description"],
            data["demand"], True, actor.id, stamp, received.date(), due, due, False, stamp, actor.id, stamp,
        )
        raw.insert_complaint(values, lambda complaint_id: (complaint_id, stamp, actor.id))

    app_ms = _median_ms(app_save, repeat)
    raw_ms = _median_ms(raw_save, repeat)
    return _figure("save_complaint", app_ms, raw_ms)


def _bench_statistics(services: AppServices, capture: _Capture, raw: _Raw, repeat: int) -> dict[str, Any]:
    """A year of supervisor statistics (the site's admin: every case), read from the per-day summary.

    ``recount_ms`` is the same figures counted from the complaints themselves, once: what the summary saves.
    """
    from desktop.services.stats import Period

    today = datetime.now(UTC).astimezone(BEIJING).date()
    period = Period(today - timedelta(days=364), today)
    figure = _replayed("year_statistics", lambda seat: seat.stats.compute(period), services, capture, raw,
                       max(3, repeat // 4))
    started = time.perf_counter()
    services.stats.compute(period, from_summary=False)
    figure["recount_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return figure


def _begins(statement: Statement, *words: str) -> bool:
    """Whether the captured statement's SQL starts with one of ``words`` (upper case)."""
    return statement[0].lstrip().upper().startswith(words)


def _bench_recompute(services: AppServices, capture: _Capture, raw: _Raw) -> dict[str, Any]:
    """Every open case's deadline moved by a shorter site period, computed and written, then rolled back.

    The batches the product commits one by one run here in one transaction (no commit, no pause
    between them); ``longest_write_ms`` is the longest batch, what another seat would wait at most.
    Run twice: timed on ``services`` with this step's own peak memory, then on the capturing seat
    for its statements (the capture keeps every statement's parameters alive, which the product
    does not). Raw is the same statements (the read of the open cases, the updates, the history rows
    and their chain links) sent through the plain driver in one transaction that is rolled back too:
    what the database itself must do, against what the product adds in computing and Python.
    """
    rules = build_rules({"reply": 14})
    result = RecomputeResult(0)

    def recompute(seat: AppServices) -> None:
        nonlocal result
        calendar = seat.complaints.calendar
        with _rolled_back(seat) as session:
            lock_for_write(session)  # as each of the product's batches does
            result = recompute_in_batches(
                seat.sessions, seat.actor, rules, lambda code, start: compute_deadline(rules[code], start, calendar),
                only_provisional=False, note=RULES_CHANGED_NOTE, within=session.connection())

    own_peak = reset_peak()
    before_mb = resident_mb()[0]
    started = time.perf_counter()
    recompute(services)
    app_ms = (time.perf_counter() - started) * 1000
    growth = round(_peak_rss_mb() - before_mb, 1)
    # Captured after: memory the capture took and Python kept would otherwise be reused unseen.
    statements = capture.capture(partial(recompute, capture.seat))
    started = time.perf_counter()
    raw.replay_rolled_back([s for s in statements if not _begins(s, "ROLLBACK", "BEGIN")])
    raw_ms = (time.perf_counter() - started) * 1000
    # The floor of keeping the deadline on the case row: the same cases' due-date UPDATEs alone,
    # without the reads, the history entries or the summary rows (each UPDATE rewrites the row and
    # its entry in every index that holds the due date). The summary trigger is held around them as
    # the product holds it (SQLite), or else it would fire for every row here and not in the product.
    updates = [s for s in statements if _begins(s, "UPDATE COMPLAINTS ", "DROP TRIGGER ", "CREATE TRIGGER ")]
    started = time.perf_counter()
    raw.replay_rolled_back(updates)
    raw_updates_ms = (time.perf_counter() - started) * 1000
    return _figure("recompute_open_deadlines", app_ms, raw_ms, moved=result.moved, statements=len(statements),
                   raw_due_updates_ms=round(raw_updates_ms, 1),
                   due_update_statements=sum(_begins(s, "UPDATE ") for s in updates),
                   longest_write_ms=round(result.longest_write * 1000), write_transactions=result.transactions,
                   peak_rss_growth_mb=growth, peak_is_this_step=own_peak)


def _bench_export(services: AppServices, fmt: str, folder: Path) -> dict[str, Any]:
    """Every complaint written as the export writes it (paged reads, a streaming CSV or write-only
    workbook): time, file size and the peak memory of this step, which must not grow with the rows."""
    from desktop.services.transfer import export_records, write_export

    path = folder / f"bench-export.{fmt}"
    own_peak = reset_peak()
    before_mb = resident_mb()[0]
    started = time.perf_counter()
    written = write_export(export_records(services.sessions), path, fmt=fmt)
    app_ms = (time.perf_counter() - started) * 1000
    size = path.stat().st_size
    path.unlink()
    return _figure(f"export_{fmt}", app_ms, None, rows=written, file_mb=round(size / 2**20, 1),
                   rss_before_mb=before_mb, peak_rss_mb=resident_mb()[1],
                   peak_is_this_step=own_peak)


IMPORT_HEADERS = ("received_at", "channel", "category", "customer_name", "phone", "address", "description", "demand")


def _bench_import(services: AppServices, rows: int) -> dict[str, Any]:
    """``rows`` demo complaints written to a CSV file and imported as `complaint-desk import` does:
    the time, the longest write transaction (other seats wait at most that long) and this step's
    peak memory. The imported complaints stay in the store, as the saved ones do."""
    import csv
    import tempfile

    from desktop.services.transfer import import_file

    generator = DemoGenerator(seed=rows + services.complaints.count(), now=datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="complaint-desk-bench-import-") as folder:
        path = Path(folder) / "import.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(IMPORT_HEADERS)
            for _ in range(rows):
                data = generator.complaint()
                data["received_at"] = data["received_at"].isoformat()
                writer.writerow([data.get(column) or "" for column in IMPORT_HEADERS])
        own_peak = reset_peak()
        before_mb = resident_mb()[0]
        started = time.perf_counter()
        summary = import_file(services.sessions, services.complaints, services.actor, path)
        app_ms = (time.perf_counter() - started) * 1000
    return _figure("import_csv", app_ms, None, rows=len(summary.numbers),
                   longest_write_ms=round(summary.longest_write * 1000), write_transactions=summary.transactions,
                   seconds=summary.to_json()["seconds"], rss_before_mb=before_mb, peak_rss_mb=resident_mb()[1],
                   peak_is_this_step=own_peak)


@contextmanager
def _rolled_back(services: AppServices) -> Iterator[Any]:
    session = services.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
