"""The queue service on a real SQLite store: filters, sorts and searches change the SQL result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desktop.domain.codes import OPEN_STATUSES, Status
from desktop.domain.deadlines import BEIJING
from desktop.services.app import AppServices
from desktop.services.demo import generate
from desktop.services.queue import DueSummary, QueueFilter, QueueQuery
from desktop.services.search import SearchKind, fts_phrase, parse_search

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


@pytest.fixture
def store(services: AppServices) -> AppServices:
    generate(services.sessions, services.complaints, services.actor, 400, seed=3, now=NOW)
    return services


def all_rows(app: AppServices, query: QueueQuery) -> list:
    total = app.queue.count(query, NOW)
    return app.queue.fetch(query, 0, total + 10, NOW)


def test_parse_search_decides_the_path_from_the_text() -> None:
    assert parse_search("  ").kind == SearchKind.NONE
    assert parse_search("TS-20261123-0042") == parse_search("ts202611230042")
    assert parse_search("TS-20261123-42").value == "TS-20261123-0042"
    assert parse_search("TS-202611").value == "TS-202611"
    assert parse_search("138 1234 5678").value == "13812345678"
    assert parse_search("010-62345678").kind == SearchKind.PHONE
    text = parse_search("宽带 不明扣费 王")
    assert (text.kind, text.long_terms, text.short_terms) == (SearchKind.TEXT, ("不明扣费",), ("宽带", "王"))
    # Seven digits are no phone number without an area code: searched as text (a house number, an amount).
    assert parse_search("1234567").kind == SearchKind.TEXT
    assert fts_phrase('a"b') == '"a""b"'


def test_each_filter_returns_exactly_its_rows(store: AppServices) -> None:
    everything = all_rows(store, QueueQuery(filter=QueueFilter.ALL))
    assert len(everything) == 400
    open_rows = all_rows(store, QueueQuery(filter=QueueFilter.OPEN))
    assert {r.number for r in open_rows} == {r.number for r in everything if Status(r.status) in OPEN_STATUSES}
    overdue = all_rows(store, QueueQuery(filter=QueueFilter.OVERDUE))
    assert overdue and all(r.reply_due_at <= NOW and Status(r.status) in OPEN_STATUSES for r in overdue)
    soon = all_rows(store, QueueQuery(filter=QueueFilter.DUE_SOON))
    assert all(NOW < r.reply_due_at <= NOW + timedelta(days=3) for r in soon)
    assert {r.status for r in all_rows(store, QueueQuery(filter=QueueFilter.AWAITING_FOLLOW_UP))} == {"replied"}
    assert {r.status for r in all_rows(store, QueueQuery(filter=QueueFilter.INVALID))} == {"invalid"}
    mine = all_rows(store, QueueQuery(filter=QueueFilter.MINE))
    assert mine and {r.agent_name for r in mine} == {"测试员"}
    counts = store.queue.counts(list(QueueFilter), now=NOW)
    assert counts[QueueFilter.ALL] == 400
    assert counts[QueueFilter.OPEN] == len(open_rows) and counts[QueueFilter.MINE] == len(mine)


@pytest.mark.parametrize("sort", ["number", "received_at", "customer_name", "category", "status", "reply_due_at"])
def test_sorting_is_done_in_sql_and_reverse_pages_match_forward_pages(store: AppServices, sort: str) -> None:
    query = QueueQuery(filter=QueueFilter.ALL, sort=sort)
    rows = all_rows(store, query)
    key = {"customer_name": "customer_name", "reply_due_at": "reply_due_at"}.get(sort, sort)
    values = [getattr(r, key) for r in rows]
    assert values == sorted(values)
    backwards = all_rows(store, query.with_(descending=True))
    assert [r.id for r in backwards] == [r.id for r in rows][::-1]
    # The last page read backwards (as "jump to the end" does) is the same as read forwards.
    assert store.queue.fetch(query, 390, 50, NOW, total=400) == rows[390:]
    assert store.queue.fetch(query, 350, 20, NOW, total=400) == rows[350:370]


def test_text_search_uses_trigram_for_three_characters_and_like_for_fewer(store: AppServices) -> None:
    rows = all_rows(store, QueueQuery(filter=QueueFilter.ALL))
    record = store.complaints.get(rows[17].number)
    name = record.customer_name
    found = all_rows(store, QueueQuery(filter=QueueFilter.ALL, search=record.description[3:9]))
    assert record.number in {r.number for r in found}
    assert all(record.description[3:9] in store.complaints.get(r.number).description
               or record.description[3:9] in store.complaints.get(r.number).demand for r in found[:20])
    # Two characters: the trigram index cannot answer; the plain-table LIKE must.
    two = name[:2]
    short = all_rows(store, QueueQuery(filter=QueueFilter.ALL, search=two))
    assert record.number in {r.number for r in short}
    expected = sum(1 for r in rows if two in r.customer_name or two in _texts(store, r.number))
    assert len(short) == expected
    assert all_rows(store, QueueQuery(filter=QueueFilter.ALL, search="绝不会出现的内容")) == []


def _texts(app: AppServices, number: str) -> str:
    r = app.complaints.get(number)
    return " ".join([r.description, r.demand, r.address or ""])


def test_search_combines_with_the_filter_and_matches_number_and_phone_exactly(store: AppServices) -> None:
    target = all_rows(store, QueueQuery(filter=QueueFilter.OPEN))[5]
    by_number = all_rows(store, QueueQuery(filter=QueueFilter.ALL, search=target.number.lower()))
    assert [r.number for r in by_number] == [target.number]
    by_phone = all_rows(store, QueueQuery(filter=QueueFilter.ALL, search=target.phone))
    assert target.number in {r.number for r in by_phone} and {r.phone for r in by_phone} == {target.phone}
    closed = all_rows(store, QueueQuery(filter=QueueFilter.INVALID, search=target.number))
    assert closed == []
    day_prefix = target.number[:11]
    assert all(r.number.startswith(day_prefix)
               for r in all_rows(store, QueueQuery(filter=QueueFilter.ALL, search=day_prefix)))


def test_row_of_finds_the_position_in_the_current_order(store: AppServices) -> None:
    for query in (QueueQuery(filter=QueueFilter.OPEN), QueueQuery(filter=QueueFilter.ALL, sort="number",
                                                                    descending=True)):
        rows = all_rows(store, query)
        for position in (0, 7, len(rows) - 1):
            assert store.queue.row_of(query, rows[position].number, NOW) == position
    open_number = all_rows(store, QueueQuery(filter=QueueFilter.OPEN))[0].number
    assert store.queue.row_of(QueueQuery(filter=QueueFilter.INVALID), open_number, NOW) is None


def test_due_summary_counts_own_cases_due_today_and_overdue(store: AppServices) -> None:
    summary = store.queue.due_summary(NOW)
    mine = all_rows(store, QueueQuery(filter=QueueFilter.MINE))
    overdue = sum(1 for r in mine if r.reply_due_at <= NOW)
    today = NOW.astimezone(BEIJING).date()
    due_today = sum(1 for r in mine if r.reply_due_at > NOW and r.reply_due_at.astimezone(BEIJING).date() == today)
    assert summary == DueSummary(due_today=due_today, overdue=overdue)
    assert overdue > 0
    later = store.queue.due_summary(NOW + timedelta(days=30))
    assert later.overdue >= summary.overdue and later.total >= summary.overdue


def test_a_team_seats_counts_match_its_rows(store: AppServices) -> None:
    """Counted as two halves (assigned in the team; unassigned, registered in it), as the rows show."""
    from sqlalchemy import text

    from tests.accounts import open_as
    from tests.services.test_complaints import sample

    seat = open_as(store.url, "counter_agent", role="agent", team="一组")
    try:
        mine = [seat.complaints.create(seat.actor, sample(phone=f"1390000{i:04d}")).number for i in range(3)]
        with store.engine.begin() as connection:  # registered here, nobody assigned yet
            connection.execute(text("UPDATE complaints SET assigned_agent_id = NULL WHERE number IN (:a, :b)"),
                               {"a": mine[0], "b": mine[1]})
        with store.engine.connect() as connection:
            in_team = connection.execute(text(
                "SELECT COUNT(*) FROM complaints WHERE COALESCE(assigned_agent_id, created_by_id) IN "
                "(SELECT id FROM users WHERE team = '一组' OR login = 'counter_agent')")).scalar_one()
        totals = {}
        for queue_filter in QueueFilter:
            query = QueueQuery(filter=queue_filter)
            totals[queue_filter] = seat.queue.count(query, NOW)
            assert totals[queue_filter] == len(seat.queue.fetch(query, 0, 100_000, NOW)), queue_filter
        assert totals[QueueFilter.ALL] == in_team
        site_total = store.complaints.count()
        assert 0 < totals[QueueFilter.OVERDUE] < totals[QueueFilter.OPEN] < totals[QueueFilter.ALL] < site_total
    finally:
        seat.close()
