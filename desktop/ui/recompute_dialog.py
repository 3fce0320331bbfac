"""The deadline recompute after a change of the site's periods, with a progress bar.

At a million complaints moving the open cases' deadlines takes tens of seconds; it runs on a
worker (``TaskRunner``) while this dialog shows how far it is, and the window stays responsive.
The recompute commits in short batches and is idempotent, so the dialog cannot be dismissed half
way (there is nothing to cancel into: what moved is right), and a failure says how to finish.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.formatting import fmt_number
from desktop.i18n import _
from desktop.services.complaints import ComplaintService
from desktop.services.records import Actor
from desktop.ui.tasks import TaskRunner


class RecomputeDialog(QDialog):
    progressed = Signal(int, int)

    def __init__(self, complaints: ComplaintService, actor: Actor, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Recomputing deadlines"))
        self.setMinimumWidth(460)
        self.moved: int | None = None
        self.error: Exception | None = None
        self._complaints, self._actor, self._note = complaints, actor, note
        self._runner = TaskRunner(self, max_threads=1)
        self.stage = QLabel(_("Finding the open complaints whose deadline changes…"), self)
        self.stage.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy until the number of cases is known
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.hide()
        layout = QVBoxLayout(self)
        for widget in (self.stage, self.bar, self.buttons):
            layout.addWidget(widget)
        self.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    def run(self) -> int | None:
        """Recompute and wait (the event loop keeps running); how many moved, or None on failure."""
        complaints, actor, note = self._complaints, self._actor, self._note
        self._runner.run(lambda: complaints.recompute_deadlines(actor, note=note, progress=self.progressed.emit),
                         self._done, self._failed)
        self.exec()
        while self.moved is None and self.error is None:
            # The dialog's loop was ended from outside (an application quit) while the worker still
            # writes: keep the window alive until it has ended, so the result is never lost.
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return self.moved

    def reject(self) -> None:
        """Override QDialog::reject: Esc or the close box does nothing until the recompute has ended."""
        if self.moved is None and self.error is None:
            return
        super().reject()

    def _show_progress(self, done: int, total: int) -> None:
        if self.moved is not None or self.error is not None:
            return  # a late signal after the end
        self.stage.setText(_("Recomputing the deadlines of {total} open complaints…").format(total=fmt_number(total)))
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _done(self, moved: int) -> None:
        self.moved = moved
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.error = error
        self.bar.hide()
        self.stage.setText(_("Recomputing the deadlines stopped: {error}. The deadlines already moved are "
                             "correct; run “complaint-desk calendar recompute” to finish.").format(error=error))
        self.buttons.show()
