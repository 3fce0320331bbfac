"""Planner statistics the product keeps itself, so a user's store plans like a benchmark's.

Without statistics SQLite's planner guesses that every index is equally selective; on a million
complaints that turned a sort by customer into a 1.2 s full sort instead of an index walk. The
product therefore:

* analyses a store that has never been analysed when it is opened (``PRAGMA analysis_limit``
  keeps that to a sample of each index, well under a second at a million rows);
* runs ``PRAGMA optimize`` when a store is closed, which re-analyses only the tables whose
  size changed enough to matter (SQLite's own rule);
* analyses after bulk changes: imports, deadline recomputes, demo generation.

PostgreSQL's autovacuum keeps statistics on its own; after a bulk change the complaints table is
vacuumed and analysed at once so the very next query already plans well.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

log = logging.getLogger(__name__)

# Rows SQLite samples per index for ANALYZE; 1,000 is the value SQLite's documentation suggests
# for ``PRAGMA optimize`` on large databases and keeps a cold analyse of 1M rows short.
ANALYSIS_LIMIT = 1000


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


# Statistics are refreshed when the table has grown or shrunk by more than this factor since
# they were taken (SQLite's own ``PRAGMA optimize`` rule is a factor of 10; queue plans flip sooner).
STALE_FACTOR = 2.0


def statistics_are_current(engine: Engine) -> bool:
    """Whether the planner's statistics for the complaints table still describe it.

    Cheap enough for every start: one row of ``sqlite_stat1``, ``max(id)`` from the primary key and
    the schema's list of indexes.
    """
    with engine.connect() as connection:
        if _is_sqlite(engine):
            if not inspect(connection).has_table("sqlite_stat1"):
                return False
            stat = connection.execute(text(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'complaints' AND idx IS NOT NULL LIMIT 1")).scalar()
            rows = connection.execute(text("SELECT coalesce(max(id), 0) FROM complaints")).scalar_one()
            if stat is None:
                return int(rows) == 0
            # An index a migration added since the last analysis has no statistics, and SQLite
            # then guesses its selectivity (it picked the new indexes for the wrong queries).
            unmeasured = connection.execute(text(
                "SELECT count(*) FROM sqlite_master AS m WHERE m.type = 'index' AND m.tbl_name = 'complaints' "
                "AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 AS s WHERE s.tbl = 'complaints' AND s.idx = m.name)"
            )).scalar_one()
            if int(unmeasured):
                return False
            recorded = int(str(stat).split()[0])
            low, high = sorted((max(recorded, 1), max(int(rows), 1)))
            return bool(high / low <= STALE_FACTOR)
        # PostgreSQL: reltuples is -1 until the table was first analysed (autovacuum does the rest).
        tuples = connection.execute(text(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass('complaints')")).scalar()
        return tuples is not None and float(tuples) >= 0


def analyze(engine: Engine) -> float:
    """Refresh planner statistics now (after a bulk change); returns the seconds it took."""
    started = time.perf_counter()
    if _is_sqlite(engine):
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            connection.exec_driver_sql("ANALYZE")
    else:
        # VACUUM also merges the GIN trigram indexes' pending lists, which the planner otherwise
        # prices so high after a bulk insert that search falls back to walking another index.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) complaints")
            connection.exec_driver_sql("ANALYZE")
    elapsed = time.perf_counter() - started
    log.info("planner statistics refreshed in %.2f s", elapsed)
    return elapsed


def ensure_statistics(engine: Engine) -> bool:
    """On open: analyse a store whose statistics are missing or stale; returns whether it did.

    Maintenance never stands in the user's way: a store another seat is writing to (busy), or a
    seat whose role may not analyse (PostgreSQL), leaves it to the next start.
    """
    try:
        if statistics_are_current(engine):
            return False
        analyze(engine)
    except (OperationalError, ProgrammingError) as error:
        log.info("planner statistics left for later: %s", error)
        return False
    return True


def optimize_on_close(engine: Engine) -> None:
    """SQLite's recommended close-time maintenance: re-analyse tables that changed a lot."""
    if not _is_sqlite(engine):
        return
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            connection.exec_driver_sql("PRAGMA optimize")
    except OperationalError as error:  # another seat holds the write lock: its own close optimises
        log.info("PRAGMA optimize skipped: %s", error)


# The page cache of a connection doing one bulk write (an import's publishing, a deadline
# recompute), in KiB. Such a write updates the same index pages of ``complaints`` over and over;
# with SQLite's default 2 MB they are read back from the file again and again (a recompute of
# 160,000 moved deadlines: 10.4 s of SQLite's own time with 2 MB, 6.9 s with 128 MB).
BULK_CACHE_KIB = 65536


@contextmanager
def bulk_page_cache(connection: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """SQLite: a larger page cache on ``connection`` for the block, the previous size after it.

    Allowed inside a transaction; the pages cached go when the size is set back, so the memory is
    held only while the bulk write runs. Other dialects manage their own buffers: nothing changes.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")
