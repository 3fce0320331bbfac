"""Every workflow step has its own key, shown on the button and listed in the Case menu;
Ctrl+L puts the cursor in the law search."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.domain.workflow import TRANSITIONS
from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.case.transitions import STEP_SHORTCUTS
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_each_step_has_a_distinct_key_on_its_button_and_in_the_case_menu(
        qtbot: Any, services: AppServices, desk_settings: Settings) -> None:
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    assert set(STEP_SHORTCUTS) == set(TRANSITIONS)
    keys = [action.shortcut().toString() for action in window.case_step_actions]
    assert len(keys) == len(set(keys)) == len(TRANSITIONS) + 4  # steps and the four letter actions
    window_keys = {seq.toString() for action in window.desk_actions.values() for seq in action.shortcuts()}
    assert window_keys.isdisjoint(keys)
    menu_actions = window.menus["case"].actions()
    for action in window.case_step_actions:
        assert action in menu_actions
    bar = window.case_view.transitions  # type: ignore[attr-defined]
    for action, button in bar.buttons.items():
        assert STEP_SHORTCUTS[action] in button.toolTip()


def test_ctrl_l_opens_the_law_panel_with_the_cursor_in_its_search(
        qtbot: Any, services: AppServices, desk_settings: Settings) -> None:
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitActive(window):
        window.activateWindow()
    assert not window.law_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel = window.law_dock.widget()
    assert window.law_dock.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is getattr(panel, "search_edit", None), timeout=3000)
