"""Repeat detection with linking, and drafts that survive a killed desk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.app import AppServices
from desktop.services.drafts import INTAKE, DraftStore
from desktop.ui.intake.form import IntakeForm
from tests.accounts import open_as

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")
REPO_ROOT = Path(__file__).resolve().parents[3]


def test_repeat_panel_lists_history_and_links_after_saving(
        make_form: Callable[[], IntakeForm], keyboard, seed_complaint: Callable[..., str],
        services: AppServices, qtbot: QtBot) -> None:
    first = seed_complaint("13912345678")
    second = seed_complaint("13912345678", category="network")
    seed_complaint("13700000000")  # another number: must not be listed
    form = make_form()
    assert not form.repeats.list.isVisible()
    form.fields.line_edits["phone"].setFocus()
    keyboard.type("+86 139-1234-567")
    assert form.repeats.list.count() == 0  # not a valid number yet
    keyboard.type("8")
    listed = [form.repeats.list.item(i).data(Qt.ItemDataRole.UserRole)
              for i in range(form.repeats.list.count())]
    assert sorted(listed) == sorted([first, second])
    assert "2" in form.repeats.summary.text()
    form.repeats.link_all.setFocus()
    keyboard.press(Qt.Key.Key_Space)  # the one action, by keyboard
    assert sorted(form.repeats.chosen_numbers()) == sorted([first, second])
    form.fields.set_values({"channel": "hotline", "category": "billing", "customer_name": "赵六",
                            "description": "又被多扣费", "demand": "退费"})
    number = form.save()
    assert number is not None
    assert set(services.complaints.get(number).linked_numbers) == {first, second}
    kinds = [event.kind for event in services.complaints.events(number)]
    assert kinds.count("link") == 2


def test_no_history_says_so(make_form: Callable[[], IntakeForm], keyboard) -> None:
    form = make_form()
    form.fields.line_edits["phone"].setFocus()
    keyboard.type("13600001111")
    assert "13600001111" in form.repeats.summary.text()
    assert form.repeats.list.count() == 0
    assert not form.repeats.link_all.isEnabled()


def test_autosave_writes_a_draft_and_a_second_form_offers_it(
        make_form: Callable[[], IntakeForm], keyboard, qtbot: QtBot) -> None:
    form = make_form()
    form.fields.line_edits["customer_name"].setFocus()
    keyboard.type("陈静")
    qtbot.waitUntil(lambda: DraftStore().load(form.draft_key) is not None, timeout=3000)
    assert form.pending_drafts() == []  # its own draft is not a leftover
    other = make_form()
    assert other.pending_drafts() == []  # still open in this process, so not offered
    form.close()
    form.deleteLater()
    qtbot.waitUntil(lambda: len(other.pending_drafts()) == 1, timeout=3000)


def test_closing_an_empty_form_leaves_no_draft(make_form: Callable[[], IntakeForm]) -> None:
    form = make_form()
    form.fields.set_values({"customer_name": "临时"})
    form.save_draft_now()
    assert DraftStore().list(INTAKE)
    form.fields.clear()
    form.close()
    assert DraftStore().list(INTAKE) == []


CRASH_SCRIPT = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    from desktop.services.app import AppServices
    from desktop.settings import Settings
    from desktop.ui.intake.form import IntakeForm

    app = QApplication([])
    from tests.accounts import open_as
    services = open_as(sys.argv[1], "tester", role="admin")
    settings = Settings()
    settings.set("autosave_seconds", 1)
    form = IntakeForm(services, settings)
    form.show()
    form.activateWindow()
    app.processEvents()
    values = {values!r}

    def type_into(widget, text):
        widget.setFocus()
        for char in text:
            if char == "\\n":
                QTest.keyClick(widget, Qt.Key.Key_Return)
            elif char.isascii():
                QTest.keyClick(widget, char)
            else:
                plain = Qt.KeyboardModifier.NoModifier
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(kind, 0, plain, char))

    for name, text in values.items():
        widget = form.fields.editors[name]
        type_into(widget, text)
    form.fields.received_at.setFocus()
    app.processEvents()
    print("typed", form.draft_key, flush=True)
    app.exec()  # autosave runs; the test kills us mid-loop
""")
CRASH_VALUES = {
    "channel": "hotline",
    "category": "billing",
    "customer_name": "孙悦",
    "phone": "13812340000",
    "contact_phone": "021-61234567",
    "id_number": "11010519491231002X",
    "address": "上海市浦东新区世纪大道100号",
    "description": "套餐变更后多收了月租。\n第二行说明。",
    "demand": "退还差价",
}


def test_draft_survives_killing_the_desk(tmp_path: Path, db_url: str, qtbot: QtBot,
                                         make_form: Callable[[], IntakeForm]) -> None:
    open_as(db_url, "tester", role="admin").close()  # migrate once, outside the child
    values = CRASH_VALUES
    script = tmp_path / "crash_intake.py"
    script.write_text(CRASH_SCRIPT.format(values=values), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    errors = tmp_path / "child-stderr.txt"
    with errors.open("w") as stderr, subprocess.Popen(
            [sys.executable, str(script), db_url], stdout=subprocess.PIPE, stderr=stderr, env=env,
            cwd=REPO_ROOT, text=True) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line.startswith("typed"):
            child.kill()
            pytest.fail(f"the child desk did not start: {errors.read_text()}")
        key = line.split()[1]
        store = DraftStore()
        draft_path = store.root / f"{key}.draft"
        qtbot.waitUntil(draft_path.exists, timeout=10000)
        qtbot.waitUntil(lambda: store._read(draft_path) is not None
                        and store._read(draft_path).fields["demand"] == values["demand"],  # type: ignore[union-attr]
                        timeout=10000)
        child.send_signal(signal.SIGKILL)  # no close event, no cleanup: a crash
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    form = make_form()
    assert form.banner.isVisible()
    assert "孙悦" in form.banner.message.text()
    form.banner.restore.setFocus()
    qtbot.keyClick(form.banner.restore, Qt.Key.Key_Space)
    restored = form.fields.text_values()
    for name, value in values.items():
        assert restored[name] == value, name
    assert form.draft_key == key  # continues the same draft, deleted once saved
    assert not form.banner.isVisible()
    assert form.save() is not None
    assert not draft_path.exists()
