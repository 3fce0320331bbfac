"""The complaint's intake fields as widgets, shared by the intake form and the case details tab.

Values go to and from plain dicts of text so the same code fills a form from a draft, from a
stored record, and hands raw input to ``desktop.domain.intake.parse_input`` via the services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QObject, QTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.domain.deadlines import BEIJING
from desktop.domain.intake import INPUT_FIELDS, REQUIRED_FIELDS
from desktop.domain.pick_match import PICKER_CHOICES, synonyms
from desktop.domain.validation import FieldError, normalize_phone, validate_id_number
from desktop.i18n import N_, _
from desktop.ui.widgets.code_picker import CodePicker
from desktop.ui.widgets.field_row import FieldRow

DATETIME_FORMAT = "yyyy-MM-dd HH:mm"
TEXT_FIELDS = ("customer_name", "phone", "contact_phone", "id_number", "address")
MULTILINE_FIELDS = ("description", "demand")
PICKERS = ("channel", "category")

FIELD_LABELS = {
    "received_at": N_("Received at (Beijing time)"),
    "channel": N_("Channel"),
    "category": N_("Category"),
    "customer_name": N_("Customer name"),
    "phone": N_("Number under complaint"),
    "contact_phone": N_("Contact phone"),
    "id_number": N_("ID card number"),
    "address": N_("Address"),
    "description": N_("Complaint details"),
    "demand": N_("Customer's request"),
}
PLACEHOLDERS = {
    "phone": N_("Mobile (11 digits) or landline with area code"),
    "contact_phone": N_("Only if different from the number under complaint"),
    "id_number": N_("18 characters; optional"),
    "channel": N_("Type to filter, e.g. hotline"),
    "category": N_("Type to filter, e.g. broadband"),
}
# Checks run while typing; others wait for saving, where the service checks everything at once.
LIVE_CHECKS: dict[str, Callable[[str, str], str]] = {
    "phone": normalize_phone,
    "contact_phone": normalize_phone,
    "id_number": validate_id_number,
}


def now_beijing() -> datetime:
    return datetime.now(BEIJING).replace(second=0, microsecond=0)


def to_qdatetime(moment: datetime) -> QDateTime:
    local = moment.astimezone(BEIJING) if moment.tzinfo else moment
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute, local.second))


def from_qdatetime(value: QDateTime) -> datetime:
    day, time = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(), time.second(),
                    tzinfo=BEIJING)


class ReceivedAtEdit(QDateTimeEdit):
    """Date-time field where Tab leaves the field (arrows still move between its parts)."""

    def focusNextPrevChild(self, next_child: bool) -> bool:  # noqa: N802 - Qt override
        # QDateTimeEdit uses Tab to step through year/month/day/...; in a long form that turns
        # one field into five tab stops, so keyboard users get the ordinary behaviour back.
        return QWidget.focusNextPrevChild(self, next_child)


class IntakeFields(QObject):
    """Builds the editors; ``edited`` fires on any change, ``phone_checked`` with a valid number."""

    edited = Signal()
    clock_inputs_changed = Signal()
    phone_checked = Signal(object)  # normalised number, or None while not valid

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.labels: dict[str, QLabel] = {}
        self.rows: dict[str, FieldRow] = {}
        self.received_at = ReceivedAtEdit(parent)
        self.received_at.setDisplayFormat(DATETIME_FORMAT)
        self.received_at.setCalendarPopup(True)
        self.received_at.setDateTime(to_qdatetime(now_beijing()))
        self.pickers = {
            kind: CodePicker(codes, label_for, parent, words=synonyms(kind))
            for kind, (codes, label_for) in PICKER_CHOICES.items()
        }
        self.line_edits = {name: QLineEdit(parent) for name in TEXT_FIELDS}
        self.text_edits = {name: QPlainTextEdit(parent) for name in MULTILINE_FIELDS}
        for edit in self.text_edits.values():
            edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
            edit.setMinimumHeight(70)
        self.editors: dict[str, QWidget] = {
            "received_at": self.received_at, **self.pickers, **self.line_edits, **self.text_edits,
        }
        for name in INPUT_FIELDS:
            self.rows[name] = FieldRow(self.editors[name], parent)
            self.labels[name] = QLabel(parent)
            self.labels[name].setBuddy(self.editors[name])
        self._connect()
        self.retranslate()

    def _connect(self) -> None:
        self.received_at.dateTimeChanged.connect(self._on_received_changed)
        for name, picker in self.pickers.items():
            picker.code_changed.connect(self._on_picker_changed)
            picker.left.connect(lambda n=name: self.check_picker(n))
        for name, line in self.line_edits.items():
            line.textChanged.connect(lambda _text, n=name: self._on_text_changed(n))
            line.editingFinished.connect(lambda n=name: self.check_field(n))
        for edit in self.text_edits.values():
            edit.textChanged.connect(self.edited)

    def retranslate(self) -> None:
        for name in INPUT_FIELDS:
            text = _(FIELD_LABELS[name])
            if name in REQUIRED_FIELDS:
                text += " *"
            self.labels[name].setText(text)
            self.editors[name].setAccessibleName(_(FIELD_LABELS[name]))
        for name, msgid in PLACEHOLDERS.items():
            editor = self.editors[name]
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(_(msgid))
            elif isinstance(editor, CodePicker):
                editor.typed_line().setPlaceholderText(_(msgid))
        for picker in self.pickers.values():
            picker.retranslate()

    def add_to(self, layout: QFormLayout) -> None:
        for name in INPUT_FIELDS:
            layout.addRow(self.labels[name], self.rows[name])

    def tab_chain(self) -> list[QWidget]:
        return [self.editors[name] for name in INPUT_FIELDS]

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Raw input for the service: what the agent typed, pickers as codes."""
        received = from_qdatetime(self.received_at.dateTime())
        raw: dict[str, Any] = {"received_at": received.isoformat()}
        for name, picker in self.pickers.items():
            raw[name] = picker.code() or ""
        for name, line in self.line_edits.items():
            raw[name] = line.text()
        for name, edit in self.text_edits.items():
            raw[name] = edit.toPlainText()
        return raw

    def text_values(self) -> dict[str, str]:
        """Everything exactly as on screen (also unmatched picker text), for drafts."""
        raw = self.values()
        for name, picker in self.pickers.items():
            raw[name] = picker.code() or picker.currentText()
        return {key: str(value) for key, value in raw.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        if values.get("received_at"):
            moment = values["received_at"]
            if isinstance(moment, str):
                moment = datetime.fromisoformat(moment)
            self.received_at.setDateTime(to_qdatetime(moment))
        for name, picker in self.pickers.items():
            if name in values:
                value = str(values[name] or "")
                if value in picker.codes() or not value:
                    picker.set_code(value or None)
                else:
                    picker.setEditText(value)
        for name, line in self.line_edits.items():
            if name in values:
                line.setText(str(values[name] or ""))
        for name, edit in self.text_edits.items():
            if name in values:
                edit.setPlainText(str(values[name] or ""))
        for name in LIVE_CHECKS:
            self.check_field(name)

    def has_typed_text(self) -> bool:
        return any(line.text().strip() for line in self.line_edits.values()) or any(
            edit.toPlainText().strip() for edit in self.text_edits.values())

    def clear(self) -> None:
        self.received_at.setDateTime(to_qdatetime(now_beijing()))
        for picker in self.pickers.values():
            picker.set_code(None)
        for line in self.line_edits.values():
            line.clear()
        for edit in self.text_edits.values():
            edit.clear()
        self.clear_errors()

    def set_read_only(self, read_only: bool) -> None:
        self.received_at.setReadOnly(read_only)
        for picker in self.pickers.values():
            picker.setEnabled(not read_only)
        for line in self.line_edits.values():
            line.setReadOnly(read_only)
        for edit in self.text_edits.values():
            edit.setReadOnly(read_only)

    # -- errors ----------------------------------------------------------------------------
    def set_error(self, name: str, message: str | None) -> None:
        self.rows[name].set_error(message)

    def error(self, name: str) -> str:
        return self.rows[name].error.message()

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error(None)

    def picker_errors(self) -> list[FieldError]:
        """Typed text that matches no single choice: say so in the picker's own words."""
        errors = []
        for name in PICKERS:
            problem = self._picker_problem(name)
            if problem:
                errors.append(FieldError(name, problem))
        return errors

    def _picker_problem(self, name: str) -> str | None:
        picker = self.pickers[name]
        text = picker.currentText().strip()
        if not text or picker.code() is not None:
            return None
        count = len(picker.matching_codes(text))
        problem = (_("“{text}” matches no choice; pick one from the list.") if count == 0
                   else _("“{text}” matches {count} choices; pick one from the list."))
        return problem.format(text=text, count=count)

    def check_picker(self, name: str) -> None:
        self.set_error(name, self._picker_problem(name))

    def check_field(self, name: str) -> bool:
        """Run the live check of ``name``; shows or clears its message; True when fine."""
        if name not in LIVE_CHECKS:
            return True
        text = self.line_edits[name].text().strip()
        valid: str | None = None
        if not text:
            self.set_error(name, None)
        else:
            try:
                valid = LIVE_CHECKS[name](text, name)
                self.set_error(name, None)
            except FieldError as error:
                self.set_error(name, error.problem)
        if name == "phone":
            self.phone_checked.emit(valid)
        return valid is not None or not text

    def _on_text_changed(self, name: str) -> None:
        self.edited.emit()
        if name not in LIVE_CHECKS:
            return
        # While typing, only clear a shown message or accept a now-valid number; complaining
        # about “3 of 11 digits” mid-typing would be noise, so new errors wait for leaving.
        text = self.line_edits[name].text().strip()
        try:
            valid = LIVE_CHECKS[name](text, name) if text else None
        except FieldError:
            valid = None
        if valid is not None or not text:
            self.set_error(name, None)
        if name == "phone":
            self.phone_checked.emit(valid)

    def _on_received_changed(self) -> None:
        moment = from_qdatetime(self.received_at.dateTime())
        future = moment > datetime.now(BEIJING)
        self.set_error("received_at", _("The receipt time lies in the future.") if future else None)
        self.edited.emit()
        self.clock_inputs_changed.emit()

    def _on_picker_changed(self) -> None:
        for name in PICKERS:
            if self.pickers[name].code() is not None:
                self.set_error(name, None)
        self.edited.emit()
        self.clock_inputs_changed.emit()
