from __future__ import annotations

import pytest

from desktop.domain.codes import Status
from desktop.domain.workflow import (
    TRANSITIONS,
    Action,
    IllegalTransitionError,
    MissingReasonError,
    allowed_actions,
    apply,
)
from desktop.i18n import set_language


def test_happy_path() -> None:
    status = Status.REGISTERED
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE, Action.SUBMIT_FOR_APPROVAL, Action.REPLY,
                   Action.FOLLOW_UP, Action.CLOSE):
        status = apply(action, status)
    assert status == Status.CLOSED


def test_every_illegal_transition_raises_a_typed_error() -> None:
    for action, transition in TRANSITIONS.items():
        for status in Status:
            if status in transition.sources:
                continue
            with pytest.raises(IllegalTransitionError) as caught:
                apply(action, status, reason="r")
            assert caught.value.current == status and caught.value.action == action


def test_illegal_transition_message_names_step_and_status() -> None:
    set_language("en")
    with pytest.raises(IllegalTransitionError) as caught:
        apply(Action.REPLY, Status.REGISTERED)
    assert "Record reply to customer" in str(caught.value)
    assert "Registered" in str(caught.value)
    set_language("zh_CN")
    with pytest.raises(IllegalTransitionError) as caught:
        apply(Action.REPLY, Status.REGISTERED)
    assert "已登记" in str(caught.value)


def test_reason_required_for_reopen_and_withdraw() -> None:
    with pytest.raises(MissingReasonError):
        apply(Action.REOPEN, Status.CLOSED)
    with pytest.raises(MissingReasonError):
        apply(Action.WITHDRAW, Status.INVESTIGATING, reason="   ")
    assert apply(Action.REOPEN, Status.CLOSED, reason="客户不满意") == Status.REOPENED


def test_allowed_actions_from_registered() -> None:
    allowed = allowed_actions(Status.REGISTERED)
    assert Action.ACKNOWLEDGE in allowed
    assert Action.REPLY not in allowed
    assert allowed_actions(Status.WITHDRAWN) == []
