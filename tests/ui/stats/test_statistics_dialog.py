"""The statistics dialog on a real store: loads off the GUI thread, shows the known totals, exports CSV."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

from desktop.paths import resource_path
from desktop.services.app import AppServices
from desktop.services.stats import Statistics
from desktop.ui.stats import StatisticsDialog
from desktop.ui.stats.models import AGENT_COLUMNS, BreakdownModel
from tests.accounts import open_as
from tests.services.test_stats import build_known_store, known_period


@pytest.fixture(autouse=True)
def _cjk_font(qapp: object) -> None:
    QFontDatabase.addApplicationFont(str(resource_path("fonts/DroidSansFallbackFull.ttf")))


def _open(qtbot: object, services: AppServices) -> StatisticsDialog:
    dialog = StatisticsDialog(services)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    return dialog


def _load(qtbot: object, dialog: StatisticsDialog, start: date, end: date) -> Statistics:
    with qtbot.waitSignal(dialog.loaded, timeout=10000) as blocker:  # type: ignore[attr-defined]
        dialog.set_period(start, end)
    stats = blocker.args[0]
    assert isinstance(stats, Statistics)
    return stats


def _kpi(dialog: StatisticsDialog, key: str) -> str:
    label = dialog.findChild(QLabel, f"kpi_{key}")
    assert label is not None
    return label.text()


def test_dialog_shows_known_totals_and_tables(qtbot: object, qtmodeltester: object,
                                              services: AppServices) -> None:
    build_known_store(services)
    dialog = _open(qtbot, services)
    period = known_period()
    _load(qtbot, dialog, period.start, period.end)
    assert _kpi(dialog, "received") == "7"
    assert _kpi(dialog, "validity") == "6 / 1"
    assert _kpi(dialog, "overdue") == "1"
    assert _kpi(dialog, "on_time") == "1 / 3 (1)"  # late: A and B replied late, E unanswered past its deadline
    assert _kpi(dialog, "on_time_rate") == "25%"
    on_time = dialog.findChild(QLabel, "kpi_on_time_rate")
    assert on_time is not None and "仍未答复" in on_time.toolTip()  # the figure's definition
    assert _kpi(dialog, "repeat_rate") == "42.9%" and _kpi(dialog, "appeal_rate") == "14.3%"  # 3 of 7, 1 of 7
    assert _kpi(dialog, "qa_score") == "—"
    assert _kpi(dialog, "repeats") == "1 (3)"
    assert "62.34" in _kpi(dialog, "compensation")
    assert _kpi(dialog, "satisfaction") == "3 (2)"
    assert dialog.category_model.cell_text(0, 0) == "资费争议"
    assert dialog.category_model.cell_text(0, 1) == "3"
    assert dialog.category_chart.labels()[-1] == "资费争议"  # largest bar at the top
    assert dialog.time_chart.point_count() == len(dialog.statistics.by_time) > 0  # type: ignore[union-attr]
    assert dialog.tables.count() == 3 and dialog.agent_model.cell_text(0, 0) == "测试员"
    for model in (dialog.category_model, dialog.channel_model, dialog.agent_model):
        qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_export_writes_every_table_as_utf8_sig(qtbot: object, services: AppServices, tmp_path: Path) -> None:
    build_known_store(services)
    dialog = _open(qtbot, services)
    _load(qtbot, dialog, date(2025, 9, 1), date(2025, 9, 30))
    target = tmp_path / "stats.csv"
    dialog.export_csv(target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["按类别"] and rows[1][0] == "名称"
    assert ["资费争议", "2", "1", "1", "0.0"] in rows  # A (late) and E (open) in September
    assert ["按处理人"] in rows


def test_an_agent_does_not_get_the_agent_table(qtbot: object, services: AppServices) -> None:
    numbers = build_known_store(services)
    as_agent = open_as(services.url, "agent09", display_name="王五", team="九班")
    record = services.complaints.get(numbers["C"])
    services.complaints.update(services.actor, numbers["C"], {"assigned_agent_id": as_agent.actor.id},
                               record.version)
    try:
        dialog = _open(qtbot, as_agent)
        stats = _load(qtbot, dialog, *known_period().__dict__.values())
        assert stats.by_agent is None and _kpi(dialog, "received") == "1"
        assert dialog.tables.count() == 2 and dialog.tables.indexOf(dialog.agent_table) == -1
        assert "分配给您的投诉" in dialog.state_label.text()
    finally:
        dialog.close()
        as_agent.close()


def test_bad_custom_range_is_explained(qtbot: object, services: AppServices) -> None:
    dialog = _open(qtbot, services)
    with qtbot.waitSignal(dialog.failed, timeout=5000):  # type: ignore[attr-defined]
        dialog.set_period(date(2025, 9, 30), date(2025, 9, 1))
    assert "早于开始日期" in dialog.state_label.text()


def test_agent_model_alone_passes_the_model_tester(qtmodeltester: object) -> None:
    model = BreakdownModel(AGENT_COLUMNS)
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_report_buttons_write_pdf_and_xlsx(qtbot: object, services: AppServices, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    build_known_store(services)
    dialog = _open(qtbot, services)
    _load(qtbot, dialog, date(2025, 9, 1), date(2025, 9, 30))
    assert dialog.report_buttons["pdf"].isEnabled() and dialog.report_buttons["xlsx"].text() == "报表（XLSX）…"
    assert dialog.export_report(tmp_path / "r.pdf", "pdf")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert dialog.export_report(tmp_path / "r.xlsx", "xlsx")
    assert load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "概要"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with qtbot.waitSignal(dialog.failed, timeout=2000):  # type: ignore[attr-defined]
        assert not dialog.export_report(blocker / "r.pdf", "pdf")
