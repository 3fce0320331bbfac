"""Workflow buttons, prompts, header and history of the case view, on a real store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.domain.deadline_state import DeadlineState
from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from desktop.ui.case import prompts
from desktop.ui.case.header import STATE_LOOK
from desktop.ui.case.timeline import TimelineModel
from desktop.ui.case.view import CaseView

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")


def test_only_legal_steps_are_enabled(make_view: Callable[..., CaseView], case_number: str) -> None:
    view = make_view(case_number)
    buttons = view.transitions.buttons
    assert buttons[Action.ACKNOWLEDGE].isEnabled()
    assert not buttons[Action.REPLY].isEnabled()
    assert not buttons[Action.CLOSE].isEnabled()
    assert buttons[Action.MARK_INVALID].isEnabled()
    assert buttons[Action.REPLY].toolTip()  # says when it would be possible


def test_acknowledge_by_keyboard_moves_the_case_on(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot) -> None:
    view = make_view(case_number)
    button = view.transitions.buttons[Action.ACKNOWLEDGE]
    button.setFocus()
    with qtbot.waitSignal(view.changed) as changed:
        qtbot.keyClick(button, Qt.Key.Key_Space)
    assert changed.args == [case_number]
    assert services.complaints.get(case_number).status == "acknowledged"
    assert not view.transitions.buttons[Action.ACKNOWLEDGE].isEnabled()
    assert view.transitions.buttons[Action.INVESTIGATE].isEnabled()
    assert view.timeline.model.rowCount() == 2


def test_whole_workflow_with_the_prompts_answered(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(prompts.ReplyDialog, "ask", classmethod(
        lambda cls, parent, resolution="", compensation="": asked.append("reply") or {
            "reply_method": "phone", "resolution": resolution or "已退还20元。",
            "compensation": "20"}))
    monkeypatch.setattr(prompts.FollowUpDialog, "ask", classmethod(
        lambda cls, parent: asked.append("follow") or {"satisfaction": 4, "comment": "满意"}))
    answers = iter([False, True])
    monkeypatch.setattr(prompts.ConfirmDialog, "ask", classmethod(
        lambda cls, parent, action: asked.append(f"confirm {action}") or next(answers)))
    view = make_view(case_number)
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        view.transitions.buttons[action].click()
    view.resolution.text_editors["resolution"].setPlainText("核实后退还20元。")
    view.transitions.buttons[Action.REPLY].click()  # saves the typed resolution first
    record = services.complaints.get(case_number)
    assert record.status == "replied" and record.reply_method == "phone"
    assert record.resolution == "核实后退还20元。"
    assert str(record.compensation) == "20.00"
    view.transitions.buttons[Action.FOLLOW_UP].click()
    assert services.complaints.get(case_number).satisfaction == 4
    view.transitions.buttons[Action.CLOSE].click()  # first confirmation: declined
    assert services.complaints.get(case_number).status == "followed_up"
    view.transitions.buttons[Action.CLOSE].click()
    assert services.complaints.get(case_number).status == "closed"
    assert asked == ["reply", "follow", "confirm close", "confirm close"]
    assert view.transitions.buttons[Action.REOPEN].isEnabled()
    assert view.details.fields.line_edits["phone"].isReadOnly()  # closed: read-only


def test_steps_needing_a_reason_ask_for_it(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    reasons: list[str | None] = [None, "客户来电撤诉"]
    monkeypatch.setattr(prompts.ReasonDialog, "ask",
                        classmethod(lambda cls, parent, action: reasons.pop(0)))
    monkeypatch.setattr(prompts.ConfirmDialog, "ask", classmethod(lambda cls, parent, a: True))
    view = make_view(case_number)
    view.transitions.buttons[Action.WITHDRAW].click()  # reason prompt cancelled
    assert services.complaints.get(case_number).status == "registered"
    view.transitions.buttons[Action.WITHDRAW].click()
    record = services.complaints.get(case_number)
    assert record.status == "withdrawn" and record.status_reason == "客户来电撤诉"
    last = view.timeline.model.item(view.timeline.model.rowCount() - 1)
    assert last.note == "客户来电撤诉"


def test_mark_invalid_and_appeal_details(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts.InvalidReasonDialog, "ask",
                        classmethod(lambda cls, parent: {"invalid_reason": "duplicate"}))
    monkeypatch.setattr(prompts.ConfirmDialog, "ask", classmethod(lambda cls, parent, a: True))
    monkeypatch.setattr(prompts.AppealDialog, "ask", classmethod(
        lambda cls, parent: {"appeal_date": date(2026, 3, 5), "appeal_reference": "GX-1"}))
    view = make_view(case_number)
    view.transitions.buttons[Action.RECORD_APPEAL].click()
    record = services.complaints.get(case_number)
    assert (record.status, record.appeal_reference) == ("appealed", "GX-1")
    other = services.complaints.create(services.actor, {
        **{k: getattr(record, k) for k in ("channel", "category", "customer_name", "phone",
                                           "description", "demand")},
        "received_at": record.received_at}).number
    view.show_case(other)
    view.transitions.buttons[Action.MARK_INVALID].click()
    assert services.complaints.get(other).invalid_reason == "duplicate"


def test_real_prompt_dialogs_collect_their_details(qtbot: QtBot) -> None:
    reply = prompts.ReplyDialog("", "")
    qtbot.addWidget(reply)
    ok = reply.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None and not ok.isEnabled()  # a reply needs its resolution
    reply.resolution.setPlainText("已退费")
    assert not ok.isEnabled()  # and its method: none is chosen for the agent
    reply.method.setCurrentIndex(reply.method.findData("sms"))
    assert ok.isEnabled()
    assert reply.details() == {"reply_method": "sms", "resolution": "已退费"}
    reason = prompts.ReasonDialog(Action.REOPEN)
    qtbot.addWidget(reason)
    assert not reason.is_complete()
    appeal = prompts.AppealDialog()
    qtbot.addWidget(appeal)
    assert isinstance(appeal.details()["appeal_date"], date)
    follow = prompts.FollowUpDialog()
    qtbot.addWidget(follow)
    follow_ok = follow.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert follow_ok is not None and not follow_ok.isEnabled()  # no satisfaction is filled in
    assert follow.satisfaction.currentData() is None
    assert [follow.satisfaction.itemData(i) for i in range(1, follow.satisfaction.count())] == [1, 2, 3, 4, 5]
    follow.satisfaction.setCurrentIndex(follow.satisfaction.findData(4))
    assert follow_ok.isEnabled() and follow.details()["satisfaction"] == 4
    invalid = prompts.InvalidReasonDialog()
    qtbot.addWidget(invalid)
    assert not invalid.is_complete()


def test_header_shows_state_by_symbol_and_words_and_the_trace(
        make_view: Callable[..., CaseView], case_number: str, qtbot: QtBot) -> None:
    view = make_view(case_number)
    record = view.record
    assert record is not None
    view.header.refresh_countdown(record.reply_due_at + timedelta(hours=1))
    assert view.header.state == DeadlineState.OVERDUE
    symbol, colour = STATE_LOOK[DeadlineState.OVERDUE]
    assert view.header.countdown.text().startswith(symbol)
    assert colour in view.header.countdown.styleSheet()
    view.header.refresh_countdown(record.reply_due_at - timedelta(days=10))
    assert view.header.state == DeadlineState.ON_TIME
    assert record.number in view.header.number.text()
    assert "王*" in view.header.customer.text() and "138****5678" in view.header.customer.text()
    assert "2026-03-17" in view.header.countdown.toolTip()  # the trace names the last day
    view.header.trace_button.click()
    assert view.header.trace_dialog is not None and view.header.trace_dialog.isVisible()


def test_timeline_model_passes_qtmodeltester(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtmodeltester: Any) -> None:
    record = services.complaints.get(case_number)
    services.complaints.update(services.actor, case_number, {"demand": "退费并道歉"},
                               expected_version=record.version)
    services.complaints.transition(services.actor, case_number, Action.ACKNOWLEDGE)
    model = TimelineModel()
    model.set_items(services.complaints.events(case_number))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3


def test_timeline_rows_say_who_when_and_old_to_new(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices) -> None:
    record = services.complaints.get(case_number)
    services.complaints.update(services.actor, case_number, {"demand": "退费并道歉"},
                               expected_version=record.version)
    services.complaints.transition(services.actor, case_number, Action.ACKNOWLEDGE)
    view = make_view(case_number)
    model = view.timeline.model
    texts = [[model.data(model.index(row, column)) for column in range(4)]
             for row in range(model.rowCount())]
    assert all(row[1] == "测试员" for row in texts)
    edited = texts[1][3]
    assert "退还多扣费用。 → 退费并道歉" in edited
    assert "demand" not in edited  # the field name is translated
    assert "已登记" in texts[2][2] or "Registered" in texts[2][2]
