"""The Letter box of a case: customer signature, preview, sign & archive, revisions, verification.

A letter, once archived, is printed again from its stored bytes, never re-rendered: the
customer's copy and the archive stay identical. A change to the case makes the next letter
a new revision; earlier revisions stay as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.work_limit import WorkTimeoutError
from desktop.i18n import _
from desktop.letters.content import LetterContent, LetterError
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.services.letters import LetterRecord
from desktop.services.records import ComplaintRecord
from desktop.ui.case.letter_models import LetterRevisionsModel
from desktop.ui.case.letter_work import (
    LETTER_LANGUAGE,
    SignedLetter,
    is_current,
    is_first_signing,
    render_and_sign,
    render_draft,
)
from desktop.ui.case.passphrase import PassphraseDialog
from desktop.ui.letters.preview_dialog import LetterPreviewDialog
from desktop.ui.letters.signature_dialog import SignatureDialog
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.flow_layout import flow_row

log = logging.getLogger(__name__)
REVISIONS_HEIGHT = 96
LETTER_SHORTCUTS = {"customer_signs": "Ctrl+Alt+C", "generate_letter": "Ctrl+Alt+L",
                    "sign_archive": "Ctrl+Alt+G", "verify_letter": "Ctrl+Alt+V"}


class LetterActions(QWidget):
    """``prepare`` saves pending edits and returns the case as stored (None: not ready)."""

    message = Signal(str, bool)  # text, is_error
    history_changed = Signal(str)  # number of the case whose timeline gained an entry
    preview_shown = Signal(object)  # the LetterPreviewDialog just opened
    busy_changed = Signal(bool)

    def __init__(self, services: AppServices, prepare: Callable[[], ComplaintRecord | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.prepare = prepare
        self.number: str | None = None
        self.runner = TaskRunner(self, max_threads=1)
        self.busy = False
        self.sign_customer = QPushButton(self)
        self.generate = QPushButton(self)
        self.sign_archive = QPushButton(self)
        self.verify = QPushButton(self)
        self.open_revision = QPushButton(self)
        self.signature_state = QLabel(self)
        self.revisions = LetterRevisionsModel(self)
        self.table = QTableView(self)
        self._build()
        # Keys for the letter steps (the main window lists them in its Case menu).
        self.shortcut_actions: dict[str, QAction] = {}
        for name, button, key in (("customer_signs", self.sign_customer, LETTER_SHORTCUTS["customer_signs"]),
                                  ("generate_letter", self.generate, LETTER_SHORTCUTS["generate_letter"]),
                                  ("sign_archive", self.sign_archive, LETTER_SHORTCUTS["sign_archive"]),
                                  ("verify_letter", self.verify, LETTER_SHORTCUTS["verify_letter"])):
            action = QAction(self)
            action.setObjectName(f"letter_{name}")
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _checked=False, b=button: b.click() if b.isEnabled() else None)
            self.shortcut_actions[name] = action
        self.sign_customer.clicked.connect(self.capture_signature)
        self.generate.clicked.connect(self.preview_letter)
        self.sign_archive.clicked.connect(self.sign_and_archive)
        self.verify.clicked.connect(self.verify_letter)
        self.open_revision.clicked.connect(lambda: self.show_revision(self.table.currentIndex()))
        self.table.activated.connect(self.show_revision)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.retranslate()
        self._update_buttons()

    def _build(self) -> None:
        self.table.setModel(self.revisions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setFixedHeight(REVISIONS_HEIGHT)
        self.table.setMinimumWidth(240)
        buttons = flow_row(self, [self.sign_customer, self.generate, self.sign_archive, self.verify,
                                  self.open_revision, self.signature_state])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(buttons)
        layout.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.sign_customer.setText(_("Customer signs…"))
        self.sign_customer.setToolTip(_("Capture the customer's handwritten signature for the letter"))
        self.generate.setText(_("Generate letter"))
        self.generate.setToolTip(_("Show the outcome letter: the archived one if the case is "
                                   "unchanged, else a draft of the next revision"))
        self.sign_archive.setText(_("Sign and archive"))
        self.sign_archive.setToolTip(_("Sign the letter with your certificate and archive it as a "
                                       "new revision"))
        self.verify.setText(_("Verify letter…"))
        self.verify.setToolTip(_("Check the signature of a letter PDF"))
        self.open_revision.setText(_("Open revision"))
        for action, button in zip(self.shortcut_actions.values(),
                                  (self.sign_customer, self.generate, self.sign_archive, self.verify), strict=True):
            action.setText(button.text())
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{button.toolTip()} ({key})")
        self.table.setAccessibleName(_("Archived letter revisions"))
        self.revisions.retranslate()
        self._show_signature_state()

    # -- state -----------------------------------------------------------------------------
    def show_case(self, record: ComplaintRecord | None) -> None:
        self.number = record.number if record is not None else None
        self._reload_revisions()
        self._show_signature_state()
        self._update_buttons()

    def _reload_revisions(self) -> None:
        revisions: list[LetterRecord] = []
        if self.number is not None:
            try:
                revisions = self.services.letters.revisions(self.number)
            except ServiceError as error:
                self.message.emit(str(error), True)
        self.revisions.set_items(revisions)
        if revisions:
            self.table.setCurrentIndex(self.revisions.index(len(revisions) - 1, 0))

    def _show_signature_state(self) -> None:
        if self.number is None:
            self.signature_state.clear()
            return
        try:
            on_file = self.services.letters.customer_signature(self.number) is not None
        except (ServiceError, LetterError) as error:
            self.signature_state.setText(str(error))
            return
        self.signature_state.setText("✔ " + _("Customer signature on file") if on_file
                                     else _("No customer signature yet"))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()
        self.busy_changed.emit(busy)

    def _update_buttons(self) -> None:
        ready = self.number is not None and not self.busy
        for button in (self.sign_customer, self.generate, self.sign_archive):
            button.setEnabled(ready)
        self.open_revision.setEnabled(ready and self.table.currentIndex().isValid())

    # -- customer signature ----------------------------------------------------------------
    def capture_signature(self) -> None:
        if self.number is None:
            return
        number = self.number
        try:
            strokes = SignatureDialog.ask(self, self.services.letters.customer_signature(number))
            if not strokes:
                return
            self.services.letters.save_customer_signature(self.services.actor, number, strokes)
        except (ServiceError, LetterError) as error:
            self.message.emit(str(error), True)
            return
        self._show_signature_state()
        self.history_changed.emit(number)
        self.message.emit(_("The customer's signature is stored; the next letter shows it."), False)

    # -- letters ---------------------------------------------------------------------------
    def _letter_case(self) -> ComplaintRecord | None:
        """The stored case, when it may get a letter; else None after saying why."""
        record = self.prepare()
        if record is None:
            return None
        if not (record.resolution or "").strip():
            self.message.emit(_("No letter yet: record the resolution first (Resolution tab, then "
                                "save), so the letter can tell the customer the outcome."), True)
            return None
        return record

    def _current_archived(self, number: str) -> LetterRecord | None:
        """The latest archived revision if the case has not changed since it was made."""
        latest = self.services.letters.latest(number)
        if latest is None:
            return None
        content = self.services.letters.content(number, LETTER_LANGUAGE, revision=latest.revision)
        return latest if is_current(latest, content) else None

    def preview_letter(self) -> None:
        """The archived letter again if nothing changed, else a draft of the next revision."""
        record = self._letter_case()
        if record is None:
            return
        try:
            archived = self._current_archived(record.number)
            if archived is not None:
                self._open_preview(archived.pdf, archived.revision, draft=False)
                self.message.emit(_("Archived revision {revision} shown unchanged.").format(
                    revision=archived.revision), False)
                return
            content = self.services.letters.content(record.number, LETTER_LANGUAGE)
        except (ServiceError, LetterError) as error:
            self.message.emit(str(error), True)
            return
        self._set_busy(True)
        self.runner.run(lambda: render_draft(content),
                        lambda pdf: self._draft_ready(content, pdf), self._failed)

    def _draft_ready(self, content: LetterContent, pdf: bytes) -> None:
        self._set_busy(False)
        self._open_preview(pdf, content.revision, draft=True)
        self.message.emit(_("Draft of revision {revision}: not archived until it is signed.").format(
            revision=content.revision), False)

    def sign_and_archive(self) -> None:
        record = self._letter_case()
        if record is None:
            return
        signer = self.services.actor.display_name or self.services.actor.login
        try:
            archived = self._current_archived(record.number)
            if archived is not None and archived.signed:
                self._open_preview(archived.pdf, archived.revision, draft=False)
                self.message.emit(_("Nothing changed since revision {revision}; it is signed and "
                                    "archived already.").format(revision=archived.revision), False)
                return
            content = self.services.letters.content(record.number, LETTER_LANGUAGE)
        except (ServiceError, LetterError) as error:
            self.message.emit(str(error), True)
            return
        from desktop.letters.keys import missing_certificate_problem  # key handling loads on first use

        problem = missing_certificate_problem(signer)
        if problem is not None:  # say so before asking for a passphrase that could not help
            self.message.emit(problem, True)
            return
        passphrase = PassphraseDialog.ask(self, signer, first_time=is_first_signing(signer))
        if passphrase is None:
            return
        self._set_busy(True)
        self.message.emit(_("Signing revision {revision}…").format(revision=content.revision), False)
        self.runner.run(lambda: render_and_sign(content, signer, passphrase), self._signed, self._failed)

    def _signed(self, letter: SignedLetter) -> None:
        self._set_busy(False)
        content = letter.content
        try:
            stored = self.services.letters.archive(self.services.actor, content.complaint_number,
                                                   content.revision, content.language, letter.pdf,
                                                   letter.signer)
        except Exception as error:  # e.g. a colleague archived this revision number meanwhile
            log.exception("archiving letter of %s failed", content.complaint_number)
            self.message.emit(_("The signed letter was not archived: {error}").format(error=error), True)
            return
        self._reload_revisions()
        self.history_changed.emit(content.complaint_number)
        text = _("Revision {revision} signed by {signer} and archived.").format(
            revision=stored.revision, signer=letter.signer)
        if letter.demo_identity:
            text += " " + _("Signed with a demo identity; not valid for real letters.")
        self.message.emit(text, False)
        self._open_preview(stored.pdf, stored.revision, draft=False)

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, LetterError | ServiceError):
            self.message.emit(str(error), True)
        else:
            log.error("letter work failed", exc_info=error)
            self.message.emit(_("The letter could not be made: {error}").format(error=error), True)

    def show_revision(self, index: QModelIndex) -> None:
        if index.isValid():
            stored = self.revisions.item(index.row())
            self._open_preview(stored.pdf, stored.revision, draft=False)

    def _open_preview(self, pdf: bytes, revision: int, *, draft: bool) -> None:
        number = self.number or ""
        title = (_("Letter {number}, draft of revision {revision}") if draft
                 else _("Letter {number}, revision {revision}")).format(number=number, revision=revision)
        dialog = LetterPreviewDialog(pdf, title=title, suggested_name=f"{number}-r{revision}.pdf",
                                     parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal without a nested event loop, so signing callbacks keep flowing
        self.preview_shown.emit(dialog)

    def verify_letter(self) -> None:
        # Verification brings the PDF reader and cryptography: loaded on use, not with the case view.
        from desktop.ui.letters.verify_dialog import VerifyLetterDialog

        try:
            VerifyLetterDialog.ask(self, sessions=self.services.sessions)
        except (OSError, LetterError, WorkTimeoutError) as error:  # unreadable, or too slow to check
            self.message.emit(str(error), True)
