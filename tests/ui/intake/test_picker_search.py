"""The intake's category picker: typing 计费, zfzy, zifei or billing chooses 资费争议 (billing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.intake.form import IntakeForm
from desktop.ui.widgets.code_picker import SEARCH_ROLE

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")


@pytest.mark.parametrize("typed", ["计费", "zfzy", "zifei", "billing"])
def test_typed_synonym_or_pinyin_becomes_the_category(make_form: Callable[[], IntakeForm], keyboard,
                                                       qtbot: QtBot, typed: str) -> None:
    form = make_form()
    picker = form.fields.pickers["category"]
    picker.setFocus()
    keyboard.type(typed)
    assert picker.code() == "billing"
    keyboard.tab()
    assert picker.code() == "billing"
    assert form.fields.values()["category"] == "billing"
    assert keyboard.focused() is form.fields.line_edits["customer_name"]


def test_the_completer_pop_up_offers_pinyin_matches(make_form: Callable[[], IntakeForm], keyboard,
                                                    qtbot: QtBot) -> None:
    form = make_form()
    picker = form.fields.pickers["category"]
    picker.setFocus()
    keyboard.type("xhzw")
    completer = picker.completer()
    assert completer is not None and completer.completionRole() == SEARCH_ROLE
    qtbot.waitUntil(lambda: completer.completionCount() == 1, timeout=2000)
    assert completer.currentCompletion() or completer.completionModel().index(0, 0).data(
        Qt.ItemDataRole.DisplayRole) == "携号转网"


def test_pinyin_joins_the_search_texts_when_the_picker_takes_the_focus(make_form: Callable[[], IntakeForm],
                                                                       qtbot: QtBot) -> None:
    """Start-up does not load pypinyin's dictionaries; the first focus on a picker does, before any typing."""
    form = make_form()
    picker = form.fields.pickers["category"]
    billing = picker.findData("billing")
    assert "zfzy" not in picker.itemData(billing, SEARCH_ROLE)
    assert picker.matching_codes("计费") == ["billing"]  # everyday words work without pinyin
    picker.setFocus()
    qtbot.waitUntil(picker.hasFocus, timeout=2000)
    assert "zfzy" in picker.itemData(billing, SEARCH_ROLE)
