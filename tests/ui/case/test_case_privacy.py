"""Personal data in the case view: masked and read-only, revealed with a reason, never overwritten by a mask."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.domain.masking import PERSONAL_FIELDS
from desktop.services.app import AppServices
from desktop.services.privacy import AccessQuery
from desktop.ui.case.personal import RevealDialog, RevealMode
from desktop.ui.case.view import CaseView
from tests.accounts import open_as

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")

FULL = {
    "received_at": "2026-03-02T09:30:00+08:00", "channel": "hotline", "category": "billing",
    "customer_name": "欧阳娜娜", "phone": "13812345678", "contact_phone": "010-62345678",
    "id_number": "11010519491231002X", "address": "北京市海淀区中关村大街1号",
    "description": "三月账单多扣了20元流量费。", "demand": "退还多扣费用。",
}
MASKED = {"customer_name": "欧阳**", "phone": "138****5678", "contact_phone": "010-****5678",
          "id_number": "110105********002X", "address": "北京市海淀区*******"}


@pytest.fixture
def full_case(services: AppServices) -> str:
    return services.complaints.create(services.actor, FULL).number


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, RevealMode] | None]:
    """What the reveal dialog answers, in order; each call pops one."""
    queue: list[tuple[str, RevealMode] | None] = []

    def ask(cls: type[RevealDialog], parent: object, field_label: str) -> tuple[str, RevealMode] | None:
        return queue.pop(0)

    monkeypatch.setattr(RevealDialog, "ask", classmethod(ask))
    return queue


@pytest.fixture
def other_team(db_url: str, services: AppServices) -> Iterator[AppServices]:
    seat = open_as(db_url, "outsider", role="agent", display_name="外班坐席", team="二班")
    yield seat
    seat.close()


def screen_text(view: CaseView) -> str:
    lines = [view.details.fields.line_edits[name].text() for name in PERSONAL_FIELDS]
    return "\n".join([view.header.customer.text(), *lines])


def log(services: AppServices) -> list[tuple[str, str | None, str | None, str]]:
    return [(e.action, e.number, e.field, e.reason) for e in services.privacy.entries(services.actor, AccessQuery())]


def test_personal_fields_are_masked_and_read_only(make_view: Callable[..., CaseView], full_case: str) -> None:
    view = make_view(full_case)
    for name, masked in MASKED.items():
        line = view.details.fields.line_edits[name]
        assert line.text() == masked and line.isReadOnly()
        assert view.details.masked.buttons[name].isEnabled()
        assert not view.details.fields.error(name)  # a mask is not reported as a bad number
    assert not view.details.fields.text_edits["demand"].isReadOnly()
    for value in ("13812345678", "11010519491231002X", "62345678", "中关村大街", "娜娜"):
        assert value not in screen_text(view)


def test_editing_another_field_keeps_the_stored_personal_data(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices, qtbot: QtBot) -> None:
    view = make_view(full_case)
    editor = view.details.fields.text_edits["demand"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " in writing")
    assert set(view.pending_changes()) == {"demand"}
    assert view.save()
    stored = services.complaints.get(full_case)
    assert stored.demand == "退还多扣费用。 in writing" and stored.version == 2
    assert {name: getattr(stored, name) for name in MASKED} == {name: FULL[name] for name in MASKED}
    assert log(services) == []  # saving needs no reveal


def test_show_asks_for_a_reason_reveals_and_records(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices,
        answers: list[tuple[str, RevealMode] | None]) -> None:
    view = make_view(full_case)
    answers.append(None)  # cancelled: nothing shown, nothing recorded
    view.details.masked.buttons["phone"].click()
    assert view.details.fields.line_edits["phone"].text() == MASKED["phone"] and log(services) == []

    answers.append(("回访客户", RevealMode.SHOW))
    view.details.masked.buttons["phone"].click()
    line = view.details.fields.line_edits["phone"]
    assert line.text() == "13812345678" and not line.isReadOnly()
    assert view.details.masked.buttons["phone"].isHidden()
    assert not view.pending_changes()  # showing is not an edit
    assert "已记录" in view.info.text()
    assert log(services) == [("reveal", full_case, "phone", "回访客户")]

    line.setText("13912345678")  # a revealed field is edited like any other
    assert view.save()
    assert services.complaints.get(full_case).phone == "13912345678"
    assert view.details.fields.line_edits["phone"].text() == "139****5678"  # masked again after the reload
    model = view.timeline.model
    changes = str(model.data(model.index(model.rowCount() - 1, 3)))
    assert "138****5678" in changes and "13912345678" not in changes


def test_copy_without_showing_puts_the_number_on_the_clipboard_only(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices,
        answers: list[tuple[str, RevealMode] | None]) -> None:
    view = make_view(full_case)
    clipboard = QGuiApplication.clipboard()
    clipboard.clear()
    answers.append(("回访客户", RevealMode.COPY))
    assert view.reveal_field("contact_phone")
    assert clipboard.text() == "010-62345678"
    assert view.details.fields.line_edits["contact_phone"].text() == MASKED["contact_phone"]
    assert "62345678" not in view.info.text()
    assert log(services) == [("copy", full_case, "contact_phone", "回访客户")]


def test_agent_of_another_team_is_refused_and_sees_nothing(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices, other_team: AppServices,
        answers: list[tuple[str, RevealMode] | None]) -> None:
    view = make_view(full_case, other_team)
    answers.append(("回访客户", RevealMode.SHOW))
    assert not view.reveal_field("id_number")
    # Another team's case is outside the agent's scope: not even the masked values are shown.
    assert "无权查看" in view.message.message()
    assert view.details.fields.line_edits["id_number"].text() in ("", MASKED["id_number"])
    assert "11010519491231002X" not in view.message.message() + screen_text(view)
    assert log(services) == []


def test_shortcut_reveals_the_focused_field(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices, qtbot: QtBot,
        answers: list[tuple[str, RevealMode] | None]) -> None:
    view = make_view(full_case)
    line = view.details.fields.line_edits["address"]
    view.tabs.setCurrentWidget(view.details)
    line.setFocus()
    answers.append(("寄送函件", RevealMode.SHOW))
    qtbot.keyClick(line, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert line.text() == FULL["address"]
    assert log(services) == [("reveal", full_case, "address", "寄送函件")]


def test_reveal_dialog_needs_a_reason(qtbot: QtBot) -> None:
    dialog = RevealDialog("联系电话")
    qtbot.addWidget(dialog)
    assert dialog.reason.count() == 4 and dialog.reason.currentText() == ""
    dialog.show_button.click()
    assert dialog.result() == 0 and "原因" in dialog.problem.message()
    dialog.reason.setCurrentIndex(0)
    dialog.copy_button.click()
    assert dialog.mode is RevealMode.COPY and dialog.reason_text() == "回访客户"


def test_history_masks_numbers_typed_into_free_text(
        make_view: Callable[..., CaseView], full_case: str, services: AppServices) -> None:
    record = services.complaints.get(full_case)
    services.complaints.update(services.actor, full_case, {"description": "客户改用13912345678联系"},
                               expected_version=record.version)
    view = make_view(full_case)
    model = view.timeline.model
    changes = str(model.data(model.index(model.rowCount() - 1, 3)))
    assert "139****5678" in changes and "13912345678" not in changes
