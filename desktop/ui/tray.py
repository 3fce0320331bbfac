"""Reminders: a tray notification when more of the agent's own cases fall due today or overdue."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from desktop.formatting import fmt_number
from desktop.i18n import _
from desktop.services.queue import DueSummary


class ReminderTracker:
    """Decides when to remind (pure): only when a count grows, never again for the same cases."""

    def __init__(self) -> None:
        self._last: DueSummary | None = None

    def update(self, summary: DueSummary) -> str | None:
        previous, self._last = self._last, summary
        if previous is None:
            # The first check after start: remind once if anything needs attention at all.
            grew_today, grew_overdue = summary.due_today > 0, summary.overdue > 0
        else:
            grew_today = summary.due_today > previous.due_today
            grew_overdue = summary.overdue > previous.overdue
        if not (grew_today or grew_overdue):
            return None
        return reminder_text(summary)


def reminder_text(summary: DueSummary) -> str:
    return _("Your cases: {today} due today, {overdue} overdue.").format(
        today=fmt_number(summary.due_today), overdue=fmt_number(summary.overdue))


def _bring_up(window: QWidget) -> None:
    window.showNormal()
    window.activateWindow()


class DeskTray:
    """The tray icon (when the desktop has a tray) and its notifications."""

    def __init__(self, window: QWidget, enabled: bool) -> None:
        self.tracker = ReminderTracker()
        self.enabled = enabled
        self.messages: list[str] = []  # what was announced (the status bar repeats it; tests read it)
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(self._icon(), window)
            self.icon.activated.connect(lambda _reason: _bring_up(window))
            self.icon.show()
        self.retranslate()

    @staticmethod
    def _icon() -> QIcon:
        from desktop.ui.application import app_icon

        return app_icon()

    def retranslate(self) -> None:
        if self.icon is not None:
            self.icon.setToolTip(_("Complaint Desk"))

    def update(self, summary: DueSummary) -> str | None:
        message = self.tracker.update(summary)
        if message is None or not self.enabled:
            return None
        self.messages.append(message)
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(_("Complaint Desk"), message, QSystemTrayIcon.MessageIcon.Warning, 10000)
        return message

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
