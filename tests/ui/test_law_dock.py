"""The law panel docked beside the case: suggestions follow the open case, a chosen article lands on it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.law import LawPanel
from desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_citation_from_the_law_dock_is_stored_on_the_open_case(qtbot: Any, services: AppServices,
                                                               desk_settings: Settings) -> None:
    number = services.complaints.create(services.actor, {
        "received_at": "2025-06-03T09:00:00+08:00", "channel": "hotline", "category": "billing",
        "customer_name": "王五", "phone": "13700001234",
        "description": "客户对本月话费有异议，称多扣费58元，多次反映营业厅拒不解决。",
        "demand": "要求退还多扣费用"}).number
    desk_settings.set("queue_filter", "all")
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_case(number)
    window.law_toggle.trigger()
    panel = window.law_dock.widget()
    assert isinstance(panel, LawPanel)

    # The suggestions follow the case on screen without taking the keyboard from the agent.
    qtbot.waitUntil(lambda: panel.suggestions_model.rowCount() > 0, timeout=3000)
    assert not panel.suggestions_view.hasFocus()

    panel.search_edit.setText("电信条例 39")
    panel.run_search()
    assert panel.current_citation() is not None
    panel.results_view.setFocus()
    qtbot.keyClick(panel.results_view, Qt.Key.Key_Return)

    stored = services.citations.list(number)
    assert [(c.citation.statute_title, c.citation.article) for c in stored] == [("中华人民共和国电信条例", 39)]
    assert services.complaints.events(number)[-1].kind == "citation"
