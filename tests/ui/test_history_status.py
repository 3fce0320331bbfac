"""The status bar's history indicator: checked off the GUI thread at start and on click."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from tests.ui.test_main_window import open_window, settle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_indicator_shows_intact_then_broken_after_tampering(qtbot: Any, desk_services: AppServices,
                                                           desk_settings: Settings) -> None:
    window: MainWindow = open_window(qtbot, desk_services, desk_settings)
    indicator = window.history_status
    qtbot.waitUntil(lambda: indicator.state == "intact", timeout=10000)
    assert indicator.button.text() == "历史记录完整 ✓"
    assert "历史记录完整" in indicator.button.toolTip()

    path = desk_services.url.removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    connection.execute("DROP TRIGGER complaint_events_no_update")
    connection.execute("UPDATE complaint_events SET note = '改过' WHERE chain_seq = 3")
    connection.commit()
    connection.close()

    indicator.button.click()  # on demand
    settle(qtbot, window)
    qtbot.waitUntil(lambda: indicator.state == "broken", timeout=10000)
    assert indicator.button.text() == "历史记录已被篡改 ✗"
    assert "第 3 条" in indicator.button.toolTip()


def test_closing_stops_a_running_check(qtbot: Any, desk_services: AppServices, desk_settings: Settings) -> None:
    from desktop.services.audit import AuditService
    from desktop.store.chain import CheckStoppedError

    audit = AuditService(desk_services.engine, desk_services.sessions)
    with pytest.raises(CheckStoppedError):
        audit.verify(stop=lambda: True)  # the walk checks the flag at its first entry, then every 10,000
    window: MainWindow = open_window(qtbot, desk_services, desk_settings)
    # The check starts once the queue has been painted (desktop/ui/first_paint.py).
    qtbot.waitUntil(lambda: window.history_status.state != "unknown", timeout=5000)
    window.close()
    assert window.history_status.state in ("checking", "intact")
