"""Planner statistics the product maintains by itself (no benchmark-only tuning)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from desktop.services.demo import generate
from desktop.store.maintenance import STALE_FACTOR, ensure_statistics, statistics_are_current
from tests.accounts import open_as


def _recorded_rows(path: Path) -> int | None:
    raw = sqlite3.connect(path)
    try:
        row = raw.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'complaints' AND idx IS NOT NULL "
                          "LIMIT 1").fetchone()
    except sqlite3.OperationalError:  # no sqlite_stat1 yet
        return None
    finally:
        raw.close()
    return int(row[0].split()[0]) if row else None


def test_open_analyses_a_store_that_grew(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    url = f"sqlite:///{path.as_posix()}"
    app = open_as(url, "tester", role="admin")
    assert _recorded_rows(path) is None  # an empty store has nothing to analyse
    generate(app.sessions, app.complaints, app.actor, 200, seed=1)
    assert not statistics_are_current(app.engine)
    app.close()

    app = open_as(url, "tester", role="admin")
    first = _recorded_rows(path)
    assert first is not None and first > 0
    assert statistics_are_current(app.engine)
    # Growth within the factor keeps the statistics; beyond it they are taken again at the next start.
    generate(app.sessions, app.complaints, app.actor, int(200 * STALE_FACTOR) + 50, seed=2)
    assert not statistics_are_current(app.engine)
    app.close()
    app = open_as(url, "tester", role="admin")
    try:
        assert statistics_are_current(app.engine)
        again = _recorded_rows(path)
        assert again is not None and again > first
    finally:
        app.close()


def test_a_seat_closes_and_opens_while_another_holds_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    url = f"sqlite:///{path.as_posix()}"
    app = open_as(url, "tester", role="admin")
    generate(app.sessions, app.complaints, app.actor, 120, seed=3)
    other_seat = sqlite3.connect(path, timeout=0.1)
    engine = create_engine(url, connect_args={"timeout": 0.1})
    try:
        other_seat.execute("BEGIN EXCLUSIVE")  # the other seat is mid-save
        app.close()  # close-time maintenance is skipped, not raised
        assert ensure_statistics(engine) is False  # open-time analysis is left for a later start
    finally:
        other_seat.rollback()
        other_seat.close()
    assert _recorded_rows(path) is None  # nothing was analysed while the lock was held
    assert ensure_statistics(engine) is True  # once the seat is free, the next start does it
    engine.dispose()
    assert _recorded_rows(path) is not None


def test_an_index_added_since_the_last_analysis_makes_the_statistics_stale(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    url = f"sqlite:///{path.as_posix()}"
    app = open_as(url, "tester", role="admin")
    try:
        generate(app.sessions, app.complaints, app.actor, 150, seed=4)
        assert ensure_statistics(app.engine) is True
        assert statistics_are_current(app.engine)
        with app.engine.begin() as connection:  # as a migration adding an index does
            connection.exec_driver_sql("CREATE INDEX ix_test_added ON complaints (channel)")
        assert not statistics_are_current(app.engine)
        assert ensure_statistics(app.engine) is True
        assert statistics_are_current(app.engine)
    finally:
        app.close()
