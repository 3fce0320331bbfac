"""The intake form: every field of a complaint, checked as typed, kept in drafts, saved once.

Nothing the agent typed is lost: a refused save keeps every field and marks each problem beside
its field; a draft is written every few seconds and on close, and offered back after a crash.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.intake import IntakeError
from desktop.domain.validation import FieldError
from desktop.i18n import _, ngettext
from desktop.services.app import AppServices
from desktop.services.drafts import INTAKE, Draft, DraftStore, new_draft_key
from desktop.services.errors import ServiceError
from desktop.settings import Settings
from desktop.ui.intake.deadline_preview import DeadlinePreview
from desktop.ui.intake.draft_banner import DraftBanner
from desktop.ui.intake.fields import IntakeFields, from_qdatetime
from desktop.ui.intake.repeat_panel import RepeatPanel
from desktop.ui.widgets.field_row import ErrorLabel

log = logging.getLogger(__name__)

# Drafts of forms open in this process are not “left over from a crash” (other running desks
# hold a lock on theirs: DraftStore.claim).
_OPEN_DRAFT_KEYS: set[str] = set()
DRAFT_DEBOUNCE_MS = 500


def _release_key(drafts: DraftStore, key: str) -> None:
    _OPEN_DRAFT_KEYS.discard(key)
    drafts.release(key)


class IntakeForm(QWidget):
    saved = Signal(str)  # the new complaint's number

    def __init__(self, services: AppServices, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.drafts = DraftStore(owner=services.actor.login)
        self.drafts.cleanup_temporaries()
        self._draft_key = ""
        self._adopt_key(new_draft_key())
        self._dirty = False
        self._looked_up_phone: str | None = None
        self.fields = IntakeFields(self)
        self.banner = DraftBanner(self)
        self.general_error = ErrorLabel(self)
        self.preview = DeadlinePreview(self)
        self.repeats = RepeatPanel(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.status = QLabel(self)
        self._build_layout()
        self._connect()
        # Every change is on disk within a second: saved DRAFT_DEBOUNCE_MS after typing pauses,
        # and while typing goes on, no later than DRAFT_DEBOUNCE_MS after the first unsaved change.
        self._pending_since: float | None = None
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DEBOUNCE_MS)
        self.draft_timer.timeout.connect(self._autosave)
        self.autosave_timer = QTimer(self)  # safety net, e.g. for changes made without a signal
        self.autosave_timer.setInterval(max(1, int(settings.get("autosave_seconds"))) * 1000)
        self.autosave_timer.timeout.connect(self._autosave)
        self.autosave_timer.start()
        self.retranslate()
        self.update_preview()
        self.offer_recovery()

    # -- construction ----------------------------------------------------------------------
    def _build_layout(self) -> None:
        form_host = QWidget(self)
        form_layout = QFormLayout(form_host)
        form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow work area (1280 px with the law panel open) labels move above their fields
        # instead of pushing the fields out of sight.
        form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields.add_to(form_layout)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(form_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side = QVBoxLayout()
        side.addWidget(self.preview)
        side.addWidget(self.repeats, 1)
        middle = QHBoxLayout()
        middle.addWidget(scroll, 2)
        middle.addLayout(side, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.general_error)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)
        chain: list[QWidget] = [self.banner.restore, self.banner.discard, *self.fields.tab_chain(),
                                self.repeats.list, self.repeats.link_all, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.fields.edited.connect(self._mark_dirty)
        self.fields.clock_inputs_changed.connect(self.update_preview)
        self.fields.phone_checked.connect(self._on_phone_checked)
        self.repeats.selection_changed.connect(self._mark_dirty)
        self.save_button.clicked.connect(self.save)
        self.banner.restore_requested.connect(self.restore_draft)
        self.banner.discard_requested.connect(self.discard_draft)

    def retranslate(self) -> None:
        self.save_button.setText(_("&Save complaint"))
        self.save_button.setToolTip(_("Save the complaint (Ctrl+S)"))
        self.fields.retranslate()
        self.preview.retranslate()
        self.repeats.retranslate()
        self.banner.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- public API ------------------------------------------------------------------------
    def focus_first_field(self) -> None:
        self.fields.received_at.setFocus(Qt.FocusReason.OtherFocusReason)

    def has_unsaved_input(self) -> bool:
        return self.fields.has_typed_text() or any(
            picker.currentText().strip() for picker in self.fields.pickers.values())

    @property
    def draft_key(self) -> str:
        return self._draft_key

    def save_draft_now(self) -> None:
        """Write the draft now (or remove it once the form is empty)."""
        if not self.has_unsaved_input():
            self.drafts.delete(self._draft_key)
            self._dirty = False
            self._pending_since = None
            return
        try:
            self.drafts.save(self._draft_key, INTAKE, self.fields.text_values(),
                             extra={"link": self.repeats.chosen_numbers()})
        except OSError as error:
            self.status.setText(_("Could not save the draft: {error}").format(error=error))
            return
        self._dirty = False
        self._pending_since = None
        self.status.setText(_("Draft kept."))

    def save(self) -> str | None:
        """Store the complaint; returns its number, or None when something must be fixed first."""
        self.fields.clear_errors()
        self.general_error.show_message(None)
        picker_errors = self.fields.picker_errors()
        try:
            record = self.services.complaints.create(self.services.actor, self.fields.values())
        except IntakeError as error:
            self.show_errors([*picker_errors, *error.errors])
            self.save_draft_now()
            return None
        except Exception as error:  # the store may be unreachable: keep every field, say why
            log.exception("saving a complaint failed")
            self.general_error.show_message(
                _("The complaint was not saved: {error}. Your input is kept.").format(error=error))
            self.save_draft_now()
            return None
        failed = self._link_chosen(record.number)
        self.drafts.delete(self._draft_key)
        self._start_new()
        message = _("Saved as {number}.").format(number=record.number)
        if failed:
            message += " " + _("Could not link: {problems}").format(problems="; ".join(failed))
        self.status.setText(message)
        self.saved.emit(record.number)
        return record.number

    def show_errors(self, errors: list[FieldError]) -> None:
        shown: set[str] = set()
        general = []
        for error in errors:
            if error.field in shown:
                continue  # the picker's own message beats the generic “required”
            if error.field in self.fields.rows:
                self.fields.set_error(error.field, error.problem)
                shown.add(error.field)
            else:
                general.append(error.message)
        count = len(errors)
        summary = ngettext("{count} problem to fix before saving.",
                           "{count} problems to fix before saving.", count).format(count=count)
        self.general_error.show_message(" ".join([summary, *general]))
        first = next((name for name in self.fields.rows if name in shown), None)
        if first is not None:
            self.fields.editors[first].setFocus(Qt.FocusReason.OtherFocusReason)

    # -- drafts ----------------------------------------------------------------------------
    def pending_drafts(self) -> list[Draft]:
        return self.drafts.list(INTAKE, exclude=frozenset(_OPEN_DRAFT_KEYS), leftovers_only=True)

    def offer_recovery(self) -> None:
        pending = self.pending_drafts()
        self.banner.offer(pending[0] if pending else None, max(0, len(pending) - 1))

    def restore_draft(self, draft: Draft | None) -> None:
        if draft is None:
            return
        if not self.has_unsaved_input():
            self.drafts.delete(self._draft_key)
        self._adopt_key(draft.key)
        self.fields.set_values(draft.fields)
        links = draft.extra.get("link") or []
        self.repeats.set_chosen([str(n) for n in links])
        self._dirty = False
        self.status.setText(_("Draft restored."))
        self.offer_recovery()

    def discard_draft(self, draft: Draft | None) -> None:
        if draft is not None:
            self.drafts.delete(draft.key)
        self.offer_recovery()

    def _adopt_key(self, key: str) -> None:
        if self._draft_key:
            _OPEN_DRAFT_KEYS.discard(self._draft_key)
            self.drafts.release(self._draft_key)
        self._draft_key = key
        _OPEN_DRAFT_KEYS.add(key)
        self.drafts.claim(key)
        # Released when the widget goes, even if it was never closed properly.
        self.destroyed.connect(functools.partial(_release_key, self.drafts, key))

    def _mark_dirty(self) -> None:
        self._dirty = True
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        if now - self._pending_since < DRAFT_DEBOUNCE_MS / 1000 or not self.draft_timer.isActive():
            self.draft_timer.start()  # restart while the first unsaved change is recent

    def _autosave(self) -> None:
        if self._dirty:
            self.save_draft_now()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.save_draft_now()
        self.autosave_timer.stop()
        super().closeEvent(event)

    def _start_new(self) -> None:
        self._adopt_key(new_draft_key())
        self.fields.clear()
        self.repeats.show_earlier(None, [])
        self._looked_up_phone = None
        self._dirty = False
        self.update_preview()

    # -- live panels -----------------------------------------------------------------------
    def update_preview(self) -> None:
        channel = self.fields.pickers["channel"].code()
        category = self.fields.pickers["category"].code()
        if channel is None or category is None:
            self.preview.show_deadline(None)
            return
        received = from_qdatetime(self.fields.received_at.dateTime())
        try:
            deadline = self.services.complaints.preview_deadline(received, channel, category)
        except (ServiceError, ValueError) as error:
            self.preview.show_deadline(None, str(error))
            return
        self.preview.show_deadline(deadline)

    def _on_phone_checked(self, phone: str | None) -> None:
        if phone == self._looked_up_phone:
            return
        self._looked_up_phone = phone
        earlier = self.services.complaints.earlier_from_number(phone) if phone else []
        self.repeats.show_earlier(phone, earlier)

    def _link_chosen(self, number: str) -> list[str]:
        failed = []
        for earlier in self.repeats.chosen_numbers():
            try:
                self.services.complaints.link(self.services.actor, number, earlier)
            except (FieldError, ServiceError) as error:
                failed.append(str(error))
        return failed
