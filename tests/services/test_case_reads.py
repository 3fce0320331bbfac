"""Opening a case reads prepared SQL on the pooled connection's DB-API cursor (case_reads._Prepared):
the same record, history and citations as the ORM rows and as Core's own execution of the same
statements, on SQLite and PostgreSQL; the seat's scope still holds, and the statements are still seen
by SQLAlchemy's cursor events (what the benchmark captures and replays)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, event, select
from sqlalchemy.exc import DBAPIError

from desktop.domain.workflow import Action
from desktop.law import Citation, LawIndex
from desktop.services import case_reads
from desktop.services.app import AppServices
from desktop.services.case_reads import CaseFile
from desktop.services.case_rows import load_case
from desktop.services.citations import _stored
from desktop.services.complaints import ComplaintService
from desktop.services.errors import NotFoundError
from desktop.services.records import EventRecord
from desktop.store.models import ComplaintCitation, ComplaintEvent, User
from tests.accounts import open_as

SAMPLE = {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
          "customer_name": "张三", "phone": "13812345678", "description": "客户反映9月账单多扣费58元。",
          "demand": "要求退还多扣费用"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, db_url: str) -> str:
    if request.param == "sqlite":
        return db_url
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def seats(url: str) -> Iterator[dict[str, AppServices]]:
    """An admin, two agents of 一班 and one of 二班, on the same store."""
    opened = {"admin": open_as(url, "admin", role="admin", display_name="管理员")}
    try:
        for login, team in (("one", "一班"), ("mate", "一班"), ("two", "二班")):
            opened[login] = open_as(url, login, team=team)
        yield opened
    finally:
        for seat in opened.values():
            seat.close()


def _orm_case_file(services: AppServices, number: str) -> CaseFile:
    """What the ORM rows say: the record as writes build it, history and citations from mapped objects."""
    with services.sessions() as session:
        row = load_case(session, services.actor, number)
        record = ComplaintService._record(session, row)
        events = [EventRecord(id=e.id, at=e.at, actor_name=name, kind=e.kind, action=e.action,
                              from_status=e.from_status, to_status=e.to_status, changes=json.loads(e.changes),
                              note=e.note)
                  for e, name in session.execute(
                      select(ComplaintEvent, User.display_name).join(User, User.id == ComplaintEvent.actor_id)
                      .where(ComplaintEvent.complaint_id == row.id)
                      .order_by(ComplaintEvent.at, ComplaintEvent.id)).all()]
        citations = [_stored(c) for c in session.execute(
            select(ComplaintCitation).where(ComplaintCitation.complaint_id == row.id)
            .order_by(ComplaintCitation.id)).scalars()]
        return CaseFile(record, events, citations)


def _busy_case(seats: dict[str, AppServices]) -> tuple[str, str]:
    """A case of 一班 with a link, edits (money, notes), a transition and a citation; and one of 二班."""
    one, two = seats["one"], seats["two"]
    earlier = one.complaints.create(one.actor, SAMPLE).number
    number = one.complaints.create(one.actor, SAMPLE).number
    one.complaints.link(one.actor, number, earlier)
    one.complaints.update(one.actor, number, {"compensation": "12.50", "investigation_notes": "已核实"},
                          one.complaints.get(number).version)
    one.complaints.transition(one.actor, number, Action.ACKNOWLEDGE)
    hit = LawIndex(one.law_pack).search("电信条例 31")[0]
    one.citations.add(one.actor, number, Citation.of(hit.statute, hit.article), confirmed=True)
    other = two.complaints.create(two.actor, SAMPLE).number
    return number, other


def test_open_case_returns_what_the_orm_rows_hold(seats: dict[str, AppServices]) -> None:
    number, _other = _busy_case(seats)
    for login in ("one", "mate", "admin"):
        seat = seats[login]
        opened = seat.complaints.open_case(number)
        assert opened == _orm_case_file(seat, number)
        assert opened.record.compensation is not None and opened.record.linked_numbers
        assert opened.record.received_at.tzinfo is not None and opened.record.calendar_provisional in (True, False)
        assert [e.kind for e in opened.events] == ["created", "link", "updated", "transition", "citation"]
        assert len(opened.citations) == 1
        assert seat.complaints.get(number) == opened.record
        assert seat.complaints.events(number) == opened.events
        assert seat.citations.list(number) == opened.citations


def test_prepared_rows_equal_core_rows(seats: dict[str, AppServices]) -> None:
    """Each prepared statement converts its columns exactly as Core's result does."""
    number, _other = _busy_case(seats)
    one = seats["one"]
    reads = case_reads.CaseReads(one.actor)
    complaint_id = one.complaints.get(number).id
    statements: list[tuple[Any, Any]] = [
        (reads._record, number), (reads._id, number), (case_reads._LINKS_READ, complaint_id),
        (case_reads._EVENTS_READ, complaint_id), (case_reads._CITATIONS_READ, complaint_id)]
    with case_reads.reading(one.sessions) as connection:
        for prepared, value in statements:
            core = [tuple(row) for row in connection.execute(prepared._statement,
                                                             {prepared._variable: value}).all()]
            cursor = connection.connection.cursor()
            try:
                assert [tuple(row) for row in prepared.rows(connection, cursor, value)] == core
            finally:
                cursor.close()
            assert core  # every statement returned something to compare


def test_open_case_keeps_the_seats_scope(seats: dict[str, AppServices]) -> None:
    number, other = _busy_case(seats)
    one, two = seats["one"], seats["two"]
    for read in (one.complaints.open_case, one.complaints.get, one.complaints.events, one.citations.list):
        with pytest.raises(NotFoundError, match="或您无权查看"):
            read(other)
    with pytest.raises(NotFoundError, match="或您无权查看"):
        two.complaints.open_case(number)
    with pytest.raises(NotFoundError, match="或您无权查看"):
        one.complaints.open_case("TS-20990101-0001")
    assert two.complaints.open_case(other).record.number == other
    assert seats["admin"].complaints.open_case(other).record.number == other


def test_cursor_events_see_every_statement(seats: dict[str, AppServices]) -> None:
    """The benchmark captures what the app sends with ``before_cursor_execute``: the prepared path too."""
    number, _other = _busy_case(seats)
    one = seats["one"]
    seen: list[tuple[str, Any]] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(one.engine, "before_cursor_execute", on_execute)
    try:
        opened = one.complaints.open_case(number)
    finally:
        event.remove(one.engine, "before_cursor_execute", on_execute)
    assert len(seen) == 4
    assert [statement.split()[1] for statement, _ in seen] == [
        "complaints.id,", "complaints.number", "complaint_events.id,", "complaint_citations.id,"]
    assert opened.record.id in (seen[1][1] if isinstance(seen[1][1], tuple) else tuple(seen[1][1].values()))


def test_driver_errors_come_wrapped_as_sqlalchemy_errors(seats: dict[str, AppServices]) -> None:
    """What callers catch (``DBAPIError``: the CLI's store-unreachable message) is what Core raised."""
    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    statement = case_reads._Statement(select(missing.c.id).where(missing.c.id == bindparam("id")), "id")
    with case_reads.reading(seats["one"].sessions) as connection:
        cursor = connection.connection.cursor()
        try:
            with pytest.raises(DBAPIError, match="no_such_table"):
                statement.rows(connection, cursor, 1)
        finally:
            cursor.close()
