"""File › Import complaints: pick a CSV or XLSX file, watch the progress, read what happened.

The import runs on a worker thread (``TaskRunner``); its progress reaches the bar through a queued
signal. Nothing is stored unless every row is valid, and the dialog says so either way.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.work_limit import WorkTimeoutError
from desktop.i18n import N_, _
from desktop.services.app import AppServices
from desktop.services.import_journal import ImportInterruptedError
from desktop.services.import_read import ImportRejectedError
from desktop.services.transfer import ImportCancelledError, ImportSummary, import_file
from desktop.ui.tasks import TaskRunner

# Staging writes the checked rows where nobody sees them yet; publishing makes them complaints.
_STAGES = {"check": N_("Checking every row…"), "stage": N_("Preparing the complaints (step 1 of 2)…"),
           "publish": N_("Adding the complaints (step 2 of 2)…")}


def choose_import_file(parent: QWidget | None) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Import complaints"), "",
                                                _("Spreadsheets (*.csv *.xlsx)"))
    return Path(name) if name else None


class ImportDialog(QDialog):
    progressed = Signal(str, int, int)

    def __init__(self, services: AppServices, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import complaints"))
        self.setMinimumWidth(560)
        self.services = services
        self.path = path
        self.summary: ImportSummary | None = None
        self.finished_ok: bool | None = None
        self.runner = TaskRunner(self, max_threads=1)
        self.stage = QLabel(_("Reading {name}…").format(name=path.name), self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy until the row count is known
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.setEnabled(False)
        # Cancelling is honoured between batches until publishing starts (then it completes).
        self._stop = threading.Event()
        self.cancel = QPushButton(_("Cancel import"), self)
        self.cancel.clicked.connect(self.request_cancel)
        layout = QVBoxLayout(self)
        for widget in (self.stage, self.bar, self.report):
            layout.addWidget(widget)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        services, path = self.services, self.path
        self.runner.run(lambda: import_file(services.sessions, services.complaints, services.actor, path,
                                            progress=self.progressed.emit, should_stop=self._stop.is_set),
                        self._done, self._failed)

    def request_cancel(self) -> None:
        self._stop.set()
        self.cancel.setEnabled(False)
        self.stage.setText(_("Cancelling…"))

    def reject(self) -> None:
        """Override QDialog::reject: Esc while the import runs asks it to stop instead of hiding it."""
        if self.finished_ok is None:
            if self.cancel.isEnabled():
                self.request_cancel()
            return
        super().reject()

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        if stage == "publish":
            self.cancel.setEnabled(False)
        if self._stop.is_set() and stage != "publish":
            return  # keep saying "Cancelling…"
        msgid = _STAGES.get(stage)
        self.stage.setText(_(msgid) if msgid else stage)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)
            self.bar.setFormat(str(done))

    def _done(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.finished_ok = True
        self.cancel.hide()
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.stage.setText(_("Imported {count} complaints ({format}, {encoding}).").format(
            count=len(summary.numbers), format=summary.format.upper(), encoding=summary.encoding))
        self.buttons.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self.finished_ok = False
        self.bar.hide()
        self.cancel.hide()
        if isinstance(error, ImportCancelledError | ImportInterruptedError | WorkTimeoutError):
            self.stage.setText(str(error))
        elif isinstance(error, ImportRejectedError):
            lines = [str(problem) for problem in error.errors]
            if error.total > len(error.errors):
                lines.append(_("… and {count} more.").format(count=error.total - len(error.errors)))
            self.stage.setText(str(error))
            self.report.setPlainText("\n".join(lines))
            self.report.show()
        else:
            self.stage.setText(_("The import failed: {error}. Nothing was stored.").format(error=error))
        self.buttons.setEnabled(True)


def import_complaints(parent: QWidget, services: AppServices, path: Path | None = None) -> bool:
    """Ask for a file, import it with a progress bar; True when complaints were added."""
    chosen = path or choose_import_file(parent)
    if chosen is None:
        return False
    dialog = ImportDialog(services, chosen, parent)
    dialog.start()
    dialog.exec()
    return bool(dialog.finished_ok)
