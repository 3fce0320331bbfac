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

from dataclasses import dataclass

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


def _upserts(row: str, sign: str, dialect: str) -> list[str]:
    """Statements adding (sign '+') or removing ('-') one row's contribution."""
    statements = [
        # How many complaints each phone number made, ever: the repeat figures look only at the
        # numbers that made more than one (a partial index holds just those).
        f"INSERT INTO phone_counts (phone, n) VALUES ({row}.phone, {sign}1) "
        "ON CONFLICT (phone) DO UPDATE SET n = phone_counts.n + excluded.n"]
    daily_columns = ", ".join(c.column for c in COUNTERS)
    open_columns = ", ".join(c.column for c in OPEN_COUNTERS)
    for dimension in DIMENSIONS:
        values = ", ".join(f"{sign}({_expr(c, row, dialect)})" for c in COUNTERS)
        updates = ", ".join(f"{c.column} = stats_daily.{c.column} + excluded.{c.column}" for c in COUNTERS)
        statements.append(
            f"INSERT INTO stats_daily (day, dim, key, {daily_columns}) "
            f"VALUES ({row}.received_day, '{dimension}', {_key(dimension, row)}, {values}) "
            f"ON CONFLICT (day, dim, key) DO UPDATE SET {updates}")
        open_values = ", ".join(f"{sign}({_expr(c, row, dialect)})" for c in OPEN_COUNTERS)
        open_updates = ", ".join(f"{c.column} = stats_open_due.{c.column} + excluded.{c.column}"
                                 for c in OPEN_COUNTERS)
        select = (f"SELECT {row}.received_day, '{dimension}', {_key(dimension, row)}, {row}.reply_due_date, "
                  f"{open_values} WHERE {_open_condition(row, dialect)}")
        statements.append(
            f"INSERT INTO stats_open_due (day, dim, key, due_day, {open_columns}) {select} "
            f"ON CONFLICT (day, dim, key, due_day) DO UPDATE SET {open_updates}")
    return statements


def trigger_statements(dialect: str) -> list[str]:
    """CREATE statements of the triggers that keep the summary (the migration runs them)."""
    if dialect == "sqlite":
        # Rows that fall to zero are kept: they cost nothing and a later change reuses them.
        body_insert = "; ".join(_upserts("NEW", "+", dialect))
        body_delete = "; ".join(_upserts("OLD", "-", dialect))
        return [
            f"CREATE TRIGGER stats_summary_ai AFTER INSERT ON complaints BEGIN {body_insert}; END",
            f"CREATE TRIGGER stats_summary_ad AFTER DELETE ON complaints BEGIN {body_delete}; END",
            f"CREATE TRIGGER stats_summary_au AFTER UPDATE ON complaints BEGIN {body_delete}; {body_insert}; END",
        ]
    plus = ";\n    ".join(_upserts("NEW", "+", dialect))
    minus = ";\n    ".join(_upserts("OLD", "-", dialect))
    return [
        "CREATE FUNCTION stats_summary_apply() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF TG_OP IN ('UPDATE', 'DELETE') THEN\n    {minus};\n  END IF;\n"
        f"  IF TG_OP IN ('INSERT', 'UPDATE') THEN\n    {plus};\n  END IF;\n"
        "  RETURN NULL;\nEND $$",
        "CREATE TRIGGER stats_summary AFTER INSERT OR UPDATE OR DELETE ON complaints "
        "FOR EACH ROW EXECUTE FUNCTION stats_summary_apply()",
    ]


def drop_trigger_statements(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS stats_summary_{suffix}" for suffix in ("ai", "ad", "au")]
    return ["DROP TRIGGER IF EXISTS stats_summary ON complaints", "DROP FUNCTION IF EXISTS stats_summary_apply()"]


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
