"""The per-day statistics summary, kept by the database itself in the same transaction as each change.

``stats_daily`` holds, per Beijing receipt day and per breakdown (``dim``: ``category``, ``channel`` or
``agent``; ``key`` the code or the agent's id), every additive figure of the complaints received that
day. ``stats_open_due`` holds the open complaints by the Beijing day their reply is due, so "overdue
now" and "unanswered past the deadline" (which depend on the moment asked) are sums of whole due days
plus a look at the open complaints due on the boundary day.

Triggers on ``complaints`` (INSERT, UPDATE, DELETE) subtract the old row's contribution and add the
new one: every write path — the services, the demo generator, an import, a hand-written SQL fix —
keeps the summary exact, and nothing can commit a change without it. ``recount_statements`` rebuilds
both tables from the base table (migration back-fill, ``complaint-desk stats recount``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

DIMENSIONS = {"category": "category", "channel": "channel", "agent": "assigned_agent_id"}

# Column of stats_daily -> its contribution from one complaint row (``{r}`` is NEW or OLD).
# Each expression is valid on SQLite and PostgreSQL except where a dialect variant is given.
SQLITE_DAYS = "(julianday({r}.reply_at) - julianday({r}.received_at))"
POSTGRES_DAYS = "(EXTRACT(EPOCH FROM ({r}.reply_at - {r}.received_at)) / 86400.0)"


@dataclass(frozen=True)
class Counter:
    column: str
    expression: str  # with {r} for the row alias and {days} for the elapsed-days expression
    kind: str = "int"  # int or float


COUNTERS: tuple[Counter, ...] = (
    Counter("received", "1"),
    Counter("valid", "CASE WHEN {r}.validity = 'valid' THEN 1 ELSE 0 END"),
    Counter("invalid", "CASE WHEN {r}.validity = 'invalid' THEN 1 ELSE 0 END"),
    Counter("open", "CASE WHEN {r}.is_open THEN 1 ELSE 0 END"),
    Counter("replied_on_time", "CASE WHEN {r}.reply_at <= {r}.reply_due_at THEN 1 ELSE 0 END"),
    Counter("replied_late", "CASE WHEN {r}.reply_at > {r}.reply_due_at THEN 1 ELSE 0 END"),
    Counter("reply_days_sum", "CASE WHEN {r}.reply_at IS NOT NULL THEN {days} ELSE 0 END", "float"),
    Counter("satisfaction_sum", "COALESCE({r}.satisfaction, 0)"),
    Counter("satisfaction_count", "CASE WHEN {r}.satisfaction IS NOT NULL THEN 1 ELSE 0 END"),
    Counter("appeals", "CASE WHEN {r}.appeal_date IS NOT NULL OR {r}.status = 'appealed' THEN 1 ELSE 0 END"),
    Counter("compensation_fen", "COALESCE({r}.compensation, 0)"),
    Counter("compensation_cases", "CASE WHEN {r}.compensation > 0 THEN 1 ELSE 0 END"),
)
OPEN_COUNTERS: tuple[Counter, ...] = (
    Counter("open_n", "1"),
    Counter("unanswered_n", "CASE WHEN {r}.reply_at IS NULL THEN 1 ELSE 0 END"),
)


def _key(dimension: str, row: str) -> str:
    return f"COALESCE(CAST({row}.{DIMENSIONS[dimension]} AS VARCHAR(24)), '')"


def _expr(counter: Counter, row: str, dialect: str) -> str:
    days = (SQLITE_DAYS if dialect == "sqlite" else POSTGRES_DAYS).format(r=row)
    return counter.expression.format(r=row, days=days)


def _open_condition(row: str, dialect: str) -> str:
    return f"{row}.is_open" if dialect == "postgresql" else f"{row}.is_open = 1"


def _contributions(row: str, dialect: str) -> list[str]:
    """Everything a row adds to the summary: its keys and each counter's value, in a fixed order.

    Two versions of a row with equal contributions leave the summary as it was, so an UPDATE whose
    contributions are equal need not touch it (a note or a notes field changed, or a deadline moved
    on a case that has no reply yet for the daily counters).
    """
    keys = [f"{row}.received_day", *(_key(dimension, row) for dimension in DIMENSIONS)]
    return keys + [_expr(counter, row, dialect) for counter in COUNTERS]


def _open_contributions(row: str, dialect: str) -> list[str]:
    keys = [f"{row}.received_day", f"{row}.reply_due_date", f"{row}.is_open",
            *(_key(dimension, row) for dimension in DIMENSIONS)]
    return keys + [_expr(counter, row, dialect) for counter in OPEN_COUNTERS]


def _changed(columns: list[str], dialect: str) -> str:
    """SQL true when the OLD and NEW rows differ in any of ``columns`` (written for OLD), NULL-safe."""
    old = ", ".join(columns)
    new = ", ".join(column.replace("OLD.", "NEW.") for column in columns)
    operator = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return f"({old}) {operator} ({new})"


def _adding(table: str, columns: Sequence[str]) -> str:
    """The SET list of an upsert's ``ON CONFLICT``: each column grows by the incoming row's value."""
    return ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in columns)


def _phone_upsert(row: str, sign: str) -> str:
    # How many complaints each phone number made, ever: the repeat figures look only at the
    # numbers that made more than one (a partial index holds just those).
    return (f"INSERT INTO phone_counts (phone, n) VALUES ({row}.phone, {sign}1) "
            f"ON CONFLICT (phone) DO UPDATE SET {_adding('phone_counts', ['n'])}")


def _daily_upserts(row: str, sign: str, dialect: str) -> list[str]:
    daily_columns = ", ".join(c.column for c in COUNTERS)
    statements = []
    for dimension in DIMENSIONS:
        values = ", ".join(f"{sign}({_expr(c, row, dialect)})" for c in COUNTERS)
        updates = _adding("stats_daily", [c.column for c in COUNTERS])
        statements.append(
            f"INSERT INTO stats_daily (day, dim, key, {daily_columns}) "
            f"VALUES ({row}.received_day, '{dimension}', {_key(dimension, row)}, {values}) "
            f"ON CONFLICT (day, dim, key) DO UPDATE SET {updates}")
    return statements


def _open_upserts(row: str, sign: str, dialect: str) -> list[str]:
    open_columns = ", ".join(c.column for c in OPEN_COUNTERS)
    statements = []
    for dimension in DIMENSIONS:
        open_values = ", ".join(f"{sign}({_expr(c, row, dialect)})" for c in OPEN_COUNTERS)
        open_updates = _adding("stats_open_due", [c.column for c in OPEN_COUNTERS])
        select = (f"SELECT {row}.received_day, '{dimension}', {_key(dimension, row)}, {row}.reply_due_date, "
                  f"{open_values} WHERE {_open_condition(row, dialect)}")
        statements.append(
            f"INSERT INTO stats_open_due (day, dim, key, due_day, {open_columns}) {select} "
            f"ON CONFLICT (day, dim, key, due_day) DO UPDATE SET {open_updates}")
    return statements


def _sqlite_phone(row: str, sign: str) -> list[str]:
    return [_phone_upsert(row, sign)]


def _sqlite_daily(row: str, sign: str) -> list[str]:
    return _daily_upserts(row, sign, "sqlite")


def _sqlite_open(row: str, sign: str) -> list[str]:
    return _open_upserts(row, sign, "sqlite")


def _phone_contribution(row: str) -> list[str]:
    return [f"{row}.phone"]


def _sqlite_triggers() -> list[str]:
    """Row triggers, one per summary table and event; an UPDATE fires only where contributions differ."""
    tables: list[tuple[str, Callable[[str, str], list[str]], list[str]]] = [
        ("phone", _sqlite_phone, _phone_contribution("OLD")),
        ("daily", _sqlite_daily, _contributions("OLD", "sqlite")),
        ("open", _sqlite_open, _open_contributions("OLD", "sqlite")),
    ]
    statements = []
    for name, upserts, contributions in tables:
        plus = "; ".join(upserts("NEW", "+"))
        minus = "; ".join(upserts("OLD", "-"))
        statements += [
            f"CREATE TRIGGER stats_{name}_ai AFTER INSERT ON complaints BEGIN {plus}; END",
            f"CREATE TRIGGER stats_{name}_ad AFTER DELETE ON complaints BEGIN {minus}; END",
            f"CREATE TRIGGER stats_{name}_au AFTER UPDATE ON complaints "
            f"WHEN {_changed(contributions, 'sqlite')} BEGIN {minus}; {plus}; END",
        ]
    return statements


def _signed_rows(select: Callable[[str, str], str], events: tuple[str, ...]) -> str:
    """The transition tables of a statement as one row set: new rows counted +1, old rows -1."""
    parts = []
    if "new" in events:
        parts.append(select("n", "+"))
    if "old" in events:
        parts.append(select("o", "-"))
    return " UNION ALL ".join(parts)


def _upsert(table: str, keys: list[str], columns: list[str], rows: str) -> str:
    """Add the summed signed ``rows`` (a SELECT of ``keys`` and ``columns``) into ``table``, each key once."""
    sums = ", ".join(f"SUM({column})" for column in columns)
    nonzero = " OR ".join(f"SUM({column}) <> 0" for column in columns)
    updates = _adding(table, columns)
    key_list = ", ".join(keys)
    # Sorted, so two seats' statements take the summary rows' locks in the same order.
    return (f"INSERT INTO {table} ({key_list}, {', '.join(columns)}) "
            f"SELECT {key_list}, {sums} FROM ({rows}) AS d GROUP BY {key_list} HAVING {nonzero} "
            f"ORDER BY {key_list} ON CONFLICT ({key_list}) DO UPDATE SET {updates}")


OPEN_KEYS = ["day", "dim", "key", "due_day"]


def _postgres_apply(events: tuple[str, ...]) -> list[str]:
    """Set-based upserts for one statement: each summary row touched once, however many rows changed.

    A row trigger would upsert the same hot summary row once per changed complaint, and PostgreSQL
    keeps every version of a row updated many times in one transaction, so each later upsert walks a
    longer chain: a deadline recompute over 250,000 open cases took four minutes that way.
    """
    dialect = "postgresql"
    source = {"new": "new_rows n", "old": "old_rows o"}
    daily_columns = [c.column for c in COUNTERS]
    open_columns = [c.column for c in OPEN_COUNTERS]

    def phone(alias: str, sign: str) -> str:
        table = source["new" if alias == "n" else "old"]
        return f"SELECT {alias}.phone AS phone, {sign}1 AS n FROM {table}"

    def daily(alias: str, sign: str) -> str:
        table = source["new" if alias == "n" else "old"]
        return " UNION ALL ".join(
            f"SELECT {alias}.received_day AS day, '{dimension}' AS dim, {_key(dimension, alias)} AS key, "
            + ", ".join(f"{sign}({_expr(c, alias, dialect)}) AS {c.column}" for c in COUNTERS)
            + f" FROM {table}" for dimension in DIMENSIONS)

    def opened(alias: str, sign: str) -> str:
        table = source["new" if alias == "n" else "old"]
        return " UNION ALL ".join(
            f"SELECT {alias}.received_day AS day, '{dimension}' AS dim, {_key(dimension, alias)} AS key, "
            f"{alias}.reply_due_date AS due_day, "
            + ", ".join(f"{sign}({_expr(c, alias, dialect)}) AS {c.column}" for c in OPEN_COUNTERS)
            + f" FROM {table} WHERE {_open_condition(alias, dialect)}" for dimension in DIMENSIONS)

    return [
        _upsert("phone_counts", ["phone"], ["n"], _signed_rows(phone, events)),
        _upsert("stats_daily", ["day", "dim", "key"], daily_columns, _signed_rows(daily, events)),
        _upsert("stats_open_due", OPEN_KEYS, open_columns, _signed_rows(opened, events)),
    ]


POSTGRES_EVENTS: dict[str, tuple[tuple[str, ...], str]] = {
    # event -> (transition tables it has, REFERENCING clause)
    "insert": (("new",), "REFERENCING NEW TABLE AS new_rows"),
    "update": (("new", "old"), "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    "delete": (("old",), "REFERENCING OLD TABLE AS old_rows"),
}


def trigger_statements(dialect: str) -> list[str]:
    """CREATE statements of the triggers that keep the summary (the migrations run them)."""
    if dialect == "sqlite":
        # Rows that fall to zero are kept: they cost nothing and a later change reuses them.
        return _sqlite_triggers()
    statements = []
    for event_name, (events, referencing) in POSTGRES_EVENTS.items():
        body = ";\n  ".join(_postgres_apply(events))
        statements += [
            f"CREATE FUNCTION stats_summary_{event_name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"  {body};\n  RETURN NULL;\nEND $$",
            f"CREATE TRIGGER stats_summary_{event_name} AFTER {event_name.upper()} ON complaints "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION stats_summary_{event_name}()",
        ]
    return statements


def drop_trigger_statements(dialect: str) -> list[str]:
    """DROP statements for every generation of the summary triggers (the first kept one per event)."""
    if dialect == "sqlite":
        names = [f"stats_summary_{suffix}" for suffix in ("ai", "ad", "au")]
        names += [f"stats_{table}_{suffix}" for table in ("phone", "daily", "open") for suffix in ("ai", "ad", "au")]
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    statements = ["DROP TRIGGER IF EXISTS stats_summary ON complaints", "DROP FUNCTION IF EXISTS stats_summary_apply()"]
    for event_name in POSTGRES_EVENTS:
        statements += [f"DROP TRIGGER IF EXISTS stats_summary_{event_name} ON complaints",
                       f"DROP FUNCTION IF EXISTS stats_summary_{event_name}()"]
    return statements


def recount_selects(dialect: str) -> tuple[str, str]:
    """SELECTs computing both summary tables from the base table, in their column order."""
    daily = []
    opened = []
    for dimension in DIMENSIONS:
        sums = ", ".join(f"SUM({_expr(c, 'c', dialect)})" for c in COUNTERS)
        daily.append(f"SELECT c.received_day, '{dimension}', {_key(dimension, 'c')}, {sums} FROM complaints c "
                     f"GROUP BY c.received_day, {_key(dimension, 'c')}")
        open_sums = ", ".join(f"SUM({_expr(c, 'c', dialect)})" for c in OPEN_COUNTERS)
        opened.append(f"SELECT c.received_day, '{dimension}', {_key(dimension, 'c')}, c.reply_due_date, {open_sums} "
                      f"FROM complaints c WHERE {_open_condition('c', dialect)} "
                      f"GROUP BY c.received_day, {_key(dimension, 'c')}, c.reply_due_date")
    return " UNION ALL ".join(daily), " UNION ALL ".join(opened)


def recount_statements(dialect: str) -> list[str]:
    """Rebuild both tables from the base table (the triggers keep them exact from then on)."""
    daily, opened = recount_selects(dialect)
    daily_columns = ", ".join(c.column for c in COUNTERS)
    open_columns = ", ".join(c.column for c in OPEN_COUNTERS)
    return [
        "DELETE FROM stats_daily",
        "DELETE FROM stats_open_due",
        "DELETE FROM phone_counts",
        "INSERT INTO phone_counts (phone, n) SELECT phone, COUNT(*) FROM complaints GROUP BY phone",
        f"INSERT INTO stats_daily (day, dim, key, {daily_columns}) {daily}",
        f"INSERT INTO stats_open_due (day, dim, key, due_day, {open_columns}) {opened}",
    ]


def summary_differences(connection: Connection) -> list[str]:
    """Where the kept summary and a recount from the complaints disagree (empty: they agree).

    Rows that changes have brought back to zero are kept by the triggers and ignored here.
    """
    dialect = connection.dialect.name
    daily_select, open_select = recount_selects(dialect)
    daily_columns = [c.column for c in COUNTERS]
    open_columns = [c.column for c in OPEN_COUNTERS]
    problems: list[str] = []
    for table, keys, columns, recount in (
            ("phone_counts", ["phone"], ["n"], "SELECT phone, COUNT(*) FROM complaints GROUP BY phone"),
            ("stats_daily", ["day", "dim", "key"], daily_columns, daily_select),
            ("stats_open_due", ["day", "dim", "key", "due_day"], open_columns, open_select)):
        width = len(keys)
        kept = {tuple(str(v) for v in row[:width]): tuple(row[width:]) for row in connection.execute(
            text(f"SELECT {', '.join(keys + columns)} FROM {table}"))}
        counted = {tuple(str(v) for v in row[:width]): tuple(row[width:]) for row in connection.execute(text(recount))}
        for key in sorted(set(kept) | set(counted)):
            zero = (0,) * len(columns)
            mine, truth = kept.get(key, zero), counted.get(key, zero)
            if any(abs(float(a or 0) - float(b or 0)) > 1e-6 for a, b in zip(mine, truth, strict=True)):
                problems.append(f"{table} {'/'.join(key)}: kept {list(mine)}, recounted {list(truth)}")
    return problems


def recount(connection: Connection) -> None:
    """Rebuild the summary from the complaints (inside the caller's transaction)."""
    for statement in recount_statements(connection.dialect.name):
        connection.execute(text(statement))


# -- moving many due days at once (SQLite) ------------------------------------------------------

# What a case adds to ``stats_open_due`` besides its due day: the columns, in this order, that
# :meth:`OpenDueMoves.add` takes (the receipt day, each dimension's column, the reply moment).
OPEN_DUE_COLUMNS = ("received_day", *DIMENSIONS.values(), "reply_at")


class OpenDueMoves:
    """The ``stats_open_due`` change of moving open cases' due days, added up case by case.

    The same contributions the triggers' SQL counts (``OPEN_COUNTERS``, keys as ``_key`` casts
    them), summed in Python while the cases are read anyway: one pass, no second read of
    ``complaints``. ``summary_differences`` after a recompute (tests/services/test_recompute.py)
    holds the two definitions together.
    """

    def __init__(self, *, counting: bool = True) -> None:
        self._counting = counting  # False where the database's statement triggers count instead
        self._delta: defaultdict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(self, values: Sequence[Any], old_due: date, new_due: date) -> None:
        """One open case (its :data:`OPEN_DUE_COLUMNS` values) moved from ``old_due`` to ``new_due``."""
        if old_due == new_due or not self._counting:
            return
        received_day, *keys, reply_at = values
        day = received_day.isoformat()
        unanswered = 1 if reply_at is None else 0
        for dimension, key in zip(DIMENSIONS, keys, strict=True):
            text_key = "" if key is None else str(key)
            for due, sign in ((old_due, -1), (new_due, 1)):
                delta = self._delta[(day, dimension, text_key, due.isoformat())]
                delta[0] += sign
                delta[1] += sign * unanswered

    def rows(self) -> list[tuple[str, str, str, str, int, int]]:
        """The summary rows that change, with their deltas, in key order (as the statement triggers lock them)."""
        return [(*key, open_n, unanswered_n) for key, (open_n, unanswered_n) in sorted(self._delta.items())
                if open_n or unanswered_n]


@contextmanager
def open_due_summary_held(connection: Connection) -> Iterator[OpenDueMoves]:
    """Inside the block the caller moves open cases' reply due days (and changes nothing else the
    summary counts), adding each moved case to the yielded :class:`OpenDueMoves`.

    SQLite: ``stats_open_due`` is then changed once, by the summed rows, instead of by six upserts
    per case from the row trigger, which is dropped for the block and created again after it from
    the same definition the migrations use. SQLite DDL is transactional and the caller's write
    transaction holds the lock, so no other connection ever sees the table without its trigger,
    and a rollback brings back the trigger and the old summary together. A recompute moving
    160,000 due days spent 1.6 of its 7.4 s of SQLite time in that trigger. Other dialects keep
    their statement triggers, which are set-based already: nothing is collected there.
    """
    if connection.dialect.name != "sqlite":
        yield OpenDueMoves(counting=False)
        return
    moves = OpenDueMoves()
    raw = connection.connection.dbapi_connection
    if raw is None or not raw.in_transaction:
        # Outside a transaction Python's sqlite3 runs DDL at once, committed: the trigger would be
        # gone for everyone until the block ends, and for good if the process died in it.
        raise RuntimeError("open_due_summary_held runs inside the caller's write transaction")
    (trigger,) = [statement for statement in _sqlite_triggers() if "TRIGGER stats_open_au " in statement]
    connection.exec_driver_sql("DROP TRIGGER stats_open_au")
    try:
        yield moves
        rows = moves.rows()
        if rows:  # moves that cancel out (one case forward, another back) change nothing
            columns = [c.column for c in OPEN_COUNTERS]
            connection.exec_driver_sql(
                f"INSERT INTO stats_open_due ({', '.join(OPEN_KEYS + columns)}) VALUES (?, ?, ?, ?, ?, ?) "
                f"ON CONFLICT ({', '.join(OPEN_KEYS)}) DO UPDATE SET {_adding('stats_open_due', columns)}", rows)
    finally:
        connection.exec_driver_sql(trigger)
