"""Every seat sees the same truth: two seats (AppServices) on one store, SQLite file and PostgreSQL."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from desktop.store.changes import OpChanges, wait_for
from tests.accounts import open_as
from tests.services.test_complaints import sample


def _seats(url: str) -> tuple[AppServices, AppServices]:
    # The first seat is an administrator: sharing a law pack is an admin's step (lawpack.import).
    return (open_as(url, "zhuguan", role="admin", display_name="王主管"),
            open_as(url, "zuoxi", role="agent", display_name="李坐席"))


@pytest.fixture(params=["sqlite", "postgresql"])
def two_seats(request: pytest.FixtureRequest, db_url: str) -> Iterator[tuple[AppServices, AppServices]]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else db_url
    a, b = _seats(url)
    yield a, b
    a.close()
    b.close()


def test_changed_deadline_period_holds_on_the_other_seat_without_restart(
        two_seats: tuple[AppServices, AppServices]) -> None:
    supervisor, agent = two_seats
    start = datetime.fromisoformat(sample()["received_at"])
    before = agent.complaints.preview_deadline(start, "regulator").due_date
    supervisor.site.set(supervisor.actor, "deadline_rules", {"regulator": 3})
    after = agent.complaints.preview_deadline(start, "regulator").due_date
    assert after < before  # the agent's next operation uses the supervisor's new period
    created = agent.complaints.create(agent.actor, sample(channel="regulator"))
    assert created.reply_due_date == after


def test_imported_calendar_holds_on_the_other_seat(two_seats: tuple[AppServices, AppServices]) -> None:
    supervisor, agent = two_seats
    assert agent.shared.reloads == 0  # signing in builds no clock (holiday data is not start-up work)
    start = datetime.fromisoformat(sample()["received_at"])
    agent.complaints.preview_deadline(start)
    reloads = agent.shared.reloads
    assert reloads == 1
    agent.complaints.preview_deadline(start)
    agent.complaints.preview_deadline(start)
    assert agent.shared.reloads == reloads  # nothing changed: the cached clock is reused
    supervisor.site.set(supervisor.actor, "operator_name", "某运营商")
    agent.complaints.preview_deadline(start)
    assert agent.shared.reloads == reloads + 1


def test_law_pack_imported_on_one_seat_is_used_by_the_other(two_seats: tuple[AppServices, AppServices],
                                                            tmp_path: Path) -> None:
    from tests.ui.law.test_pack_import import amended_pack

    supervisor, agent = two_seats
    old = agent.law_pack.pack_version
    folder = amended_pack(tmp_path)
    supervisor.share_law_pack(folder)
    shutil.rmtree(folder)  # the pack lives in the database now, not in anyone's folder
    assert agent.law_pack.pack_version == "2030-01-02" != old
    assert agent.citations is not None


def test_change_on_one_seat_reaches_the_other_within_a_second(two_seats: tuple[AppServices, AppServices]) -> None:
    supervisor, agent = two_seats
    seen: list[OpChanges] = []
    feed = agent.changes
    feed.subscribe(seen.append)
    feed.start()
    try:
        assert feed.listening.wait(10)  # the figure is a change's way to a listening seat, not the connecting
        record = supervisor.complaints.create(supervisor.actor, sample())
        started = time.perf_counter()
        supervisor.complaints.transition(supervisor.actor, record.number, Action.ACKNOWLEDGE)
        wait_for(lambda: any(c.touches(record.number) and "transition" in c.kinds for c in seen), 5)
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"\n{supervisor.engine.dialect.name}: change visible on the other seat after {elapsed_ms:.1f} ms")
        assert elapsed_ms < 1000
        assert all(not c.local for c in seen)
        local: list[OpChanges] = []
        feed.subscribe(local.append)
        agent.complaints.update(agent.actor, record.number, {"resolution": "已退费"}, record.version + 1)
        assert local and local[0].local and local[0].numbers == {record.number}  # one signal, own changes too
        supervisor.site.set(supervisor.actor, "site_name", "二号厅")
        wait_for(lambda: any("site_settings" in c.shared for c in seen), 5)
    finally:
        feed.stop()


def test_postgresql_feed_starts_at_once_and_loses_no_change_made_meanwhile(postgres_url: str) -> None:
    """Starting returns before the feed connects; a change committed after the desk's first read but
    before LISTEN is active reaches it through the one refresh, one made right after start too."""
    supervisor, agent = _seats(postgres_url)
    seen: list[OpChanges] = []
    feed = agent.changes
    feed.subscribe(seen.append)
    try:
        agent.complaints.count()  # the desk's first read
        before = supervisor.complaints.create(supervisor.actor, sample()).number  # not yet heard
        started = time.perf_counter()
        feed.start()
        start_s = time.perf_counter() - started
        after = supervisor.complaints.create(supervisor.actor, sample()).number  # right after start
        wait_for(lambda: any(c.refresh for c in seen), 10)
        wait_for(lambda: any(c.touches(after) for c in seen), 5)
        assert start_s < 0.5
        refreshes = [c for c in seen if c.refresh]
        assert len(refreshes) == 1 and not refreshes[0].local and refreshes[0].touches(before)
        assert feed.listening.is_set()
    finally:
        feed.stop()
        supervisor.close()
        agent.close()


def test_starting_the_feed_does_not_wait_for_a_server_that_does_not_answer() -> None:
    """A PostgreSQL address that accepts the connection and never answers (a listening socket
    nobody serves): start() returns at once; the feed's own thread waits, and gives up on stop."""
    import socket

    from sqlalchemy import create_engine

    from desktop.store.changes import ChangeFeed, ChangeRecorder

    silent = socket.create_server(("127.0.0.1", 0))
    port = silent.getsockname()[1]
    engine = create_engine(f"postgresql+psycopg://desk:secret@127.0.0.1:{port}/desk")
    feed = ChangeFeed(engine, ChangeRecorder(origin="test"))
    try:
        started = time.perf_counter()
        feed.start()
        assert time.perf_counter() - started < 0.5
        assert not feed.listening.wait(1.0)  # still connecting, on the feed's thread
    finally:
        silent.close()  # the pending connection is reset: the thread's connect fails and it stops
        stopped = time.perf_counter()
        feed.stop()
        assert time.perf_counter() - stopped < 5
        engine.dispose()


def test_sqlite_poll_sees_nothing_when_nothing_was_committed(services: AppServices) -> None:
    feed = services.changes
    assert feed.poll() is True  # first look
    assert feed.poll() is False
    feed.stop()


def _share_amended_pack(db_url: str, tmp_path: Path) -> str:
    """An administrator stores the amended pack in the database (no seat's folder holds it) and logs a
    complaint; its number."""
    from tests.ui.law.test_pack_import import amended_pack

    supervisor = open_as(db_url, "zhuguan", role="admin", display_name="王主管")
    try:
        number = supervisor.complaints.create(supervisor.actor, sample()).number
        folder = amended_pack(tmp_path)
        supervisor.share_law_pack(folder)
        shutil.rmtree(folder)
    finally:
        supervisor.close()
    return number


def test_cli_law_lookup_uses_the_pack_stored_in_the_database(
        monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli.main import main
    from tests.accounts import cli_account

    _share_amended_pack(db_url, tmp_path)
    cli_account(monkeypatch, db_url, "zuoxi", role="agent", display_name="李坐席")
    # This PC never imported the pack (share_law_pack stores it in the database only); it trusts the
    # site CA that signed it, as every seat of the site must.
    assert main(["law", "show", "电信条例", "39", "--json"]) == 0
    assert "20日" in capsys.readouterr().out


def test_old_change_log_entries_are_pruned_but_the_shared_revision_stays(services: AppServices) -> None:
    from datetime import UTC, timedelta

    from sqlalchemy import func, select, update

    from desktop.store.changes import prune_change_log, shared_revision
    from desktop.store.models import ChangeLogEntry

    services.site.set(services.actor, "site_name", "一号厅")
    services.complaints.create(services.actor, sample())
    with services.sessions.begin() as session:
        revision = shared_revision(session.connection())
        session.execute(update(ChangeLogEntry).values(at=datetime.now(UTC) - timedelta(days=40)))
    assert prune_change_log(services.engine) >= 1
    with services.sessions() as session:
        assert shared_revision(session.connection()) == revision
        assert session.execute(select(func.count(ChangeLogEntry.seq))).scalar_one() == 1


def test_cli_cite_quotes_the_pack_stored_in_the_database(
        monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A seat whose own folder has only the bundled pack cites the article as every seat now reads it."""
    from desktop.cli.main import main
    from tests.accounts import cli_account

    number = _share_amended_pack(db_url, tmp_path)
    cli_account(monkeypatch, db_url, "zuoxi", role="supervisor", display_name="李坐席")
    assert main(["complaint", "cite", number, "电信条例", "39", "--json"]) == 0
    capsys.readouterr()

    reader = open_as(db_url, "zhuguan", role="admin", display_name="王主管")
    try:
        (stored,) = reader.citations.list(number)
    finally:
        reader.close()
    assert stored.pack_version == "2030-01-02"
    assert "20日" in stored.citation.text and "30日" not in stored.citation.text  # the amended wording
