"""The desk on PostgreSQL: live updates start without waiting for the server, and a change another seat
commits before the desk listens still reaches its queue and its open case (through the one refresh)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from desktop.domain.workflow import Action
from desktop.services.queue import QueueFilter
from desktop.settings import Settings
from desktop.ui.live_updates import LiveUpdates
from desktop.ui.main_window import MainWindow
from tests.accounts import open_as
from tests.services.test_complaints import sample

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def test_changes_made_before_the_desk_listens_reach_its_queue_and_case(qtbot: Any, postgres_url: str,
                                                                        desk_settings: Settings) -> None:
    desk = open_as(postgres_url, "zuoxi", role="agent", display_name="李坐席")
    other = open_as(postgres_url, "clerk2", role="agent", display_name="赵敏")
    try:
        number = other.complaints.create(other.actor, sample()).number
        window = MainWindow(desk, desk_settings, background=False)
        qtbot.addWidget(window)
        window.queue_view.set_filter(QueueFilter.ALL)
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=3000)
        window.open_case(number)
        assert window.case_view.record.status == "registered"
        # Another seat works between the desk's first reads and its listening.
        other.complaints.transition(other.actor, number, Action.ACKNOWLEDGE)
        other.complaints.create(other.actor, sample())
        started = time.perf_counter()
        live = LiveUpdates(window)  # starts the feed: connecting and LISTEN happen on its thread
        assert time.perf_counter() - started < 0.5
        try:
            qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2, timeout=10000)
            qtbot.waitUntil(lambda: window.case_view.record.status == "acknowledged", timeout=3000)
            assert [c for c in live.received if c.refresh]
        finally:
            live.stop()
    finally:
        other.close()
        desk.close()
