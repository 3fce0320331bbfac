"""Start-up work queued for after the first paint waits for it, and runs once the view is on screen."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.first_paint import AfterFirstPaint
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no size hints


def test_work_waits_for_the_loaded_view_to_paint(qtbot: Any) -> None:
    model = QStandardItemModel(0, 1)
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    ran: list[str] = []
    after = AfterFirstPaint(view.viewport(), lambda: model.rowCount() > 0)
    after.call(lambda: ran.append("history check"))
    view.show()
    qtbot.waitExposed(view)
    view.viewport().repaint()  # painted, but nothing loaded yet: not the first screen
    qtbot.wait(20)
    assert ran == [] and not after.done
    model.appendRow(QStandardItem("TS-20260101-0001"))
    view.viewport().repaint()
    qtbot.waitUntil(lambda: ran == ["history check"], timeout=2000)
    after.call(lambda: ran.append("later"))  # queued after the paint: runs in the next loop turn
    qtbot.waitUntil(lambda: ran == ["history check", "later"], timeout=2000)


def test_the_desk_checks_the_history_only_once_its_queue_is_painted(qtbot: Any, desk_services: AppServices,
                                                                   desk_settings: Settings) -> None:
    window = MainWindow(desk_services, desk_settings, background=False)
    qtbot.addWidget(window)
    assert window.history_status.state == "unknown"  # built, not yet shown: nothing started
    window.show()
    qtbot.waitUntil(lambda: window.after_first_paint.done, timeout=5000)
    qtbot.waitUntil(lambda: window.history_status.state == "intact", timeout=10000)


def test_the_desk_builds_its_deadline_clock_after_the_first_paint(qtbot: Any, desk_services: AppServices,
                                                                   desk_settings: Settings) -> None:
    """Sign-in builds no clock; the desk (background work on) builds it on a worker once painted."""
    desk_services.shared.invalidate()
    before = desk_services.shared.reloads
    window = MainWindow(desk_services, desk_settings)
    qtbot.addWidget(window)
    assert desk_services.shared.reloads == before
    window.show()
    qtbot.waitUntil(lambda: desk_services.shared.reloads == before + 1, timeout=10000)
    window.runner.wait()
    window.close()


def test_the_desk_builds_the_law_index_before_the_first_case(qtbot: Any, desk_services: AppServices,
                                                             desk_settings: Settings) -> None:
    """The first opened case found the law index ready instead of building it (0.25 s); the
    suggestions' ranking model and word segmenter (76 MB) wait until suggestions are first shown."""
    window = MainWindow(desk_services, desk_settings)
    qtbot.addWidget(window)
    view = window.case_view
    citations = view.citations  # type: ignore[attr-defined]
    assert citations._index is None  # built, not yet shown: nothing started
    window.show()
    qtbot.waitUntil(lambda: citations._index is not None, timeout=15000)
    index = citations._index
    window.runner.wait()
    assert not index.suggestions_ready

    number = window.queue_model.number_at(0)
    assert number
    window.open_case(number)  # on the case's first tab: nothing is ranked for a tab not seen
    assert citations.record is not None and citations.suggestions.rowCount() == 0
    assert not index.suggestions_ready

    view.tabs.setCurrentWidget(citations)  # type: ignore[attr-defined]
    assert citations.suggested_note.text() == "正在准备建议条文…"  # built on a worker, said so
    qtbot.waitUntil(lambda: index.suggestions_ready and citations._suggestions_due is False, timeout=15000)
    qtbot.waitUntil(lambda: citations.suggestions.rowCount() > 0, timeout=15000)  # this case's, shown
    assert citations.suggested_note.text() != "正在准备建议条文…"
    window.runner.wait()
    window.close()


def test_the_desk_counts_its_filters_after_the_first_paint(qtbot: Any, desk_services: AppServices,
                                                          desk_settings: Settings) -> None:
    """The filters' counts and the due summary scan the open cases: not before the first page is on screen."""
    window = MainWindow(desk_services, desk_settings)
    qtbot.addWidget(window)
    window.runner.wait()
    qtbot.wait(50)  # a first page read on the worker has reached the model
    assert window.queue_view._counts == {} and window.status.summary is None
    window.show()
    qtbot.waitUntil(lambda: window.after_first_paint.done, timeout=5000)
    qtbot.waitUntil(lambda: bool(window.queue_view._counts) and window.status.summary is not None, timeout=10000)
    window.runner.wait()
    window.close()


def test_the_desk_builds_its_intake_form_after_the_first_paint(qtbot: Any, desk_services: AppServices,
                                                              desk_settings: Settings) -> None:
    """The new-complaint tab is not on the first screen; asked for earlier, it is built at once."""
    window = MainWindow(desk_services, desk_settings)
    qtbot.addWidget(window)
    assert not window.intake_built
    window.show()
    qtbot.waitUntil(lambda: window.intake_built, timeout=10000)
    assert window.tabs.indexOf(window.intake) == 1 and window.tabs.tabText(1) == "新建投诉"
    window.runner.wait()
    window.close()
    early = MainWindow(desk_services, desk_settings)
    qtbot.addWidget(early)
    early.new_complaint()  # Ctrl+N before the first paint
    assert early.intake_built and early.tabs.currentWidget() is early.intake
    early.runner.wait()
    early.close()
