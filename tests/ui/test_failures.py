"""Unexpected errors and a database that cannot be opened: clear words, nothing typed is lost."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from desktop.logs import configure_file_logging, log_path
from desktop.services.app import AppServices
from desktop.services.drafts import DraftStore
from desktop.settings import Settings
from desktop.ui.failures import install_excepthook
from desktop.ui.intake.form import IntakeForm


@pytest.mark.gui  # starts the real desk (in a subprocess)
def test_unreachable_database_is_reported_in_chinese(tmp_path: Any) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none",
         "--screenshot", str(tmp_path / "x.png")],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 2
    assert "无法打开数据库" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_unexpected_error_keeps_the_typing_and_logs_it(qtbot: Any, services: AppServices, tmp_path: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    configure_file_logging()
    form = IntakeForm(services, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(form)
    form.fields.set_values({"customer_name": "赵六", "description": "宽带断网三天"})

    class Window(QWidget):
        intake = form

    window = Window()
    qtbot.addWidget(window)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(lambda: window)
    try:
        raise RuntimeError("模拟的意外错误")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]

    drafts = DraftStore().list()
    assert [d.fields["customer_name"] for d in drafts] == ["赵六"]
    assert "模拟的意外错误" in log_path().read_text(encoding="utf-8")
