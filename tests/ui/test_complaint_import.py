"""File › Import complaints: the dialog runs the import off the GUI thread and reports either way."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.services.app import AppServices
from desktop.ui.complaint_import import ImportDialog

HEADER = "受理时间,受理渠道,投诉类别,客户姓名,被投诉号码,投诉内容,客户诉求\n"
ROW = "2025-06-03 09:15,热线,宽带,王五,13700001234,宽带频繁掉线已三天,要求尽快修复\n"


def run(qtbot: QtBot, services: AppServices, path: Path) -> ImportDialog:
    dialog = ImportDialog(services, path)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.finished_ok is not None, timeout=20000)
    return dialog


def test_import_dialog_imports_and_reports(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes((HEADER + ROW * 3).encode("gb18030"))
    dialog = run(qtbot, services, path)
    assert dialog.finished_ok is True and services.complaints.count() == 3
    assert "3" in dialog.stage.text() and "GB18030" in dialog.stage.text()
    assert dialog.buttons.isEnabled()
    dialog.resize(1366 // 2, 300)
    dialog.grab().save(str(tmp_path / "import-ok.png"))


def test_import_dialog_lists_problems_and_stores_nothing(qtbot: QtBot, services: AppServices,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROW + ROW.replace("13700001234", "1370000"), encoding="utf-8")
    dialog = run(qtbot, services, path)
    assert dialog.finished_ok is False and services.complaints.count() == 0
    assert "第3行" in dialog.report.toPlainText()
    dialog.grab().save(str(tmp_path / "import-rejected.png"))


def test_import_dialog_shows_staging_then_publishing(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROW * 50, encoding="utf-8")
    dialog = ImportDialog(services, path)
    qtbot.addWidget(dialog)
    stages: list[str] = []
    dialog.progressed.connect(lambda stage, _done, _total: stages.append(stage))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.finished_ok is not None, timeout=20000)
    assert dialog.finished_ok is True and services.complaints.count() == 50
    assert stages.index("stage") < stages.index("publish")  # the bar follows both steps
    assert not dialog.cancel.isVisible()


def test_cancel_before_publishing_stores_nothing(qtbot: QtBot, services: AppServices, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROW * 200, encoding="utf-8")
    dialog = ImportDialog(services, path)
    qtbot.addWidget(dialog)
    dialog.request_cancel()  # before the first batch: the import stops at its first question
    dialog.start()
    qtbot.waitUntil(lambda: dialog.finished_ok is not None, timeout=20000)
    assert dialog.finished_ok is False and services.complaints.count() == 0
    assert "取消" in dialog.stage.text()
    dialog.reject()  # finished: Close works again
    assert not dialog.isVisible()
