"""Offline review in the desk: the review window on a bundle (no database), decisions saved as made,
the desk importing them with a dialog per conflict, and the desk following another seat's changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize

from desktop.bundle.file import read_bundle
from desktop.domain.workflow import Action
from desktop.i18n import set_language
from desktop.letters.keys import site_trust_roots
from desktop.services.app import AppServices
from desktop.services.bundles import Conflict
from desktop.services.queue import QueueFilter
from desktop.settings import Settings
from desktop.ui.live_updates import LiveUpdates
from desktop.ui.main_window import MainWindow
from desktop.ui.review.desk import ConflictDialog
from desktop.ui.review.window import ReviewWindow
from tests.accounts import open_as
from tests.services.test_bundles import BUNDLE_PASSPHRASE, export_bundle, pending_case

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")
SHOTS = Path(os.environ.get("REVIEW_SCREENSHOTS", "")) if os.environ.get("REVIEW_SCREENSHOTS") else None


def exported(services: AppServices, agent: AppServices, tmp_path: Path, count: int = 3) -> tuple[Path, list[str]]:
    numbers = [pending_case(services, agent) for _ in range(count)]
    return export_bundle(services, numbers, tmp_path / "review.cdbundle"), numbers


def test_review_window_saves_each_decision_and_renders_in_both_languages(
        qtbot: Any, services: AppServices, agent_services: AppServices, tmp_path: Path) -> None:
    path, numbers = exported(services, agent_services, tmp_path)
    bundle = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
    window = ReviewWindow(bundle, "tester")
    qtbot.addWidget(window)
    window.resize(QSize(1366, 768))
    window.show()
    assert window.values["customer_name"].text() == "张**"
    assert window.history.model.rowCount() >= 5
    assert window.approve() is not None
    assert window.return_case("证据不足") is not None
    window.agent_box.setCurrentIndex(window.agent_box.findText("王芳", flags=pytest.importorskip(
        "PySide6.QtCore").Qt.MatchFlag.MatchStartsWith))
    assert window.reassign() is not None
    window.comment.setText("请附录音")
    assert window.add_comment() is not None
    window.cases.selectRow(1)
    assert window.score_case() is not None
    assert window.decisions.count() == 1
    window.cases.selectRow(0)
    assert window.decisions.count() == 4
    assert window.cases.item(0, 4).text() == "4"
    again = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
    assert [d.kind for d in again.decisions] == ["approve", "return", "reassign", "comment", "qa_score"]
    assert {d.number for d in again.decisions} == {numbers[0], numbers[1]}
    assert "已保存 5 项决定" in window.banner.text()
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.tabs.setCurrentIndex(1)
        window.grab().save(str(SHOTS / "review-zh_CN-1366.png"))
    set_language("en")
    assert window.approve_button.text() == "Approve"
    if SHOTS is not None:
        window.tabs.setCurrentIndex(0)
        window.grab().save(str(SHOTS / "review-en-1366.png"))
        window.resize(QSize(1920, 1080))
        window.grab().save(str(SHOTS / "review-en-1920.png"))


def test_desk_imports_decisions_asking_per_conflict(qtbot: Any, services: AppServices, agent_services: AppServices,
                                                    desk_settings: Settings, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path, numbers = exported(services, agent_services, tmp_path, count=2)
    bundle = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
    review = ReviewWindow(bundle, "tester")
    qtbot.addWidget(review)
    review.return_case("请补充")  # on numbers[0]
    review.cases.selectRow(1)
    review.return_case("再核实")
    for number in numbers:  # both cases change at the centre meanwhile
        record = agent_services.complaints.get(number)
        agent_services.complaints.update(agent_services.actor, number, {"investigation_notes": "中心补充"},
                                         record.version)
    asked: list[Conflict] = []

    def ask(_parent: object, conflict: Conflict) -> bool:
        asked.append(conflict)
        return conflict.decision.number == numbers[0]  # apply the first anyway, keep the centre on the second

    monkeypatch.setattr(ConflictDialog, "ask", staticmethod(ask))
    monkeypatch.setattr("desktop.ui.review.desk.QMessageBox.information", lambda *args: None)
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    assert window.desk_actions["import_review_bundle"].isEnabled()
    result = window.import_review_bundle(path, BUNDLE_PASSPHRASE)
    assert [c.decision.number for c in asked] == numbers
    assert result is not None
    assert services.complaints.get(numbers[0]).status == "investigating"  # applied anyway
    assert services.complaints.get(numbers[1]).status == "pending_approval"  # centre kept
    assert any(e.action == "offline_conflict" for e in services.complaints.events(numbers[1]))


def test_open_case_and_queue_follow_another_seat(qtbot: Any, services: AppServices, desk_settings: Settings,
                                                 db_url: str) -> None:
    other = open_as(db_url, "clerk2", role="agent", display_name="赵敏")
    try:
        number = other.complaints.create(other.actor, {
            "received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "张三", "phone": "13812345678", "description": "多扣费。", "demand": "退费"}).number
        window = MainWindow(services, desk_settings, background=False)
        qtbot.addWidget(window)
        live = LiveUpdates(window)
        window.open_case(number)
        assert window.case_view.record.status == "registered"
        other.complaints.transition(other.actor, number, Action.ACKNOWLEDGE)
        qtbot.waitUntil(lambda: window.case_view.record.status == "acknowledged", timeout=3000)
        assert any(not c.local and number in c.numbers for c in live.received)
        window.queue_view.set_filter(QueueFilter.ALL)
        rows = window.queue_model.rowCount()
        other.complaints.create(other.actor, {
            "received_at": "2025-09-29T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "李四", "phone": "13912345678", "description": "多扣费。", "demand": "退费"})
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == rows + 1, timeout=3000)
        live.stop()
    finally:
        other.close()
