"""Approval policy, approve / return, reassignment and the team board, on a real store with real seats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.domain.validation import FieldError
from desktop.domain.workflow import Action
from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.approvals import ApprovalRequiredError
from desktop.services.errors import ConcurrentEditError, PermissionDeniedError, ServiceError
from tests.supervision import team_seats


@pytest.fixture
def seats(services: AppServices, db_url: str) -> Iterator[dict[str, AppServices]]:
    with team_seats(db_url, "lead", "other_lead", "wang", "zhou", "sun") as opened:
        set_language("en")
        yield opened


def _case(seat: AppServices, *, channel: str = "hotline", category: str = "billing",
          received_at: datetime | None = None) -> str:
    received = received_at or datetime.now(BEIJING) - timedelta(hours=2)
    number = seat.complaints.create(seat.actor, {
        "received_at": received.isoformat(), "channel": channel, "category": category,
        "customer_name": "张三", "phone": "13800000001", "description": "多扣费", "demand": "退费",
    }).number
    seat.complaints.transition(seat.actor, number, Action.ACKNOWLEDGE)
    seat.complaints.transition(seat.actor, number, Action.INVESTIGATE)
    return number


def _propose(seat: AppServices, number: str, resolution: str = "重复投诉，已合并处理") -> None:
    seat.complaints.update(seat.actor, number, {"resolution": resolution}, seat.complaints.get(number).version)


def test_nothing_is_submitted_for_approval_without_a_proposal(seats: dict[str, AppServices]) -> None:
    wang = seats["wang"]
    number = _case(wang)
    with pytest.raises(FieldError, match="proposed resolution"):
        wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    _propose(wang, number)
    assert wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL).status == "pending_approval"


REPLY: dict[str, Any] = {"resolution": "已退费 30 元", "reply_method": "phone"}


def test_an_ordinary_case_is_answered_without_approval(seats: dict[str, AppServices]) -> None:
    wang = seats["wang"]
    number = _case(wang)
    record = wang.complaints.transition(wang.actor, number, Action.REPLY, details={**REPLY, "compensation": "100"})
    assert record.status == Status.REPLIED


@pytest.mark.parametrize(("kind", "why"), [
    ("compensation", "compensation above 100 yuan"),
    ("regulator", "transferred by the regulator"),
    ("privacy", "personal-information complaint"),
])
def test_the_policy_holds_the_reply_until_a_supervisor_approves(seats: dict[str, AppServices], kind: str,
                                                                why: str) -> None:
    wang, lead = seats["wang"], seats["lead"]
    number = _case(wang, channel="regulator" if kind == "regulator" else "hotline",
                   category="privacy" if kind == "privacy" else "billing")
    details = {**REPLY, "compensation": "100.01" if kind == "compensation" else "0"}
    wang.complaints.update(wang.actor, number, {"resolution": REPLY["resolution"],
                                                "compensation": details["compensation"]},
                           wang.complaints.get(number).version)
    with pytest.raises(ApprovalRequiredError, match=why):
        wang.complaints.transition(wang.actor, number, Action.REPLY, details=details)
    assert wang.complaints.get(number).status == Status.INVESTIGATING  # nothing stored
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(ApprovalRequiredError, match="waiting"):
        wang.complaints.transition(wang.actor, number, Action.REPLY, details=details)
    assert number in lead.supervision.awaiting_approval(lead.actor)
    version = lead.complaints.get(number).version
    lead.supervision.approve(lead.actor, number, "同意", expected_version=version)
    assert number not in lead.supervision.awaiting_approval(lead.actor)
    record = wang.complaints.transition(wang.actor, number, Action.REPLY, details=details)
    assert record.status == Status.REPLIED
    kinds = [(e.kind, e.action) for e in wang.complaints.events(number)]
    assert ("approval", "approve") in kinds


def test_changing_the_compensation_after_approval_voids_it(seats: dict[str, AppServices]) -> None:
    wang, lead = seats["wang"], seats["lead"]
    number = _case(wang)
    wang.complaints.update(wang.actor, number, {"resolution": "退费", "compensation": "150"},
                           wang.complaints.get(number).version)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    lead.supervision.approve(lead.actor, number)
    with pytest.raises(ApprovalRequiredError, match="no longer counts"):
        wang.complaints.transition(wang.actor, number, Action.REPLY,
                                   details={"resolution": "退费", "reply_method": "phone", "compensation": "500"})
    wang.complaints.update(wang.actor, number, {"resolution": "退费并致歉"}, wang.complaints.get(number).version)
    with pytest.raises(ApprovalRequiredError, match="no longer counts"):
        wang.complaints.transition(wang.actor, number, Action.REPLY, details={"reply_method": "phone"})


def test_marking_invalid_needs_approval_by_default_and_the_policy_can_lift_it(
        seats: dict[str, AppServices], services: AppServices) -> None:
    wang, lead = seats["wang"], seats["lead"]
    number = _case(wang)
    with pytest.raises(ApprovalRequiredError, match="marking the complaint invalid"):
        wang.complaints.transition(wang.actor, number, Action.MARK_INVALID, details={"invalid_reason": "duplicate"})
    _propose(wang, number)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    lead.supervision.approve(lead.actor, number)
    assert wang.complaints.transition(wang.actor, number, Action.MARK_INVALID,
                                      details={"invalid_reason": "duplicate"}).status == Status.INVALID
    services.site.set(services.actor, "approval_policy", {"invalid": False, "compensation_above": None})  # admin
    second = _case(wang)
    assert wang.complaints.transition(wang.actor, second, Action.MARK_INVALID,
                                      details={"invalid_reason": "duplicate"}).status == Status.INVALID


def test_agents_cannot_approve_or_return_even_their_own_case(seats: dict[str, AppServices]) -> None:
    wang = seats["wang"]
    number = _case(wang)
    _propose(wang, number)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(PermissionDeniedError, match="is not allowed to do this"):
        wang.supervision.approve(wang.actor, number)
    with pytest.raises(PermissionDeniedError, match="is not allowed to do this"):
        wang.supervision.return_for_rework(wang.actor, number, "改一下")
    with pytest.raises(PermissionDeniedError, match="is not allowed to do this"):
        wang.complaints.transition(wang.actor, number, Action.RETURN_FOR_REWORK, reason="改一下")
    assert wang.supervision.awaiting_approval(wang.actor) == []


def test_another_agent_cannot_reply_on_a_pending_case(seats: dict[str, AppServices]) -> None:
    wang, zhou = seats["wang"], seats["zhou"]
    number = _case(wang)
    wang.complaints.update(wang.actor, number, {"resolution": "退费"}, wang.complaints.get(number).version)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(PermissionDeniedError, match="only its owner or a supervisor"):
        zhou.complaints.transition(zhou.actor, number, Action.REPLY, details=REPLY)
    assert wang.complaints.transition(wang.actor, number, Action.REPLY, details=REPLY).status == Status.REPLIED


def test_a_supervisor_of_another_team_cannot_decide(seats: dict[str, AppServices]) -> None:
    wang, other = seats["wang"], seats["other_lead"]
    number = _case(wang)
    _propose(wang, number)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(PermissionDeniedError, match="supervises team"):
        other.supervision.approve(other.actor, number)
    assert number not in other.supervision.awaiting_approval(other.actor)


def test_return_for_rework_needs_a_reason_and_clears_the_approval(seats: dict[str, AppServices]) -> None:
    wang, lead = seats["wang"], seats["lead"]
    number = _case(wang)
    wang.complaints.update(wang.actor, number, {"resolution": "退费", "compensation": "300"},
                           wang.complaints.get(number).version)
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(FieldError):
        lead.supervision.return_for_rework(lead.actor, number, "  ")
    stale = lead.complaints.get(number).version
    lead.supervision.approve(lead.actor, number, expected_version=stale)
    with pytest.raises(ConcurrentEditError):
        lead.supervision.return_for_rework(lead.actor, number, "金额过高", expected_version=stale)
    record = lead.supervision.return_for_rework(lead.actor, number, "金额过高")
    assert record.status == Status.INVESTIGATING and record.status_reason == "金额过高"
    wang.complaints.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    with pytest.raises(ApprovalRequiredError):  # the earlier approval went with the return
        wang.complaints.transition(wang.actor, number, Action.REPLY, details=REPLY)


def test_reassignment_moves_cases_within_the_team_with_a_reason(seats: dict[str, AppServices]) -> None:
    wang, zhou, lead = seats["wang"], seats["zhou"], seats["lead"]
    first, second = _case(wang), _case(wang)
    with pytest.raises(FieldError):
        lead.supervision.reassign_many(lead.actor, [first], "zhou", "")
    with pytest.raises(PermissionDeniedError):
        wang.supervision.reassign(wang.actor, first, "zhou", "休假")
    with pytest.raises(PermissionDeniedError, match="supervises team"):
        lead.supervision.reassign(lead.actor, first, "sun", "休假")  # sun is in another team
    with pytest.raises(ServiceError, match="nobody"):
        lead.supervision.reassign(lead.actor, first, "nobody", "休假")
    assert lead.supervision.reassign_many(lead.actor, [first, second], "zhou", "王芳休假") == [first, second]
    assert zhou.complaints.get(first).assigned_agent_name == "周杰"
    event = zhou.complaints.events(first)[-1]
    assert (event.kind, event.note, event.changes) == ("reassigned", "王芳休假", {"assigned_agent": ["王芳", "周杰"]})
    from desktop.services.queue import QueueFilter, QueueQuery

    mine = zhou.queue.fetch(QueueQuery(filter=QueueFilter.MINE), 0, 50)
    assert {first, second} <= {row.number for row in mine}


def test_team_board_counts_each_agents_load(seats: dict[str, AppServices]) -> None:
    wang, zhou, lead = seats["wang"], seats["zhou"], seats["lead"]
    now = datetime.now(UTC)
    _case(wang, received_at=datetime(2025, 1, 6, 10, tzinfo=BEIJING))  # long overdue
    _case(wang)  # due in about fifteen days
    replied = _case(zhou)
    zhou.complaints.transition(zhou.actor, replied, Action.REPLY, details=REPLY)
    board = {row.login: row for row in lead.supervision.team_board(lead.actor, now)}
    assert set(board) == {"wang", "zhou"}  # the lead's team only; supervisors are not on it
    assert (board["wang"].open, board["wang"].overdue, board["wang"].due_today) == (2, 1, 0)
    assert (board["zhou"].open, board["zhou"].awaiting_follow_up) == (0, 1)
    later = now + timedelta(days=14)
    shifted = {row.login: row for row in lead.supervision.team_board(lead.actor, later)}
    assert shifted["wang"].due_soon + shifted["wang"].due_today == 1
    with pytest.raises(PermissionDeniedError):
        wang.supervision.team_board(wang.actor)
