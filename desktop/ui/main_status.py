"""Status bar and window title: who is signed in, which database, what is due."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QMainWindow, QStatusBar

from desktop.formatting import fmt_number
from desktop.i18n import _, ngettext
from desktop.services.app import AppServices
from desktop.services.audit import AuditReport, AuditService
from desktop.services.permissions import role_label
from desktop.services.queue import DueSummary
from desktop.services.records import Actor


def history_check(services: AppServices) -> Callable[[Callable[[], bool]], AuditReport] | None:
    """How this seat checks the history (given a stop flag), or None where only admins can (a shared
    PostgreSQL server, where row-level security hides other teams' history)."""
    if services.engine.dialect.name == "postgresql" and services.actor.role != "admin":
        return None
    audit = AuditService(services.engine, services.sessions)
    return lambda stop: audit.verify(stop=stop)


def window_title(summary: DueSummary | None, *, demo: bool = False) -> str:
    """“投诉受理台 — 5 件待办” : the count shows in the task bar even when minimised.
    The demo store says so first: “投诉受理台【演示数据】”."""
    title = _("Complaint Desk")
    if demo:
        title = _("{title} [DEMO DATA]").format(title=title)
    if summary is None or summary.total == 0:
        return title
    attention = ngettext("{count} case due", "{count} cases due", summary.total).format(
        count=fmt_number(summary.total))
    return _("{title} — {attention}").format(title=title, attention=attention)


def due_text(summary: DueSummary | None) -> str:
    if summary is None:
        return _("Counting due cases…")
    return _("Mine due today: {today} · overdue: {overdue}").format(
        today=fmt_number(summary.due_today), overdue=fmt_number(summary.overdue))


class DeskStatusBar:
    """Permanent labels on the window's status bar (transient messages use showMessage)."""

    def __init__(self, window: QMainWindow, actor: Actor, display_url: str) -> None:
        self._actor = actor
        self._url = display_url
        self.summary: DueSummary | None = None
        bar: QStatusBar = window.statusBar()
        self.agent = QLabel(bar)
        self.agent.setObjectName("status_agent")
        self.database = QLabel(bar)
        self.database.setObjectName("status_database")
        self.due = QLabel(bar)
        self.due.setObjectName("status_due")
        bar.addPermanentWidget(self.due)
        bar.addPermanentWidget(self.agent)
        bar.addPermanentWidget(self.database)
        self.retranslate()

    def show_due(self, summary: DueSummary) -> None:
        self.summary = summary
        self.due.setText(due_text(summary))

    def retranslate(self) -> None:
        self.agent.setText(_("Signed in: {name} ({login}, {role})").format(
            name=self._actor.display_name, login=self._actor.login, role=role_label(self._actor.role)))
        self.database.setText(_("Database: {url}").format(url=self._url))
        self.database.setToolTip(self._url)
        self.due.setText(due_text(self.summary))
