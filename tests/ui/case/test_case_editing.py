"""Editing a case: saves with the opened version, field errors beside fields, conflicts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from desktop.services.app import AppServices
from desktop.services.drafts import CASE_EDIT, DraftStore
from desktop.services.errors import ConcurrentEditError
from desktop.ui.case import conflict
from desktop.ui.case.conflict import ConflictChoice, ConflictDialog
from desktop.ui.case.field_names import field_name
from desktop.ui.case.view import CaseView
from tests.accounts import open_as

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")


@pytest.fixture
def second_seat(db_url: str, services: AppServices) -> Iterator[AppServices]:
    """Another agent's desk on the same SQLite file."""
    other = open_as(db_url, "colleague", display_name="同事")
    yield other
    other.close()


def test_typed_edit_is_saved_and_appears_in_the_timeline(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot) -> None:
    view = make_view(case_number)
    editor = view.details.fields.text_edits["demand"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " Refund 20 yuan")
    notes = view.notes.text_editors["investigation_notes"]
    notes.setFocus()
    qtbot.keyClicks(notes, "Checked the billing records.")
    assert set(view.pending_changes()) == {"demand", "investigation_notes"}
    with qtbot.waitSignal(view.changed):
        view.save_action.trigger()
    record = services.complaints.get(case_number)
    assert record.demand == "退还多扣费用。 Refund 20 yuan"
    assert record.investigation_notes == "Checked the billing records."
    assert record.version == 2
    assert not view.has_unsaved_changes()
    model = view.timeline.model
    changes = model.data(model.index(model.rowCount() - 1, 3))
    assert field_name("demand") in changes and field_name("investigation_notes") in changes


def test_bad_values_are_marked_beside_their_fields_and_kept(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices) -> None:
    view = make_view(case_number)
    view.details.fields.line_edits["phone"].setText("12345")
    assert not view.save()
    assert view.details.fields.error("phone")
    assert view.details.fields.line_edits["phone"].text() == "12345"
    assert services.complaints.get(case_number).phone == "13812345678"
    view.details.fields.line_edits["phone"].setText("13812345678")
    view.resolution.text_editors["compensation"].setText("12.345")
    assert not view.save()
    assert view.resolution.rows["compensation"].error.message()
    assert view.tabs.currentWidget() is view.resolution
    assert view.resolution.text_editors["compensation"].text() == "12.345"
    assert services.complaints.get(case_number).compensation is None


def _their_edit(second_seat: AppServices, number: str, **changes: str) -> None:
    record = second_seat.complaints.get(number)
    second_seat.complaints.update(second_seat.actor, number, changes,
                                  expected_version=record.version)


def test_conflict_keep_mine_saves_over_theirs_and_keeps_their_other_edits(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        second_seat: AppServices, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    view = make_view(case_number)
    _their_edit(second_seat, case_number, description="同事改过的描述", address="北京")
    view.details.fields.text_edits["description"].setPlainText("我改过的描述")
    shown: list[ConflictDialog] = []

    def answer(cls: type[ConflictDialog], parent: object, error: ConcurrentEditError
               ) -> ConflictChoice:
        dialog = cls(error, view)
        qtbot.addWidget(dialog)
        shown.append(dialog)
        return ConflictChoice.KEEP_MINE

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(answer))
    assert view.save()
    dialog = shown[0]
    assert (dialog.cell(0, 1), dialog.cell(0, 2)) == ("同事改过的描述", "我改过的描述")
    record = services.complaints.get(case_number)
    assert record.description == "我改过的描述"
    assert record.address == "北京"  # their other edit survives
    assert view.details.fields.line_edits["address"].text() == "北*"  # shown masked (see test_case_privacy.py)
    history = [e.changes for e in services.complaints.events(case_number) if e.kind == "updated"]
    assert history[0]["description"][1] == "同事改过的描述"  # theirs stays in the history
    assert DraftStore().list(CASE_EDIT) == []  # saved, so the safety copy is gone


def test_conflict_take_theirs_keeps_mine_in_a_draft_to_put_back(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        second_seat: AppServices, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    view = make_view(case_number)
    _their_edit(second_seat, case_number, description="同事改过的描述")
    view.details.fields.text_edits["description"].setPlainText("我改过的描述")
    monkeypatch.setattr(ConflictDialog, "ask",
                        classmethod(lambda cls, parent, error: ConflictChoice.TAKE_THEIRS))
    assert not view.save()
    assert view.details.fields.text_edits["description"].toPlainText() == "同事改过的描述"
    assert view.kept.isVisible()
    kept = DraftStore().list(CASE_EDIT, number=case_number)
    assert kept and kept[0].fields["description"] == "我改过的描述"
    view.kept.restore.click()
    assert view.details.fields.text_edits["description"].toPlainText() == "我改过的描述"
    assert view.save()  # against their version now: no conflict
    assert services.complaints.get(case_number).description == "我改过的描述"


def test_conflict_cancel_saves_nothing_and_keeps_the_screen(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        second_seat: AppServices, monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(case_number)
    _their_edit(second_seat, case_number, demand="同事的诉求")
    view.details.fields.text_edits["demand"].setPlainText("我的诉求")
    monkeypatch.setattr(ConflictDialog, "ask",
                        classmethod(lambda cls, parent, error: ConflictChoice.CANCEL))
    assert not view.save()
    assert services.complaints.get(case_number).demand == "同事的诉求"
    assert view.details.fields.text_edits["demand"].toPlainText() == "我的诉求"
    assert view.message.isVisible()
    assert DraftStore().list(CASE_EDIT, number=case_number)[0].fields["demand"] == "我的诉求"


def test_two_views_on_two_seats_both_versions_are_shown(
        make_view: Callable[..., CaseView], case_number: str, second_seat: AppServices,
        monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    mine = make_view(case_number)
    theirs = make_view(case_number, second_seat)
    theirs.details.fields.line_edits["customer_name"].setText("王芳芳")
    assert theirs.save()
    mine.details.fields.line_edits["customer_name"].setText("王方")
    dialogs: list[ConflictDialog] = []

    def answer(cls: type[ConflictDialog], parent: object, error: ConcurrentEditError
               ) -> ConflictChoice:
        dialogs.append(cls(error, None))
        qtbot.addWidget(dialogs[-1])
        dialogs[-1].copy_mine.click()
        return ConflictChoice.CANCEL

    monkeypatch.setattr(ConflictDialog, "ask", classmethod(answer))
    assert not mine.save()
    row = [dialogs[0].cell(0, column) for column in range(3)]
    assert row == [field_name("customer_name"), "王**", "王方"]  # their personal data stays masked
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and "王方" in clipboard.text()
    assert conflict.mine_as_text(dialogs[0].error).endswith("王方")
