"""Sign-in before any case data shows, the forced password change, and the idle lock.

``SignInForm`` is the one form (login, password, one error line; after an admin reset it asks for a
new password twice). ``SignInDialog`` shows it before the main window; ``IdleLock`` covers the main
window with it after ``idle_lock_minutes`` without input, keeping every unsaved edit underneath.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.records import Actor

if TYPE_CHECKING:
    from desktop.services.app import AppServices, Store

Authenticate = Callable[[str, str], Actor]
ChangePassword = Callable[[str, str, str], Actor]


class SignInForm(QWidget):
    """Login + password; on success emits ``signed_in``. Errors stay on one line under the fields."""

    signed_in = Signal(object)  # Actor

    def __init__(self, authenticate: Authenticate, change_password: ChangePassword, *, login: str = "",
                 login_fixed: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._authenticate = authenticate
        self._change_password = change_password
        self._pending: tuple[str, str] | None = None  # (login, current password) while a change is asked
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.login_edit = QLineEdit(login, self)
        self.login_edit.setReadOnly(login_fixed)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_edit = QLineEdit(self)
        self.new_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.submit_button = QPushButton(self)
        # Enter in any field submits once (returnPressed); not also as a dialog's default button.
        self.submit_button.setAutoDefault(False)
        self.submit_button.clicked.connect(self.submit)
        self.form = QFormLayout()
        self.form.addRow(_("&Login:"), self.login_edit)
        self.form.addRow(_("&Password:"), self.password_edit)
        self.form.addRow(_("&New password:"), self.new_edit)
        self.form.addRow(_("&Repeat it:"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignRight)
        for edit in (self.login_edit, self.password_edit, self.new_edit, self.repeat_edit):
            edit.returnPressed.connect(self.submit)
        self._show_change(False)
        self.reset()

    def _show_change(self, visible: bool) -> None:
        for edit in (self.new_edit, self.repeat_edit):
            edit.setVisible(visible)
            label = self.form.labelForField(edit)
            if label is not None:
                label.setVisible(visible)
        self.login_edit.setEnabled(not visible)
        self.password_edit.setEnabled(not visible)
        self.submit_button.setText(_("Change password and sign in") if visible else _("Sign in"))
        self.heading.setText(_("Your password was reset: choose a new one (at least 10 characters, letters mixed "
                               "with digits or symbols).") if visible
                             else _("Sign in to see and work on complaints."))

    def reset(self, message: str = "") -> None:
        """Back to the first step with empty passwords (after success, or when locking again)."""
        self._pending = None
        for edit in (self.password_edit, self.new_edit, self.repeat_edit):
            edit.clear()
        self._show_change(False)
        self.error_label.setText(message)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()

    def submit(self) -> None:
        if self._pending is not None:
            self._submit_change()
            return
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        if not login or not password:
            self.error_label.setText(_("Enter your login and password."))
            return
        try:
            actor = self._authenticate(login, password)
        except ServiceError as error:
            self.password_edit.clear()
            self.password_edit.setFocus()
            self.error_label.setText(str(error))
            return
        if actor.must_change_password:
            self._pending = (login, password)
            self.error_label.clear()
            self._show_change(True)
            self.new_edit.setFocus()
            return
        self._done(actor)

    def _submit_change(self) -> None:
        assert self._pending is not None
        login, current = self._pending
        if self.new_edit.text() != self.repeat_edit.text():
            self.error_label.setText(_("The two new passwords differ."))
            self.repeat_edit.clear()
            self.repeat_edit.setFocus()
            return
        try:
            actor = self._change_password(login, current, self.new_edit.text())
        except ServiceError as error:
            self.error_label.setText(str(error))
            self.new_edit.setFocus()
            return
        self._done(actor)

    def _done(self, actor: Actor) -> None:
        self.reset()
        self.signed_in.emit(actor)


class SignInDialog(QDialog):
    """Shown before the main window: nothing from the store is visible until someone signs in."""

    def __init__(self, store: Store, login: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Complaint Desk — sign in"))
        self.store = store
        self.actor: Actor | None = None
        self.form = SignInForm(store.identity.sign_in, store.identity.change_password, login=login, parent=self)
        self.form.signed_in.connect(self._signed_in)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        quit_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        quit_button.setText(_("Quit"))
        quit_button.setAutoDefault(False)  # Enter signs in; it never quits
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    @classmethod
    def run(cls, store: Store, login: str = "") -> AppServices | None:
        from desktop.services.app import AppServices

        dialog = cls(store, login)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
            return None
        return AppServices.for_actor(store, dialog.actor)


_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleLock(QObject):
    """After ``minutes`` without keyboard or mouse input, cover the window with the sign-in form.

    The window's widgets are disabled and hidden behind the cover, never cleared: signing back in as the
    same user uncovers them with every unsaved edit (intake text, case edits) as it was.
    """

    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, services: AppServices, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.services = services
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.lock)
        self.cover = QWidget(window)
        self.cover.setObjectName("idleLockCover")
        self.cover.setAutoFillBackground(True)
        self.form = SignInForm(self._verify, services.identity.change_password, login=services.actor.login,
                               login_fixed=True, parent=self.cover)
        self.form.signed_in.connect(self.unlock)
        self.notice = QLabel(self.cover)
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self.cover)
        layout.addStretch(1)
        layout.addWidget(self.notice, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.form.setFixedWidth(440)
        self.notice.setFixedWidth(440)
        self.notice.setStyleSheet("font-weight: bold;")
        self.cover.hide()
        self._disabled: list[QWidget] = []
        self._hidden_windows: list[QWidget] = []
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.installEventFilter(self)
        self.timer.start()

    def set_minutes(self, minutes: int) -> None:
        """A changed site setting applies from the next input on."""
        self.timer.setInterval(max(1, minutes) * 60_000)
        if not self.locked:
            self.timer.start()

    @property
    def locked(self) -> bool:
        return self.cover.isVisible()

    def _verify(self, login: str, password: str) -> Actor:
        return self.services.verify(login, password)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize and self.locked:
            self.cover.setGeometry(self.window.rect())
        if kind in _INPUT_EVENTS and not self.locked:
            self.timer.start()  # any input restarts the countdown
        # While locked, keys never reach the hidden work.
        return (self.locked and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and isinstance(watched, QWidget) and not self.cover.isAncestorOf(watched)
                and watched is not self.cover)

    def lock(self) -> None:
        if self.locked:
            return
        self.notice.setText(_("Locked after {minutes} minutes without input. {name}'s unsaved work is kept; "
                              "sign in again to continue.").format(minutes=self.timer.interval() // 60_000,
                                                                   name=self.services.actor.display_name))
        self.notice.setMinimumHeight(self.notice.heightForWidth(self.notice.width()))
        self._disabled = [w for w in self._work_widgets() if w.isEnabled()]
        for widget in self._disabled:
            widget.setEnabled(False)
        # Other windows with case data (statistics, …) hide too; a modal dialog is left alone
        # (hiding it would end its exec() as if cancelled), and stays above the cover.
        self._hidden_windows = [w for w in QApplication.topLevelWidgets()
                                if w.isVisible() and w is not self.window and not w.isModal()]
        for other in self._hidden_windows:
            other.hide()
        self.cover.setGeometry(self.window.rect())
        self.cover.show()
        self.cover.raise_()
        self.form.reset()
        self.form.password_edit.setFocus()
        self.locked_changed.emit(True)

    def unlock(self, _actor: Actor) -> None:
        self.cover.hide()
        for widget in self._disabled:
            widget.setEnabled(True)
        for other in self._hidden_windows:
            other.show()
        self._disabled, self._hidden_windows = [], []
        self.timer.start()
        self.locked_changed.emit(False)

    def _work_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        for child in self.window.children():
            if isinstance(child, QWidget) and child is not self.cover and not child.isWindow():
                widgets.append(child)
        return widgets
