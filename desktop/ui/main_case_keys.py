"""The Case menu's workflow and letter steps: one key each, acting on the open case.

The case view owns the actions (they are enabled exactly when the step's button is); the main
window lists them under Case and registers their keys window-wide, so a step works wherever the
focus is, e.g. straight after opening a case from the queue.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget


def add_case_step_actions(window: QMainWindow, menu: QMenu, case_view: QWidget,
                          show_case: Callable[[], None]) -> list[QAction]:
    """Append the case view's step and letter actions to ``menu``; returns them (none for a stand-in)."""
    transitions = getattr(case_view, "transitions", None)
    letters = getattr(case_view, "letters", None)
    groups = [list(getattr(transitions, "step_actions", {}).values()),
              list(getattr(letters, "shortcut_actions", {}).values())]
    added: list[QAction] = []
    for group in groups:
        if not group:
            continue
        menu.addSeparator()
        for action in group:
            action.triggered.connect(show_case)
            menu.addAction(action)
            window.addAction(action)
            added.append(action)
    return added
