"""The complaint service on a real SQLite file: numbers, events, workflow, concurrency, repeats."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.domain.deadlines import BEIJING
from desktop.domain.intake import IntakeError
from desktop.domain.validation import FieldError
from desktop.domain.workflow import Action, IllegalTransitionError
from desktop.law import Citation, LawIndex
from desktop.services.app import AppServices
from desktop.services.errors import ConcurrentEditError, NotFoundError
from desktop.store.models import Complaint, ComplaintEvent
from tests.accounts import open_as


def sample(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": "2025-09-28T10:00:00+08:00",
        "channel": "hotline",
        "category": "billing",
        "customer_name": "张三",
        "phone": "138 1234 5678",
        "description": "客户反映9月账单多扣费58元。",
        "demand": "要求退还多扣费用",
    }
    data.update(overrides)
    return data


def _count(services: AppServices, model: Any) -> int:
    with services.sessions() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_create_stores_normalised_complaint_with_deadline_and_event(services: AppServices) -> None:
    record = services.complaints.create(services.actor, sample())
    assert record.number == "TS-20250928-0001"
    assert record.phone == "13812345678"
    assert record.status == "registered"
    # 2025-09-28 + 15 = 2025-10-13, a working day after the National Day holiday (10/1–10/8).
    assert record.reply_due_date == date(2025, 10, 13)
    assert record.reply_due_at == datetime(2025, 10, 14, tzinfo=BEIJING)
    events = services.complaints.events(record.number)
    assert [e.kind for e in events] == ["created"]
    assert events[0].actor_name == "测试员"


def test_numbers_are_sequential_per_day(services: AppServices) -> None:
    first = services.complaints.create(services.actor, sample())
    second = services.complaints.create(services.actor, sample(phone="13912345678"))
    other_day = services.complaints.create(services.actor, sample(received_at="2025-09-29T08:00:00+08:00"))
    assert (first.number, second.number, other_day.number) == (
        "TS-20250928-0001", "TS-20250928-0002", "TS-20250929-0001")


def test_invalid_input_lists_every_field_and_stores_nothing(services: AppServices) -> None:
    with pytest.raises(IntakeError) as caught:
        services.complaints.create(services.actor, sample(phone="1381234567", channel="fax", customer_name=""))
    fields = [e.field for e in caught.value.errors]
    assert fields == ["channel", "customer_name", "phone"]
    assert _count(services, Complaint) == 0
    assert _count(services, ComplaintEvent) == 0


def test_future_receipt_is_rejected(services: AppServices) -> None:
    with pytest.raises(IntakeError) as caught:
        services.complaints.create(services.actor, sample(received_at="2999-01-01T00:00:00+08:00"))
    assert caught.value.errors[0].field == "received_at"


def test_full_workflow_records_each_step(services: AppServices) -> None:
    number = services.complaints.create(services.actor, sample()).number
    c = services.complaints
    c.transition(services.actor, number, Action.ACKNOWLEDGE)
    c.transition(services.actor, number, Action.INVESTIGATE)
    replied = c.transition(services.actor, number, Action.REPLY, details={
        "resolution": "已核实多扣费用，退还58元。", "reply_method": "phone", "compensation": "58.00"})
    assert replied.compensation == Decimal("58.00")
    followed = c.transition(services.actor, number, Action.FOLLOW_UP, details={"satisfaction": "5"})
    assert followed.satisfaction == 5
    closed = c.transition(services.actor, number, Action.CLOSE)
    assert closed.status == "closed" and closed.closed_at is not None
    events = c.events(number)
    assert [e.to_status for e in events if e.kind == "transition"] == [
        "acknowledged", "investigating", "replied", "followed_up", "closed"]
    reply_event = next(e for e in events if e.action == "reply")
    assert reply_event.changes["status"] == ["investigating", "replied"]
    assert reply_event.changes["compensation"] == [None, "58.00"]


def test_illegal_transition_stores_nothing(services: AppServices) -> None:
    record = services.complaints.create(services.actor, sample())
    with pytest.raises(IllegalTransitionError):
        services.complaints.transition(services.actor, record.number, Action.CLOSE)
    after = services.complaints.get(record.number)
    assert after.status == "registered" and after.version == record.version
    assert len(services.complaints.events(record.number)) == 1


def test_reply_needs_resolution_and_method(services: AppServices) -> None:
    number = services.complaints.create(services.actor, sample()).number
    services.complaints.transition(services.actor, number, Action.ACKNOWLEDGE)
    services.complaints.transition(services.actor, number, Action.INVESTIGATE)
    with pytest.raises(FieldError) as caught:
        services.complaints.transition(services.actor, number, Action.REPLY, details={"reply_method": "phone"})
    assert caught.value.field == "resolution"
    assert services.complaints.get(number).status == "investigating"


def test_mark_invalid_needs_a_known_reason(services: AppServices) -> None:
    number = services.complaints.create(services.actor, sample()).number
    with pytest.raises(FieldError):
        services.complaints.transition(services.actor, number, Action.MARK_INVALID, reason="whatever")
    record = services.complaints.transition(services.actor, number, Action.MARK_INVALID,
                                            details={"invalid_reason": "duplicate"})
    assert (record.status, record.validity, record.invalid_reason) == ("invalid", "invalid", "duplicate")


def test_update_keeps_history_and_detects_concurrent_edit(services: AppServices, db_url: str) -> None:
    record = services.complaints.create(services.actor, sample())
    other_seat = open_as(db_url, "seat2", display_name="二号席")
    try:
        theirs = other_seat.complaints.update(other_seat.actor, record.number,
                                              {"investigation_notes": "已调取话单"}, record.version)
        assert theirs.version == record.version + 1
        with pytest.raises(ConcurrentEditError) as caught:
            services.complaints.update(services.actor, record.number, {"investigation_notes": "客户补充材料"},
                                       record.version)
    finally:
        other_seat.close()
    assert caught.value.current.investigation_notes == "已调取话单"
    assert caught.value.attempted == {"investigation_notes": "客户补充材料"}
    saved = services.complaints.update(services.actor, record.number,
                                       {"investigation_notes": "已调取话单；客户补充材料"}, theirs.version)
    assert saved.investigation_notes == "已调取话单；客户补充材料"
    changes = [e.changes for e in services.complaints.events(record.number) if e.kind == "updated"]
    assert changes == [{"investigation_notes": [None, "已调取话单"]},
                       {"investigation_notes": ["已调取话单", "已调取话单；客户补充材料"]}]


def test_changing_receipt_recomputes_deadline(services: AppServices) -> None:
    record = services.complaints.create(services.actor, sample())
    updated = services.complaints.update(services.actor, record.number,
                                         {"received_at": "2025-01-20T09:00:00+08:00"}, record.version)
    # 2025-01-20 + 15 = 2025-02-04, the last day of the Spring Festival holiday → 2025-02-05.
    assert updated.reply_due_date == date(2025, 2, 5)
    assert updated.clock_start_at == updated.received_at


def test_repeat_lookup_and_link(services: AppServices) -> None:
    first = services.complaints.create(services.actor, sample(received_at="2025-08-01T09:00:00+08:00"))
    services.complaints.create(services.actor, sample(phone="13900000000"))
    current = services.complaints.create(services.actor, sample())
    earlier = services.complaints.earlier_from_number("13812345678", exclude_number=current.number)
    assert [e.number for e in earlier] == [first.number]
    assert earlier[0].description.startswith("客户反映")
    services.complaints.link(services.actor, current.number, first.number)
    services.complaints.link(services.actor, current.number, first.number)  # twice: still one link
    assert services.complaints.get(current.number).linked_numbers == (first.number,)
    with pytest.raises(FieldError):
        services.complaints.link(services.actor, current.number, current.number)


def test_unknown_number(services: AppServices) -> None:
    with pytest.raises(NotFoundError):
        services.complaints.get("TS-20990101-0001")
    with pytest.raises(NotFoundError):
        services.complaints.open_case("TS-20990101-0001")


def test_open_case_reads_what_the_writes_returned(services: AppServices) -> None:
    """The case file (Core rows, one transaction) agrees with the record a write builds from the ORM row."""
    earlier = services.complaints.create(services.actor, sample())
    current = services.complaints.create(services.actor, sample())
    services.complaints.link(services.actor, current.number, earlier.number)
    written = services.complaints.update(services.actor, current.number, {
        "compensation": "12.50", "investigation_notes": "已核实"}, services.complaints.get(current.number).version)
    hit = LawIndex(services.law_pack).search("电信条例 31")[0]
    cited = services.citations.add(services.actor, current.number, Citation.of(hit.statute, hit.article),
                                   confirmed=True)
    opened = services.complaints.open_case(" " + current.number.lower() + " ")  # case and spaces forgiven
    assert opened.record == services.complaints.get(current.number)
    assert opened.record == replace(written, version=opened.record.version)  # the citation bumped nothing else
    assert opened.record.compensation == Decimal("12.50") and opened.record.assigned_agent_name
    assert opened.record.linked_numbers == (earlier.number,)
    assert opened.events == services.complaints.events(current.number)
    assert [e.kind for e in opened.events] == ["created", "link", "updated", "citation"]
    assert opened.citations == services.citations.list(current.number) == [cited]


def test_regulator_and_privacy_rules_are_chosen(services: AppServices) -> None:
    regulator = services.complaints.create(services.actor, sample(channel="regulator"))
    privacy = services.complaints.create(services.actor, sample(category="privacy", phone="13912345678"))
    assert regulator.deadline_rule == "regulator"
    assert privacy.deadline_rule == "privacy"
    trace = services.complaints.reply_deadline(regulator).trace
    assert trace, "every deadline explains itself"


def test_reopen_restarts_the_clock(services: AppServices) -> None:
    number = services.complaints.create(services.actor, sample()).number
    c = services.complaints
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        c.transition(services.actor, number, action)
    c.transition(services.actor, number, Action.REPLY, details={"resolution": "已处理", "reply_method": "sms"})
    reopened = c.transition(services.actor, number, Action.REOPEN, reason="客户表示问题未解决")
    assert reopened.status == "reopened" and reopened.status_reason == "客户表示问题未解决"
    assert reopened.clock_start_at > reopened.received_at
    assert reopened.reply_due_date > date(2025, 10, 13)


def test_calendar_import_makes_provisional_deadlines_official(services: AppServices) -> None:
    # 2019 is before the bundled confirmed years (2020–2026): its deadlines start provisional.
    record = services.complaints.create(services.actor, sample(received_at="2019-09-20T10:00:00+08:00"))
    assert record.calendar_provisional
    schedule = {  # 国务院办公厅关于2019年部分节假日安排的通知 (国办发明电〔2018〕15号), National Day part
        "year": 2019,
        "source": "国办发明电〔2018〕15号",
        "rest_days": [{"date": f"2019-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
        "working_days": [{"date": "2019-09-29", "name": "国庆节调休"}, {"date": "2019-10-12", "name": "国庆节调休"}],
    }
    services.calendar.import_year(services.actor, json.dumps(schedule, ensure_ascii=False))
    services.reload_clock()
    changed = services.complaints.recompute_deadlines(services.actor)
    after = services.complaints.get(record.number)
    assert changed == 1
    assert not after.calendar_provisional
    # 2019-09-20 + 15 = 2019-10-05, inside the National Day holiday (10/1–10/7) → 2019-10-08.
    assert after.reply_due_date == date(2019, 10, 8)
    assert [e.kind for e in services.complaints.events(record.number)][-1] == "deadline"
