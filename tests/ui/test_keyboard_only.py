"""One complaint from intake to closed with a signed letter, on the real main window, with the
keyboard only (QTest key events; Chinese arrives as key events carrying text, as from an IME).
Every key press is counted; the README quotes the count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.domain.codes import Status
from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")
CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
PASSPHRASE = "kb-only-2026"


class Keys:
    """Sends key events to whatever has the focus, and counts them (a chord counts once)."""

    def __init__(self, qtbot: Any, window: QWidget) -> None:
        self.qtbot = qtbot
        self.window = window
        self.count = 0
        self.commands = 0  # keys that are not text: shortcuts, Tab, Enter, arrows

    def target(self) -> QWidget:
        # The offscreen platform does not hand activation back to the window after a dialog
        # closes (a desktop does); the window is where the next key goes then.
        if QApplication.activeModalWidget() is None and QApplication.activeWindow() is None:
            with self.qtbot.waitActive(self.window):
                self.window.activateWindow()
        return QApplication.focusWidget() or QApplication.activeModalWidget() or self.window

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
              target: QWidget | None = None) -> None:
        self.count += 1
        self.commands += 1
        self.qtbot.keyClick(target or self.target(), key, modifiers)

    def type(self, text: str, target: QWidget | None = None) -> None:
        for char in text:
            widget = target or self.target()
            self.count += 1
            if char.isascii():
                self.qtbot.keyClick(widget, char)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))

    def in_next_dialog(self, answer: Callable[[QWidget], None]) -> None:
        """Answer the modal dialog the next key opens (it runs its own event loop)."""
        def attempt() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or dialog.focusWidget() is None:
                QTimer.singleShot(20, attempt)
                return
            answer(dialog)
            if dialog.isVisible():  # never hang the suite: say what the dialog still wanted
                failures.append(f"{type(dialog).__name__} still open; focus on "
                                f"{type(dialog.focusWidget()).__name__}")
                dialog.close()

        QTimer.singleShot(0, attempt)


failures: list[str] = []


def focus_in(dialog: QWidget) -> QWidget:
    return dialog.focusWidget() or dialog


@pytest.mark.slow
def test_intake_to_closed_with_a_signed_letter_by_keyboard_only(
        qtbot: Any, services: AppServices, desk_settings: Settings) -> None:
    services.site.set(services.actor, "contact_phone", "010-10000")
    desk_settings.set("queue_filter", "all")
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    keys = Keys(qtbot, window)

    # -- intake: Ctrl+N, then the fields in tab order, Ctrl+S ------------------------------------
    keys.press(Qt.Key.Key_N, CTRL, target=window)
    keys.press(Qt.Key.Key_Tab)  # the received time is filled in with now
    keys.type("rx")  # 热线电话 by its pinyin initials
    keys.press(Qt.Key.Key_Tab)
    keys.type("计费")  # 资费争议 by an everyday word
    keys.press(Qt.Key.Key_Tab)
    keys.type("周敏")
    keys.press(Qt.Key.Key_Tab)
    keys.type("13812345678")
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)  # contact phone, ID number and address are optional
    keys.type("本月话费多扣30元")
    keys.press(Qt.Key.Key_Tab)
    keys.type("退还多扣费用")
    with qtbot.waitSignal(window.intake.saved) as saved:  # type: ignore[attr-defined]
        keys.press(Qt.Key.Key_S, CTRL)
    number = saved.args[0]
    record = services.complaints.get(number)
    assert (record.channel, record.category, record.customer_name) == ("hotline", "billing", "周敏")
    assert window.tabs.currentWidget() is window.case_view

    # -- workflow by its keys --------------------------------------------------------------------
    keys.press(Qt.Key.Key_A, CTRL | SHIFT)  # acknowledge
    keys.press(Qt.Key.Key_I, CTRL | SHIFT)  # start investigating
    assert services.complaints.get(number).status == Status.INVESTIGATING
    keys.press(Qt.Key.Key_3, ALT)  # the investigation notes tab, cursor in its field
    keys.type("核实系统重复计费30元")
    keys.press(Qt.Key.Key_S, CTRL)
    assert services.complaints.get(number).investigation_notes == "核实系统重复计费30元"

    def reply(dialog: QWidget) -> None:
        keys.press(Qt.Key.Key_Down, target=focus_in(dialog))  # reply method: the first one
        keys.press(Qt.Key.Key_Tab, target=focus_in(dialog))
        keys.type("已退还30元", target=focus_in(dialog))
        keys.press(Qt.Key.Key_Tab, target=focus_in(dialog))
        keys.type("30", target=focus_in(dialog))
        keys.press(Qt.Key.Key_Return, target=focus_in(dialog))

    keys.in_next_dialog(reply)
    keys.press(Qt.Key.Key_R, CTRL | SHIFT)
    assert failures == []
    replied = services.complaints.get(number)
    assert replied.status == Status.REPLIED and replied.resolution == "已退还30元"

    # -- the letter: sign and archive (a demo identity is made the first time) --------------------
    def passphrase(dialog: QWidget) -> None:
        keys.type(PASSPHRASE, target=focus_in(dialog))
        keys.press(Qt.Key.Key_Tab, target=focus_in(dialog))
        keys.type(PASSPHRASE, target=focus_in(dialog))
        keys.press(Qt.Key.Key_Return, target=focus_in(dialog))

    letters = window.case_view.letters  # type: ignore[attr-defined]
    said: list[tuple[str, bool]] = []
    letters.message.connect(lambda text, error: said.append((text, error)))
    keys.in_next_dialog(passphrase)
    with qtbot.waitSignal(letters.preview_shown, timeout=20000, raising=False) as shown:
        keys.press(Qt.Key.Key_G, CTRL | ALT)
    assert shown.signal_triggered, (said, failures)
    keys.press(Qt.Key.Key_Escape, target=shown.args[0])  # close the signed letter's preview
    archived = services.letters.revisions(number)
    assert len(archived) == 1 and archived[0].signed

    # -- follow-up and close ----------------------------------------------------------------------
    def follow_up(dialog: QWidget) -> None:
        keys.type("5", target=focus_in(dialog))  # satisfaction, chosen (nothing is preset)
        keys.press(Qt.Key.Key_Return, target=focus_in(dialog))

    keys.in_next_dialog(follow_up)
    keys.press(Qt.Key.Key_F, CTRL | SHIFT)
    assert services.complaints.get(number).satisfaction == 5

    keys.in_next_dialog(lambda dialog: keys.press(Qt.Key.Key_Return, target=focus_in(dialog)))
    keys.press(Qt.Key.Key_D, CTRL | SHIFT)  # close, confirmed with Enter
    assert services.complaints.get(number).status == Status.CLOSED
    assert failures == []
    print(f"KEY PRESSES intake to closed with a signed letter: {keys.count} "
          f"({keys.commands} command keys, {keys.count - keys.commands} characters of text)")
    assert keys.commands <= 30
