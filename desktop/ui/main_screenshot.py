"""Bring the main window into a documented state for a screenshot (README images, reviews)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.services.queue import QueueFilter
from desktop.ui.main_window import MainWindow
from desktop.ui.supervisor.screenshots import SUPERVISOR_VIEWS, supervisor_window

LAW_DOCK_WIDTH = 520


def settle(window: MainWindow) -> None:
    """Let background counts finish and their results reach the widgets."""
    for _round in range(3):
        window.runner.wait(30000)
        QApplication.processEvents()


def _fill_repeat_example(window: MainWindow) -> None:
    """Type a follow-up complaint from the number of the first queued case, so the image shows
    the deadline preview and the repeat panel at work (nothing is saved)."""
    number = window.queue_view.current_number() or (window.queue_model.number_at(0) if window.queue_model.rowCount()
                                                     else None)
    fields = getattr(window.intake, "fields", None)
    if number is None or fields is None:
        return
    earlier = window.services.complaints.get(number)
    fields.set_values({
        "channel": "hotline", "category": earlier.category, "customer_name": earlier.customer_name,
        "phone": earlier.phone, "address": earlier.address or "",
        "description": "客户再次来电，称上次反映的问题至今仍未解决，情绪较为激动。",
        "demand": "要求尽快彻底解决并书面答复处理结果",
    })


def prepare_view(window: MainWindow, view: str) -> QWidget:
    """Bring ``view`` on screen and return the widget to photograph."""
    settle(window)
    if view == "case":
        # A replied case awaiting follow-up has a full history for the timeline image.
        window.queue_view.set_filter(QueueFilter.AWAITING_FOLLOW_UP)
        settle(window)
    if view in ("case", "law"):
        window.queue_view.step(1)  # selects the first row, which opens its case
        number = window.queue_view.current_number()
        if number:
            window.open_case(number)
    if view == "case":
        tabs = getattr(window.case_view, "tabs", None)
        timeline = getattr(window.case_view, "timeline", None)
        if tabs is not None and timeline is not None:
            tabs.setCurrentWidget(timeline)  # the README shows a case's history
    if view == "law":
        window.law_dock.show()
        settle(window)
        window.resizeDocks([window.law_dock], [LAW_DOCK_WIDTH], Qt.Orientation.Horizontal)
    if view == "intake":
        window.new_complaint()
        _fill_repeat_example(window)
    else:
        window.focus_queue()
    settle(window)
    if view == "stats":
        return _statistics_window(window)
    if view in SUPERVISOR_VIEWS:
        return supervisor_window(window, view)
    return window


def _statistics_window(window: MainWindow) -> QWidget:
    """The statistics dialog with its figures loaded (its queries run on its own runner)."""
    dialog = window.open_statistics()
    dialog.resize(1280, 860)
    runner = getattr(dialog, "runner", None)
    for _round in range(3):
        if runner is not None:
            runner.wait(30000)
        QApplication.processEvents()
    return dialog
