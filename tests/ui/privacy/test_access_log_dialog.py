"""The admin's personal data access log: a paged table over SQL, filters, CSV export, refused to others."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from desktop.services.app import AppServices
from desktop.services.privacy import EXPORT, AccessQuery
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.privacy_log import PAGE, AccessLogDialog, AccessLogModel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

CASE = {"received_at": "2026-03-02T09:30:00+08:00", "channel": "hotline", "category": "billing",
        "customer_name": "王芳", "phone": "13812345678", "description": "多扣费", "demand": "退费"}


def fill(services: AppServices, reveals: int) -> str:
    number = services.complaints.create(services.actor, CASE).number
    for index in range(reveals):
        services.privacy.reveal(services.actor, number, "phone", f"回访第{index + 1}次")
    services.privacy.record(services.actor, EXPORT, "月度报表", {"rows": 12, "masked": False, "format": "csv"})
    return number


def test_model_pages_through_the_log(qtmodeltester: Any, services: AppServices) -> None:
    number = fill(services, PAGE + 30)
    model = AccessLogModel(services)
    model.set_query(AccessQuery())
    assert model.total == PAGE + 31 and model.rowCount() == PAGE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE + 31 and not model.canFetchMore()
    assert model.data(model.index(0, 3)) == "导出" and model.data(model.index(0, 7)) == "12 行，未脱敏"
    assert model.data(model.index(1, 4)) == number and model.data(model.index(1, 5)) == "被投诉号码"
    assert model.data(model.index(PAGE + 30, 6)) == "回访第1次"  # oldest last
    qtmodeltester.check(model, force_py=True)


def test_dialog_filters_and_exports_csv(qtbot: Any, services: AppServices, tmp_path: Path) -> None:
    number = fill(services, 2)
    dialog = AccessLogDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.reload() and dialog.model.rowCount() == 3
    dialog.number.setText(number.lower())
    dialog.apply_button.click()
    assert dialog.model.rowCount() == 2 and "2" in dialog.summary.text()
    dialog.use_period.setChecked(True)
    dialog.from_day.setDate(dialog.to_day.date().addDays(1))
    dialog.apply_button.click()
    assert dialog.model.rowCount() == 0
    dialog.use_period.setChecked(False)
    dialog.number.clear()
    target = tmp_path / "audit.csv"
    assert dialog.export_csv(str(target)) == 3
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["action"] for r in rows] == ["export", "reveal", "reveal"]
    assert dialog.export_csv(str(tmp_path / "missing" / "x.csv")) is None and dialog.message.message()


def test_agents_are_refused(qtbot: Any, services: AppServices, agent_services: AppServices) -> None:
    fill(services, 1)
    dialog = AccessLogDialog(agent_services)
    qtbot.addWidget(dialog)
    assert not dialog.reload()
    assert "查看审计日志" in dialog.message.message() and dialog.model.rowCount() == 0
    assert dialog.export_csv("unused.csv") is None


def _stand_in(_services: AppServices, _settings: Settings) -> QWidget:
    return QLabel("stand-in")


def test_menu_entry_is_for_admins(qtbot: Any, services: AppServices, agent_services: AppServices,
                                  desk_settings: Settings) -> None:
    for seat, enabled in ((services, True), (agent_services, False)):
        window = MainWindow(seat, desk_settings, background=False, intake_factory=_stand_in,
                            case_factory=_stand_in, law_factory=_stand_in)
        qtbot.addWidget(window)
        action = window.findChild(QAction, "action_access_log")
        assert action is not None and action in window.menus["file"].actions()
        assert action.isEnabled() is enabled
        if enabled:
            dialog = window.open_access_log()
            assert isinstance(dialog, AccessLogDialog) and dialog.isVisible() and not dialog.isModal()
            dialog.close()
        window.runner.wait()


def test_desk_log_file_masks_phone_numbers(services: AppServices) -> None:
    from desktop.logs import configure_file_logging

    path = configure_file_logging()
    log = logging.getLogger("desktop.ui.case.view")
    try:
        raise ValueError("号码 13812345678 与证件 11010519491231002X 不符")
    except ValueError:
        log.exception("saving case %s for %s failed", "TS-20260302-0001", "13812345678")
    text = path.read_text(encoding="utf-8")
    assert "TS-20260302-0001" in text and "138****5678" in text and "110105********002X" in text
    assert "13812345678" not in text and "11010519491231002X" not in text


def test_unexpected_error_with_a_phone_number_is_masked_in_log_and_message(
        qtbot: Any, services: AppServices, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from desktop.logs import configure_file_logging, log_path
    from desktop.ui.failures import install_excepthook

    configure_file_logging()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(lambda: None)
    try:
        raise RuntimeError("回拨 13812345678 失败，联系电话 010-62345678")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    shown = capsys.readouterr().err
    written = log_path().read_text(encoding="utf-8")
    for text in (shown, written):
        assert "138****5678" in text and "010-****5678" in text
        assert "13812345678" not in text and "62345678" not in text
