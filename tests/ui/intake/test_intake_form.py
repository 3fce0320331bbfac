"""The intake form driven by the keyboard, against a real SQLite store."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.domain.intake import INPUT_FIELDS
from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.drafts import INTAKE, DraftStore
from desktop.ui.intake.form import IntakeForm

# The offscreen platform warns that it cannot propagate size hints when a window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")

def test_typing_a_complaint_through_the_tab_order_saves_it(
        make_form: Callable[[], IntakeForm], keyboard, services: AppServices, qtbot: QtBot) -> None:
    form = make_form()
    form.focus_first_field()
    assert keyboard.focused() is form.fields.received_at
    keyboard.tab()
    assert keyboard.focused() is form.fields.pickers["channel"]
    keyboard.type("hot")  # the code matches in any language; labels match too
    keyboard.tab()
    assert form.fields.pickers["channel"].code() == "hotline"
    keyboard.type("broadb")
    keyboard.tab()
    assert form.fields.pickers["category"].code() == "broadband"
    keyboard.type("李雷")
    keyboard.tab()
    keyboard.type("138 1234 5678")
    keyboard.tab()
    keyboard.type("010-62345678")
    keyboard.tab()
    keyboard.type("11010519491231002x")
    keyboard.tab()
    keyboard.type("北京市海淀区中关村大街1号")
    keyboard.tab()
    assert keyboard.focused() is form.fields.text_edits["description"]
    keyboard.type("家里宽带每天晚上断线。")
    keyboard.tab()
    keyboard.type("尽快修复并减免月租。")
    assert form.preview.deadline is not None  # computed before saving
    with qtbot.waitSignal(form.saved) as saved:
        keyboard.press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Save mnemonic
    number = saved.args[0]
    record = services.complaints.get(number)
    assert record.customer_name == "李雷"
    assert record.phone == "13812345678"
    assert record.contact_phone == "010-62345678"
    assert record.id_number == "11010519491231002X"
    assert record.channel == "hotline" and record.category == "broadband"
    assert record.description == "家里宽带每天晚上断线。"
    assert not form.has_unsaved_input()  # a fresh form for the next caller
    assert DraftStore().list(INTAKE) == []


def test_preview_matches_the_stored_deadline(make_form: Callable[[], IntakeForm],
                                             services: AppServices) -> None:
    form = make_form()
    form.fields.set_values({"received_at": "2026-03-02T09:30:00+08:00", "channel": "regulator",
                            "category": "billing", "customer_name": "王芳", "phone": "13812345678",
                            "description": "扣费", "demand": "退费"})
    preview = form.preview.deadline
    assert preview is not None and preview.rule == "regulator"
    assert form.preview.trace.text().count("\n") >= len(preview.trace)
    number = form.save()
    assert number is not None
    record = services.complaints.get(number)
    assert (record.reply_due_date, record.reply_due_at) == (preview.due_date, preview.due_at)


def test_unverified_basis_is_labelled_as_such(make_form: Callable[[], IntakeForm]) -> None:
    form = make_form()
    form.fields.set_values({"channel": "hotline", "category": "billing"})
    deadline = form.preview.deadline
    assert deadline is not None
    unverified = [b for b in deadline.basis if not b.verified]
    assert unverified, "the default reply rule cites regulations not checked by the project"
    lines = form.preview.basis.text().splitlines()
    for basis in unverified:
        line = next(line for line in lines if basis.citation in line)
        assert "未核实" in line or "not verified" in line


def test_live_validation_shows_a_specific_message_beside_the_field(
        make_form: Callable[[], IntakeForm], keyboard) -> None:
    form = make_form()
    form.fields.line_edits["phone"].setFocus()
    keyboard.type("1381234567")  # ten digits
    assert form.fields.error("phone") == ""  # no nagging mid-typing
    keyboard.tab()
    message = form.fields.error("phone")
    assert "11" in message and "10" in message
    assert form.fields.rows["phone"].error.isVisible()
    form.fields.line_edits["phone"].setFocus()
    keyboard.type("8")  # now valid: the message goes while typing
    assert form.fields.error("phone") == ""
    form.fields.line_edits["id_number"].setFocus()
    keyboard.type("110105194912310021")
    keyboard.tab()
    assert "X" in form.fields.error("id_number")  # names the expected check digit


def test_messages_follow_the_language(make_form: Callable[[], IntakeForm], keyboard) -> None:
    set_language("en")
    form = make_form()
    form.fields.line_edits["phone"].setFocus()
    keyboard.type("12345")
    keyboard.tab()
    english = form.fields.error("phone")
    assert english and english.isascii()
    set_language("zh_CN")
    form.fields.check_field("phone")
    chinese = form.fields.error("phone")
    assert chinese != english and not chinese.isascii()


def test_refused_save_keeps_every_field_and_marks_each_problem(
        make_form: Callable[[], IntakeForm], services: AppServices) -> None:
    form = make_form()
    typed = {"channel": "hotline", "category": "nothing-like-this", "customer_name": "王芳",
             "phone": "1381234567", "contact_phone": "62345678", "id_number": "110105194912310021",
             "address": "上海", "description": "", "demand": "退费"}
    form.fields.set_values(typed)
    assert form.save() is None
    assert services.complaints.count() == 0
    for name in ("category", "phone", "contact_phone", "id_number", "description"):
        assert form.fields.error(name), name
    assert "nothing-like-this" in form.fields.error("category")
    assert form.fields.error("customer_name") == ""
    kept = form.fields.text_values()
    for name, value in typed.items():
        assert kept[name] == value, name
    assert form.general_error.isVisible()
    # The refused input is on disk as well, in case the desk dies before it is fixed.
    draft = DraftStore().load(form.draft_key)
    assert draft is not None and draft.fields["phone"] == "1381234567"


def test_accessible_names_on_every_input(make_form: Callable[[], IntakeForm]) -> None:
    form = make_form()
    for name in INPUT_FIELDS:
        assert form.fields.editors[name].accessibleName(), name
    assert form.repeats.list.accessibleName()
