"""Bring the main window into a documented state for a screenshot (README images, reviews)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.ui.main_window import MainWindow


def settle(window: MainWindow) -> None:
    """Let background counts finish and their results reach the widgets."""
    for _round in range(3):
        window.runner.wait(30000)
        QApplication.processEvents()


def prepare_view(window: MainWindow, view: str) -> None:
    settle(window)
    if view in ("case", "law"):
        window.queue_view.step(1)  # selects the first row, which opens its case
        number = window.queue_view.current_number()
        if number:
            window.open_case(number)
    if view == "law":
        window.law_dock.show()
    if view == "intake":
        window.new_complaint()
    else:
        window.focus_queue()
    settle(window)
