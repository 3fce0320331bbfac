"""The deadline recompute the site settings start: on a worker, with progress, and a failure that says
how to finish. Real widgets on a real SQLite store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.cli.main import main
from desktop.services.app import AppServices
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.demo import generate
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.recompute_dialog import RecomputeDialog
from desktop.ui.site_settings import SiteSettingsDialog
from tests.accounts import cli_account

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]  # offscreen, modal dialogs


def _shorter_periods(services: AppServices) -> None:
    generate(services.sessions, services.complaints, services.actor, 300, seed=12)
    services.site.set(services.actor, "deadline_rules", {"reply": 8})
    services.reload_clock()


def _deadline_events(services: AppServices) -> int:
    with services.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM complaint_events WHERE kind = 'deadline'"))
                   .scalar_one())


def test_the_recompute_runs_on_a_worker_and_shows_its_progress(qtbot: QtBot, services: AppServices) -> None:
    _shorter_periods(services)
    dialog = RecomputeDialog(services.complaints, services.actor, RULES_CHANGED_NOTE)
    qtbot.addWidget(dialog)
    gui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    threads: list[bool] = []
    # A direct connection runs in the emitting thread: it tells where the work ran.
    dialog.progressed.connect(lambda *_: threads.append(QThread.currentThread() is not gui_thread),
                              Qt.ConnectionType.DirectConnection)

    moved = dialog.run()

    assert moved is not None and moved == _deadline_events(services) > 20
    assert threads and all(threads)  # every progress report came from the worker, not the GUI thread
    assert dialog.result() == RecomputeDialog.DialogCode.Accepted
    assert "未办结投诉的期限" in dialog.stage.text()  # the label said what it was doing, in Chinese


def test_a_failed_recompute_keeps_the_dialog_open_and_says_how_to_finish(qtbot: QtBot,
                                                                         services: AppServices) -> None:
    _shorter_periods(services)
    with services.engine.begin() as connection:  # a real database error while moving the deadlines
        connection.execute(text("CREATE TRIGGER refuse_all BEFORE UPDATE OF reply_due_at ON complaints "
                                "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    dialog = RecomputeDialog(services.complaints, services.actor, RULES_CHANGED_NOTE)
    qtbot.addWidget(dialog)
    closed_early: list[bool] = []

    def close_once_failed() -> None:
        if dialog.error is None:
            dialog.reject()  # Esc while it runs: ignored
            closed_early.append(dialog.isVisible())
            QTimer.singleShot(20, close_once_failed)
            return
        assert dialog.buttons.isVisible() and "complaint-desk calendar recompute" in dialog.stage.text()
        dialog.reject()

    QTimer.singleShot(0, close_once_failed)
    assert dialog.run() is None
    assert closed_early and all(closed_early)  # it stayed open until the recompute had ended
    assert _deadline_events(services) == 0


def test_site_settings_say_the_save_held_when_the_recompute_failed(
        qtbot: QtBot, services: AppServices, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(services.sessions, services.complaints, services.actor, 200, seed=13)
    with services.engine.begin() as connection:
        connection.execute(text("CREATE TRIGGER refuse_all BEFORE UPDATE OF reply_due_at ON complaints "
                                "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    settings = SiteSettingsDialog(services)
    qtbot.addWidget(settings)
    settings.spins["reply"].setValue(9)

    def close_failed_recompute() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, RecomputeDialog) and w.isVisible()]
        if dialogs and dialogs[0].error is not None:
            dialogs[0].reject()
        else:
            QTimer.singleShot(20, close_failed_recompute)

    QTimer.singleShot(0, close_failed_recompute)
    assert settings.save() is False
    assert services.site.get("deadline_rules") == {"reply": 9}  # the periods were saved
    assert settings.error.text() == ("设置已保存，但并非所有期限都已重新计算；"
                                     "请运行“complaint-desk calendar recompute”完成。")
    # What the message says finishes the job, once the cause is gone.
    with services.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_all"))
    cli_account(monkeypatch, db_url, "guanliyuan", role="admin", display_name="管理员")
    assert main(["calendar", "recompute"]) == 0
    assert services.complaints.recompute_deadlines(services.actor) == 0


def test_an_administrators_desk_says_a_recompute_stopped_half_way(
        qtbot: QtBot, services: AppServices, agent_services: AppServices, desk_settings: Settings) -> None:
    _shorter_periods(services)
    with services.engine.begin() as connection:
        connection.execute(text("CREATE TRIGGER refuse_all BEFORE UPDATE OF reply_due_at ON complaints "
                                "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    with pytest.raises(DBAPIError):
        services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE)

    admin_desk = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(admin_desk)
    admin_desk.show()
    qtbot.waitUntil(lambda: "complaint-desk calendar recompute" in admin_desk.statusBar().currentMessage(),
                    timeout=5000)
    assert admin_desk.statusBar().currentMessage().startswith(f"期限重算未完成（{services.actor.login}，")
    admin_desk.close()

    agent_desk = MainWindow(agent_services, desk_settings, background=False)
    qtbot.addWidget(agent_desk)
    agent_desk.show()
    qtbot.waitUntil(lambda: agent_desk.after_first_paint.done, timeout=5000)
    assert "recompute" not in agent_desk.statusBar().currentMessage()  # they could not act on it
    agent_desk.close()
