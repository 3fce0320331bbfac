"""The desk's sign-in dialog, forced password change, status bar and idle lock, on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop.services.app import AppServices, Store
from desktop.services.errors import ServiceError
from desktop.services.identity import SignInError
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.sign_in import SignInDialog
from tests.accounts import TEST_PASSWORD, open_as
from tests.ui.test_main_window import open_window, type_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


@pytest.fixture
def store(services: AppServices, db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def fill(qtbot: Any, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_wrong_password_stays_on_one_error_line_and_enter_signs_in(qtbot: Any, store: Store) -> None:
    open_as(store.url, "clerk", display_name="王芳").close()
    dialog = SignInDialog(store, "clerk")
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    fill(qtbot, form.password_edit, "not-the-password")
    qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert form.error_label.text() == "登录名或密码错误。"
    assert form.password_edit.text() == "" and dialog.isVisible()
    fill(qtbot, form.password_edit, TEST_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.login == "clerk"


def test_lock_out_message_says_until_when(qtbot: Any, store: Store) -> None:
    open_as(store.url, "clerk").close()
    dialog = SignInDialog(store, "clerk")
    qtbot.addWidget(dialog)
    for _attempt in range(5):
        fill(qtbot, dialog.form.password_edit, "wrong-password-1")
        dialog.form.submit()
    assert dialog.form.error_label.text().startswith("登录失败次数过多：此账号已锁定至")


def test_forced_change_after_a_reset(qtbot: Any, services: AppServices, store: Store) -> None:
    open_as(store.url, "clerk").close()
    services.users.reset_password(services.actor, "clerk", "Linshi-Mima-2026")
    dialog = SignInDialog(store, "clerk")
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    fill(qtbot, form.password_edit, "Linshi-Mima-2026")
    form.submit()
    assert form.new_edit.isVisible() and form.repeat_edit.isVisible() and not dialog.result()
    assert form.submit_button.text() == "修改密码并登录"
    fill(qtbot, form.new_edit, "Ziji-Xuan-De-2026")
    fill(qtbot, form.repeat_edit, "Ziji-Xuan-De-2026x")
    form.submit()
    assert form.error_label.text() == "两次输入的新密码不一致。"
    fill(qtbot, form.repeat_edit, "Ziji-Xuan-De-2026")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(form.repeat_edit, Qt.Key.Key_Return)
    assert dialog.actor is not None and not dialog.actor.must_change_password
    assert store.identity.sign_in("clerk", "Ziji-Xuan-De-2026").login == "clerk"


def test_status_bar_names_who_is_signed_in_and_agents_get_greyed_actions(
        qtbot: Any, agent_services: AppServices, desk_settings: Settings) -> None:
    window = open_window(qtbot, agent_services, desk_settings)
    assert window.status.agent.text() == "已登录：王芳（clerk，坐席）"
    assert not window.desk_actions["import_law_pack"].isEnabled()


def test_idle_lock_hides_the_work_and_keeps_unsaved_intake_text(
        qtbot: Any, agent_services: AppServices, services: AppServices, desk_settings: Settings) -> None:
    window: MainWindow = open_window(qtbot, agent_services, desk_settings)
    window.new_complaint()
    name = window.intake.fields.editors["customer_name"]
    name.setFocus()
    type_text(qtbot, "孙悦")
    statistics = window.open_statistics()
    assert statistics.isVisible()
    lock = window.idle_lock
    assert lock.timer.isActive() and lock.timer.interval() == 10 * 60_000  # the site default
    lock.lock()  # what the timer does after 10 minutes without input
    assert not statistics.isVisible()
    assert lock.locked and lock.cover.geometry() == window.rect()
    assert not window.centralWidget().isEnabled() and not window.menuBar().isEnabled()
    assert "未保存的内容均已保留" in lock.notice.text()
    qtbot.keyClicks(name, "X")  # keys cannot reach the hidden work
    assert name.text() == "孙悦"
    # Someone else cannot unlock this desk, even with their own valid password.
    assert lock.form.login_edit.isReadOnly() and lock.form.login_edit.text() == "clerk"
    with pytest.raises(SignInError, match="此工作台已由 王芳 锁定"):
        agent_services.verify("tester", TEST_PASSWORD)
    fill(qtbot, lock.form.password_edit, "wrong-password-1")
    lock.form.submit()
    assert lock.locked and lock.form.error_label.text() == "登录名或密码错误。"
    fill(qtbot, lock.form.password_edit, TEST_PASSWORD)
    qtbot.keyClick(lock.form.password_edit, Qt.Key.Key_Return)
    assert not lock.locked and window.centralWidget().isEnabled() and window.menuBar().isEnabled()
    assert name.text() == "孙悦" and window.intake.has_unsaved_input() and statistics.isVisible()
    statistics.close()


def test_idle_lock_minutes_is_a_site_setting(services: AppServices) -> None:
    services.site.set(services.actor, "idle_lock_minutes", 3)
    assert services.site.get("idle_lock_minutes") == 3
    with pytest.raises(ServiceError, match="1 到 240 分钟"):
        services.site.set(services.actor, "idle_lock_minutes", 0)


def test_site_settings_dialog_sets_the_idle_lock(qtbot: Any, services: AppServices,
                                                  desk_settings: Settings) -> None:
    from desktop.ui.site_settings import SiteSettingsDialog

    window = open_window(qtbot, services, desk_settings)
    dialog = SiteSettingsDialog(services, window)
    qtbot.addWidget(dialog)
    assert dialog.idle_spin.value() == 10 and not dialog.idle_spin.isReadOnly()
    dialog.idle_spin.setValue(5)
    assert dialog.save()
    assert services.site.get("idle_lock_minutes") == 5
    window.idle_lock.set_minutes(5)
    assert window.idle_lock.timer.interval() == 5 * 60_000 and window.idle_lock.timer.isActive()


def test_the_desk_asks_for_sign_in_before_any_window_with_case_data(
        qtbot: Any, services: AppServices, monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m desktop`` on a set-up store: the sign-in dialog comes first, then the signed-in desk."""
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    import desktop.__main__ as entry

    open_as(services.url, "clerk", display_name="王芳").close()
    seen: dict[str, Any] = {}

    def sign_in_when_asked() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, SignInDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, sign_in_when_asked)
            return
        seen["windows_behind_dialog"] = [w for w in QApplication.topLevelWidgets()
                                         if isinstance(w, MainWindow) and w.isVisible()]
        seen["offered_login"] = dialog.form.login_edit.text()
        dialog.form.password_edit.setText(TEST_PASSWORD)
        dialog.form.submit()
        QTimer.singleShot(20, close_desk)

    def close_desk() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
                      None)
        if window is None:
            QTimer.singleShot(20, close_desk)
            return
        seen["status"] = window.status.agent.text()
        window.runner.wait()
        window.close()
        QApplication.quit()

    QTimer.singleShot(0, sign_in_when_asked)
    try:
        assert entry.main(["--db", services.url, "--user", "clerk"]) == 0
    finally:
        # Closing the desk's last window posts a second Quit; left queued it would end the next
        # test's first nested event loop (a modal dialog's exec) at once.
        QApplication.removePostedEvents(None, QEvent.Type.Quit)
    assert seen["windows_behind_dialog"] == [] and seen["offered_login"] == "clerk"
    assert seen["status"] == "已登录：王芳（clerk，坐席）"
