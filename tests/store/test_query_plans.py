"""The queue's plans at a million rows, pinned on a small real store.

A 2,000-row demo store is analysed, then its ``sqlite_stat1`` figures are scaled to a million
rows (SQLite documents editing sqlite_stat1 as the way to make a small database plan like a large
one). Every filter × sort × direction must then be served by an index walk, or — for the filters
that pick a bounded slice through an index (one agent's cases, overdue, due soon) — by a search on
that index; never a full sort of the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite as sqlite_dialect

from desktop.services.app import AppServices
from desktop.services.demo import generate
from desktop.services.queue import SORTABLE, QueueFilter, QueueQuery
from desktop.store.maintenance import analyze
from tests.accounts import open_as

SCALE = 500  # 2,000 rows → 1,000,000
# Filters that select through an index on their own columns: sorting that slice is bounded by it.
SLICE_FILTERS = {QueueFilter.MINE, QueueFilter.OVERDUE, QueueFilter.DUE_SOON}


@pytest.fixture(scope="module")
def million_row_plans(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServices]:
    path = tmp_path_factory.mktemp("plans") / "store.sqlite3"
    url = f"sqlite:///{path.as_posix()}"
    app = open_as(url, "tester", role="admin")
    generate(app.sessions, app.complaints, app.actor, 2000, seed=3)
    analyze(app.engine)
    # Scaled after the store is open: opening it again would find the figures stale (a million
    # rows claimed, 2,000 there) and analyse it afresh, as the product does for a user's store.
    _scale_statistics(path, SCALE)
    app.engine.dispose()  # connections made from now on load the scaled figures
    with app.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'complaints' LIMIT 1").scalar()
        assert int(str(rows).split()[0]) >= 2000 * SCALE // 2  # the plans below are judged at a million
    yield app
    app.close()


def _scale_statistics(path: Path, factor: int) -> None:
    raw = sqlite3.connect(path)
    with raw:
        for index, stat in raw.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'complaints'").fetchall():
            numbers = [int(n) for n in stat.split()]
            # Row count and rows-per-key grow with the table; unique keys stay at 1.
            scaled = [n * factor if position == 0 or n > 1 else n for position, n in enumerate(numbers)]
            raw.execute("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'complaints' AND idx IS ?",
                        (" ".join(map(str, scaled)), index))
        # stat4's samples count the real 2,000 rows and would override the scaled figures.
        if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetchone():
            raw.execute("DELETE FROM sqlite_stat4 WHERE tbl = 'complaints'")
    raw.close()


def _plan(app: AppServices, query: QueueQuery) -> list[str]:
    statement = app.queue.page_statement(query)
    sql = str(statement.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))
    with app.engine.connect() as connection:
        return [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", sorted(SORTABLE))
@pytest.mark.parametrize("queue_filter", list(QueueFilter), ids=lambda f: f.value)
def test_no_sort_of_the_whole_table(million_row_plans: AppServices, queue_filter: QueueFilter, sort: str,
                                    descending: bool) -> None:
    plan = _plan(million_row_plans, QueueQuery(filter=queue_filter, sort=sort, descending=descending))
    access = next(step for step in plan if step.startswith(("SCAN complaints", "SEARCH complaints")))
    assert "USING" in access and "INDEX" in access, plan  # never a bare table scan
    if any("TEMP B-TREE FOR ORDER BY" in step for step in plan):
        # Only a slice found through an index on the filter's own columns may be sorted.
        assert queue_filter in SLICE_FILTERS, plan
        assert access.startswith("SEARCH complaints USING INDEX"), plan


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", sorted(SORTABLE))
def test_open_queue_reads_filter_and_order_from_one_index(million_row_plans: AppServices, sort: str,
                                                          descending: bool) -> None:
    """Walking a plain sort index and skipping closed cases is slow where they cluster (the oldest
    received are closed); sorting every open case is slow as they grow. Neither may serve the desk's
    first screen."""
    plan = _plan(million_row_plans, QueueQuery(filter=QueueFilter.OPEN, sort=sort, descending=descending))
    access = next(step for step in plan if step.startswith(("SCAN complaints", "SEARCH complaints")))
    assert access.startswith("SEARCH complaints USING") and "(is_open=?)" in access, plan
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan


def test_store_without_statistics_is_analysed_on_open(tmp_path: Path) -> None:
    """A store whose statistics were lost is analysed again when it is next opened."""
    url = f"sqlite:///{(tmp_path / 'cold.sqlite3').as_posix()}"
    app = open_as(url, "tester", role="admin")
    generate(app.sessions, app.complaints, app.actor, 300, seed=5)
    with app.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    app.close()
    reopened = open_as(url, "tester", role="admin")  # opening analyses a store without statistics
    try:
        with reopened.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'complaints'").scalar_one()
        assert rows > 0
    finally:
        reopened.close()


@pytest.fixture(scope="module")
def agent_seat(million_row_plans: AppServices) -> Iterator[AppServices]:
    seat = open_as(million_row_plans.url, "plan_agent", role="agent", team="一组")
    yield seat
    seat.close()


@pytest.mark.parametrize("queue_filter", [f for f in QueueFilter if f is not QueueFilter.AWAITING_MY_APPROVAL],
                         ids=lambda f: f.value)
def test_an_agents_counts_are_read_from_the_agent_indexes(agent_seat: AppServices, queue_filter: QueueFilter) -> None:
    """The filter badges of a team seat: the assigned half of the count is answered by an index alone
    (OR-ed with the unassigned half, SQLite read every overdue row of the site to test its owner)."""
    statement = agent_seat.queue.count_statement(QueueQuery(filter=queue_filter))
    sql = str(statement.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))
    with agent_seat.engine.connect() as connection:
        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    access = [step for step in plan if step.startswith(("SCAN complaints", "SEARCH complaints"))]
    assert len(access) == 2, plan  # the two halves
    assert all(step.startswith("SEARCH complaints USING") for step in access), plan
    if queue_filter not in (QueueFilter.AWAITING_FOLLOW_UP, QueueFilter.INVALID):  # by status: not by agent
        assert "COVERING INDEX" in access[0], plan


def test_the_recompute_reads_each_slice_of_cases_by_primary_key(million_row_plans: AppServices) -> None:
    """With bound ids, as the recompute sends them. On the 1M bench store "is_open = 1 AND id IN (…)"
    made SQLite walk an is-open index for every slice (45 ms each); the slice asks by id alone."""
    from desktop.services.recompute import BATCH, slice_statement

    compiled = slice_statement(list(range(1, BATCH + 1))).compile(
        dialect=sqlite_dialect.dialect(), compile_kwargs={"render_postcompile": True})
    where = compiled.string.split("WHERE", 1)[1]
    assert where.strip().startswith("complaints.id IN (") and " AND " not in where  # nothing else to walk
    parameters = tuple(compiled.params[name] for name in compiled.positiontup or ())
    assert len(parameters) == BATCH
    with million_row_plans.engine.connect() as connection:
        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, parameters)]
    assert plan == ["SEARCH complaints USING INTEGER PRIMARY KEY (rowid=?)"], plan
