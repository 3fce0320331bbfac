"""``python -m desktop --screenshot F.png --view approvals|team|quality``: the supervisor's windows, loaded.

Nothing is written: the quality view shows the reviews already drawn for the month (draw them first
with ``complaint-desk qa sample`` to photograph a filled form).
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui.main_window import MainWindow
from desktop.ui.supervisor import desk

SUPERVISOR_VIEWS = ("approvals", "team", "quality")
SIZE = (1366, 768)


def supervisor_window(window: MainWindow, view: str) -> QWidget:
    opener = {"approvals": desk.open_approvals, "team": desk.open_team_board, "quality": desk.open_quality}[view]
    dialog = opener(window, window)
    dialog.resize(*SIZE)
    runner = getattr(dialog, "runner", None)
    for _round in range(4):
        if runner is not None:
            runner.wait(30000)
        QApplication.processEvents()
    return dialog
