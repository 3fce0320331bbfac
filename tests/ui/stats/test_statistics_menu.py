"""The desk's "Statistics…" action: a menu entry with Ctrl+Shift+T, open to everyone, non-modal."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.stats import StatisticsDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _stand_in(_services: AppServices, _settings: Settings) -> QWidget:
    return QLabel("stand-in")


def test_statistics_action_opens_the_dialog(qtbot: Any, services: AppServices, desk_settings: Settings) -> None:
    window = MainWindow(services, desk_settings, background=False, intake_factory=_stand_in,
                        case_factory=_stand_in, law_factory=_stand_in)
    qtbot.addWidget(window)
    action = window.findChild(QAction, "action_statistics")
    assert action is not None and action.isEnabled()
    assert action.shortcut() == QKeySequence("Ctrl+Shift+T")
    assert action.text() == "统计分析(&S)…"
    assert action in window.menus["view"].actions()
    dialog = window.open_statistics()
    assert isinstance(dialog, StatisticsDialog) and not dialog.isModal() and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.statistics is not None, timeout=10000)
    dialog.runner.wait()
    dialog.close()
    window.runner.wait()
