"""The status bar's history indicator: is the case history intact? Checked off the GUI thread.

Checked once when the desk opens and again whenever the agent clicks it. On PostgreSQL only an
admin seat sees every team's history, so other seats leave the check to the admins.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QStatusBar, QToolButton

from desktop.i18n import _
from desktop.services.audit import AuditReport
from desktop.services.audit_text import report_text
from desktop.ui.tasks import TaskRunner


class HistoryIndicator:
    """A status bar button; the walk (long on a big store) runs on its own thread so the queue never waits."""

    def __init__(self, bar: QStatusBar, verify: Callable[[Callable[[], bool]], AuditReport] | None) -> None:
        self._runner = TaskRunner(bar, max_threads=1)
        self._stopping = threading.Event()
        self._verify = verify
        self.report: AuditReport | None = None
        self.error: str | None = None
        self.checking = False
        self.button = QToolButton(bar)
        self.button.setObjectName("status_history")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.check)
        bar.addPermanentWidget(self.button)
        self.retranslate()

    def check(self) -> None:
        if self._verify is None or self.checking:
            return
        self.checking = True
        self.retranslate()
        verify, stopping = self._verify, self._stopping
        self._runner.run(lambda: verify(stopping.is_set), self._show, self._failed, key="history-check")

    def stop(self) -> None:
        """Closing: abandon a running check and wait for its thread."""
        self._stopping.set()
        self._runner.wait(5000)

    def _show(self, report: AuditReport) -> None:
        if self._stopping.is_set():
            return
        self.checking, self.report, self.error = False, report, None
        self.retranslate()

    def _failed(self, error: Exception) -> None:
        if self._stopping.is_set():
            return  # the window is closing (CheckStoppedError); nothing to show
        self.checking, self.error = False, str(error)
        self.retranslate()

    @property
    def state(self) -> str:
        if self._verify is None:
            return "admins"
        if self.checking:
            return "checking"
        if self.error is not None:
            return "failed"
        if self.report is None:
            return "unknown"
        return "intact" if self.report.intact else "broken"

    def retranslate(self) -> None:
        texts = {
            "admins": (_("History: checked by admins"),
                       _("On a shared server only an admin seat sees every team's history; admins run the check.")),
            "checking": (_("History: checking…"), _("Verifying the history hash chain.")),
            "failed": (_("History: check failed"), self.error or ""),
            "unknown": (_("History: not checked"), _("Click to verify the history.")),
        }
        if self.state in texts:
            text, tip = texts[self.state]
        else:
            assert self.report is not None
            text = _("History intact ✓") if self.report.intact else _("History BROKEN ✗")
            tip = report_text(self.report) + "\n" + _("Click to check again.")
        self.button.setText(text)
        self.button.setToolTip(tip)
        self.button.setStyleSheet("color: #b00020; font-weight: bold;" if self.state == "broken" else "")
