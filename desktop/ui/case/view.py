"""One complaint: header with the countdown, workflow buttons, editable tabs and the history.

Saves use optimistic concurrency: the version the agent opened goes with every save, and a
case changed meanwhile opens the conflict dialog instead of overwriting anyone's work.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import Status
from desktop.domain.deadlines import Deadline
from desktop.domain.intake import INPUT_FIELDS, IntakeError
from desktop.domain.masking import mask_text
from desktop.domain.validation import FieldError
from desktop.domain.workflow import TRANSITIONS, Action, IllegalTransitionError, MissingReasonError
from desktop.formatting import fmt_datetime
from desktop.i18n import _
from desktop.law import Citation
from desktop.services.app import AppServices
from desktop.services.case_reads import CaseFile
from desktop.services.drafts import CASE_EDIT, DraftStore
from desktop.services.errors import ConcurrentEditError, ServiceError
from desktop.services.records import ComplaintRecord
from desktop.ui.case.citations import CitationsTab, LetterArea
from desktop.ui.case.conflict import ConflictChoice, ConflictDialog, KeptEditsBanner
from desktop.ui.case.field_names import field_name
from desktop.ui.case.header import CaseHeader
from desktop.ui.case.letter_actions import LetterActions
from desktop.ui.case.personal import RevealDialog, RevealMode
from desktop.ui.case.tabs import CaseTab, DetailsTab, FollowUpTab, NotesTab, ResolutionTab
from desktop.ui.case.timeline import TimelineTab
from desktop.ui.case.transitions import TransitionBar, ask_step_input
from desktop.ui.law.confirm import SecondaryCitationConfirmation
from desktop.ui.widgets.field_row import ErrorLabel

log = logging.getLogger(__name__)
TABS_MIN_HEIGHT = 260  # the tab pages stay usable; the case scrolls below this
READ_ONLY_STATUSES = frozenset({Status.CLOSED, Status.INVALID, Status.WITHDRAWN})


def kept_edits_key(number: str) -> str:
    return "case-" + "".join(c for c in number if c.isalnum() or c in "-_")


class CaseView(QWidget):
    changed = Signal(str)  # the number of a case this view saved or moved on

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.drafts = DraftStore(owner=services.actor.login)
        self.record: ComplaintRecord | None = None
        self.deadline: Deadline | None = None
        self._loaded: dict[str, str] = {}
        self.header = CaseHeader(self)
        self.kept = KeptEditsBanner(self)
        self.message = ErrorLabel(self)
        self.info = QLabel(self)
        self.transitions = TransitionBar(self)
        self.details, self.timeline = DetailsTab(self), TimelineTab(self)
        self.notes, self.resolution, self.followup = NotesTab(self), ResolutionTab(self), FollowUpTab(self)
        self.citations = CitationsTab(services, self)
        self.tabs = QTabWidget(self)
        for tab in (self.details, self.timeline, self.notes, self.resolution, self.followup,
                    self.citations):
            self.tabs.addTab(tab, "")
        self.letter_area = LetterArea(self)
        self.letters = LetterActions(services, self._stored_for_letter, self)
        self.letter_area.add_widget(self.letters, 1)
        self.save_action = QAction(self)
        self.save_action.triggered.connect(self.save)
        self.save_button = QToolButton(self)
        self.save_button.setDefaultAction(self.save_action)
        self._build_layout()
        self.transitions.requested.connect(self.run_action)
        self.kept.restore_requested.connect(self.restore_kept_edits)
        self.kept.discard_requested.connect(self.discard_kept_edits)
        self.citations.attach_requested.connect(self.attach_citation)
        self.citations.remove_requested.connect(self.remove_citation)
        # Alt+1 … Alt+6 open a tab and put the cursor in its first field (keyboard-first desk).
        for position in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{position + 1}"), self, lambda p=position: self.show_tab(p),
                      context=Qt.ShortcutContext.WindowShortcut)
        self.letters.message.connect(self._show_letter_message)
        self.letters.history_changed.connect(self._after_side_record)
        self.details.masked.reveal_requested.connect(self.reveal_field)
        self.retranslate()
        self.setEnabled(False)  # until a case is shown

    def _build_layout(self) -> None:
        # Everything but the save row scrolls, so the case fits a 1280x720 screen; the save button
        # and the status line stay in sight.
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        column.addWidget(self.kept)
        column.addWidget(self.message)
        column.addWidget(self.transitions)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.letter_area)
        self.tabs.setMinimumHeight(TABS_MIN_HEIGHT)
        self.body_scroll = QScrollArea(self)
        self.body_scroll.setObjectName("case_scroll")
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.setWidget(body)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.body_scroll, 1)
        layout.addLayout(bottom)

    def retranslate(self) -> None:
        titles = (_("Details"), _("Timeline"), _("Investigation notes"), _("Resolution"),
                  _("Follow-up"), _("Citations"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        self.save_action.setText(_("Save changes"))
        self.save_action.setToolTip(_("Save the changes to this case"))
        self.header.retranslate()
        self.transitions.retranslate()
        self.timeline.retranslate()
        self.citations.retranslate()
        self.letter_area.retranslate()
        self.letters.retranslate()
        for tab in self.edit_tabs():
            tab.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def edit_tabs(self) -> list[CaseTab]:
        return [self.details, self.notes, self.resolution, self.followup]

    # -- showing ---------------------------------------------------------------------------
    def show_case(self, number: str) -> None:
        try:
            # Record, history and citations in one read (one transaction): the desk's most frequent read.
            case_file = self.services.complaints.open_case(number)
        except ServiceError as error:
            self.message.show_message(str(error))
            return
        self._clear_messages()
        self._load(case_file.record, case_file)

    def _load(self, record: ComplaintRecord, case_file: CaseFile | None = None) -> None:
        """Show ``record``; history and citations come from ``case_file`` when it was just read with it."""
        self.record = record
        try:
            self.deadline = self.services.complaints.reply_deadline(record)
        except (KeyError, ValueError):  # a rule removed from the site settings: no trace to show
            self.deadline = None
        self.header.show_record(record, self.deadline)
        status = Status(record.status)
        self.transitions.set_status(status)
        for tab in self.edit_tabs():
            tab.load(record)
            tab.set_editable(status not in READ_ONLY_STATUSES)
            tab.clear_errors()
        if case_file is None:
            self.timeline.show_events(self.services.complaints.events(record.number))
            self.citations.reload(record)
        else:
            self.timeline.show_events(case_file.events)
            self.citations.reload(record, case_file.citations)
        self.letters.show_case(record)
        self._loaded = self.screen_values()
        self.setEnabled(True)
        kept = self.drafts.load(kept_edits_key(record.number))
        self.kept.offer(fmt_datetime(kept.saved_at) if kept is not None else None)

    def screen_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for tab in self.edit_tabs():
            values.update(tab.values())
        return values

    # -- saving ----------------------------------------------------------------------------
    def pending_changes(self) -> dict[str, Any]:
        """Fields whose on-screen text differs from the loaded case, as the service wants them."""
        screen = self.screen_values()
        raw_intake = self.details.fields.values()
        return {name: (raw_intake[name] if name in INPUT_FIELDS else text)
                for name, text in screen.items() if text != self._loaded.get(name)}

    def has_unsaved_changes(self) -> bool:
        return bool(self.record is not None and self.pending_changes())

    def save(self) -> bool:
        """Save the edits; True when everything on screen is stored."""
        if self.record is None:
            return False
        changes = self.pending_changes()
        if not changes:
            self.info.setText(_("Nothing changed."))
            return True
        return self._update(changes, self.record.version)

    def _update(self, changes: dict[str, Any], version: int) -> bool:
        assert self.record is not None
        self._clear_messages()
        try:
            record = self.services.complaints.update(self.services.actor, self.record.number,
                                                     changes, expected_version=version)
        except ConcurrentEditError as error:
            return self._resolve_conflict(error)
        except IntakeError as error:
            self._show_field_errors(error.errors)
            return False
        except FieldError as error:
            self._show_field_errors([error])
            return False
        except Exception as error:  # the store may be unreachable: keep the edits, say why
            log.exception("saving case %s failed", self.record.number)
            self.message.show_message(_("Not saved: {error}. Your edits are kept.").format(
                error=mask_text(str(error))))
            return False
        self.drafts.delete(kept_edits_key(record.number))
        self._after_change(record, _("Saved (version {version}).").format(version=record.version))
        return True

    def _resolve_conflict(self, error: ConcurrentEditError) -> bool:
        mine = {name: text for name, text in self.screen_values().items()
                if name in error.attempted}
        # Kept on disk before any choice, so not even a crash in the dialog loses the edits.
        self.drafts.save(kept_edits_key(error.current.number), CASE_EDIT, mine,
                         number=error.current.number, extra={"their_version": error.current.version})
        choice = ConflictDialog.ask(self, error)
        if choice == ConflictChoice.KEEP_MINE:
            return self._update(dict(error.attempted), error.current.version)
        if choice == ConflictChoice.TAKE_THEIRS:
            self._load(error.current)
            self.info.setText(_("Their version is shown; yours is kept in a draft."))
            self.changed.emit(error.current.number)
            return False
        self.message.show_message(_("Not saved: the case changed meanwhile. Your edits are still "
                                    "on screen and kept in a draft."))
        return False

    def _show_field_errors(self, errors: list[FieldError]) -> None:
        general = []
        for error in errors:
            if not any(tab.set_error(error.field, error.problem) for tab in self.edit_tabs()):
                general.append(error.message)
        first = next((tab for tab in self.edit_tabs()
                      if any(row.error.message() for row in tab.rows.values())), None)
        if first is not None:
            self.tabs.setCurrentWidget(first)
        self.message.show_message(" ".join([_("Not saved; please fix the marked fields."),
                                            *general]))

    def _after_change(self, record: ComplaintRecord, note: str) -> None:
        self._load(record)
        self.info.setText(note)
        self.changed.emit(record.number)

    def _clear_messages(self) -> None:
        self.message.show_message(None)
        self.info.clear()
        for tab in self.edit_tabs():
            tab.clear_errors()

    # -- kept edits ------------------------------------------------------------------------
    def restore_kept_edits(self) -> None:
        if self.record is None:
            return
        kept = self.drafts.load(kept_edits_key(self.record.number))
        if kept is None:
            return
        for tab in self.edit_tabs():
            tab.apply({k: str(v) for k, v in kept.fields.items()})
        self.kept.offer(None)
        self.info.setText(_("Your edits are back on screen; save to keep them."))

    def discard_kept_edits(self) -> None:
        if self.record is not None:
            self.drafts.delete(kept_edits_key(self.record.number))
        self.kept.offer(None)

    # -- workflow --------------------------------------------------------------------------
    def run_action(self, action: Action) -> None:
        if self.record is None:
            return
        if self.pending_changes() and not self.save():
            return  # a step on top of unsaved (or refused) edits would hide them
        step = ask_step_input(self, action,
                              resolution=self.resolution.values().get("resolution", ""),
                              compensation=self.resolution.values().get("compensation", ""))
        if step is None:
            return
        self._clear_messages()
        try:
            record = self.services.complaints.transition(
                self.services.actor, self.record.number, action,
                expected_version=self.record.version, reason=step.reason, details=step.details)
        except ConcurrentEditError as error:
            self._load(error.current)
            self.message.show_message(_("The case changed meanwhile and was reloaded; "
                                        "check it and try again."))
            return
        except (IllegalTransitionError, MissingReasonError, ServiceError) as error:
            self.message.show_message(str(error))
            return
        except FieldError as error:
            self.message.show_message(error.message)
            return
        self._after_change(record, _("Done: {action}.").format(action=_(TRANSITIONS[action].label)))

    # -- personal data -------------------------------------------------------------------------
    def reveal_field(self, name: str) -> bool:
        """Ask why, then show the stored value of a masked field (or copy it unseen); True when done."""
        if self.record is None:
            return False
        label = field_name(name)
        answer = RevealDialog.ask(self, label)
        if answer is None:
            return False
        reason, mode = answer
        privacy, actor, number = self.services.privacy, self.services.actor, self.record.number
        try:
            if mode is RevealMode.COPY:
                value = privacy.use_without_showing(actor, number, name, reason)
            else:
                value = privacy.reveal(actor, number, name, reason)
        except ServiceError as error:
            self.message.show_message(str(error))
            return False
        self.message.show_message(None)
        if mode is RevealMode.COPY:
            clipboard = QGuiApplication.clipboard()
            clipboard.setText(value or "")
            self.info.setText(_("{field} is on the clipboard (not shown); the access is recorded.").format(
                field=label))
            return True
        self.details.masked.show_revealed(name, value or "")
        self._loaded[name] = value or ""
        self.info.setText(_("{field} is shown in full; the access is recorded.").format(field=label))
        return True

    # -- law and letters -------------------------------------------------------------------
    def attach_citation(self, citation: Citation, *, confirmed: bool = False) -> bool:
        """Cite ``citation`` in the open case; True when it is stored (now or before).

        Secondary-grade text is confirmed with the agent first unless ``confirmed`` says the
        caller already asked; declining stores nothing. Problems are shown, never raised.
        """
        if self.record is None:
            self.message.show_message(_("Open a case before citing law."))
            return False
        record = self.record
        if Status(record.status) in READ_ONLY_STATUSES:
            self.message.show_message(_("This case is finished; its citations can no longer change."))
            return False
        if self._already_cited(citation):
            self.info.setText(_("{citation} is already cited in this case.").format(
                citation=citation.format()))
            return True
        if citation.needs_confirmation and not confirmed:
            if not SecondaryCitationConfirmation.ask(self, citation):
                self.info.setText(_("Not cited: {citation} was not confirmed.").format(
                    citation=citation.format()))
                return False
            confirmed = True
        self.message.show_message(None)
        try:
            self.services.citations.add(self.services.actor, record.number, citation,
                                        confirmed=confirmed)
        except ServiceError as error:
            self.message.show_message(str(error))
            return False
        except Exception as error:  # the store may be unreachable: say so, keep the view alive
            log.exception("citing in case %s failed", record.number)
            self.message.show_message(_("Not cited: {error}").format(error=error))
            return False
        self.citations.reload(record)
        self._after_side_record(record.number)
        self.info.setText(_("Cited: {citation}.").format(citation=citation.format()))
        return True

    def show_tab(self, position: int) -> None:
        self.tabs.setCurrentIndex(position)
        page = self.tabs.currentWidget()
        first = next((w for w in page.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                      and w.isVisibleTo(page) and w.isEnabled()), None) if page is not None else None
        (first or self.tabs.tabBar()).setFocus(Qt.FocusReason.ShortcutFocusReason)

    def remove_citation(self, citation_id: int) -> bool:
        """Take a wrong citation off the open case (one service operation, kept in the history)."""
        record = self.record
        if record is None:
            return False
        try:
            removed = self.services.citations.remove(self.services.actor, record.number, citation_id)
        except ServiceError as error:
            self.message.show_message(str(error))
            return False
        self.citations.reload(record)
        self._after_side_record(record.number)
        self.info.setText(_("Removed: {citation}.").format(citation=removed.citation.format()))
        return True

    def attach_confirmed_citation(self, citation: Citation) -> bool:
        """Slot for ``LawPanel.citation_requested``: the panel has asked about secondary text already."""
        return self.attach_citation(citation, confirmed=True)

    def _already_cited(self, citation: Citation) -> bool:
        key = (citation.statute_key, citation.article, citation.paragraph, citation.item)
        model = self.citations.model
        return any((c.statute_key, c.article, c.paragraph, c.item) == key
                   for c in (model.item(row).citation for row in range(model.rowCount())))

    def _after_side_record(self, number: str) -> None:
        """A citation, signature or letter was stored: the history shows it, the queue hears of it."""
        if self.record is not None and self.record.number == number:
            self.timeline.show_events(self.services.complaints.events(number))
        self.changed.emit(number)

    def _stored_for_letter(self) -> ComplaintRecord | None:
        """The case as stored, after saving the edits on screen (the letter is made from the store)."""
        if self.record is None:
            return None
        if self.pending_changes() and not self.save():
            return None
        try:
            return self.services.complaints.get(self.record.number)
        except ServiceError as error:
            self.message.show_message(str(error))
            return None

    def _show_letter_message(self, text: str, is_error: bool) -> None:
        if is_error:
            self.message.show_message(text)
        else:
            self.message.show_message(None)
            self.info.setText(text)
