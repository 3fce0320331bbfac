"""The editable tabs of a case: intake details, investigation notes, resolution, follow-up.

Every tab speaks in on-screen text keyed by the service's field names, so the view can diff
what changed, keep it in a draft, and put it back after a conflict.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import fmt_datetime, fmt_money
from desktop.i18n import _
from desktop.services.records import ComplaintRecord
from desktop.ui.case.field_names import EMPTY, field_name, reply_method_label
from desktop.ui.case.personal import MaskedFields
from desktop.ui.intake.fields import IntakeFields
from desktop.ui.widgets.field_row import FieldRow


def _plain_editor(parent: QWidget) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setTabChangesFocus(True)
    return editor


class CaseTab(QWidget):
    """Base: ``editors`` maps field → plain-text editor; subclasses add extras."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_editors: dict[str, QPlainTextEdit | QLineEdit] = {}
        self.rows: dict[str, FieldRow] = {}

    def values(self) -> dict[str, str]:
        return {name: (e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text())
                for name, e in self.text_editors.items()}

    def apply(self, values: dict[str, str]) -> None:
        for name, editor in self.text_editors.items():
            if name in values:
                if isinstance(editor, QPlainTextEdit):
                    editor.setPlainText(values[name])
                else:
                    editor.setText(values[name])

    def load(self, record: ComplaintRecord) -> None:
        self.apply({name: _record_text(record, name) for name in self.text_editors})

    def set_error(self, name: str, message: str | None) -> bool:
        if name not in self.rows:
            return False
        self.rows[name].set_error(message)
        return True

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.set_error(None)

    def set_editable(self, editable: bool) -> None:
        for editor in self.text_editors.values():
            editor.setReadOnly(not editable)

    def retranslate(self) -> None:
        for name, editor in self.text_editors.items():
            editor.setAccessibleName(field_name(name))
            label = self.findChild(QLabel, f"label_{name}")
            if label is not None:
                label.setText(field_name(name))

    def _add(self, layout: QFormLayout, name: str, editor: QPlainTextEdit | QLineEdit) -> None:
        self.text_editors[name] = editor
        self.rows[name] = FieldRow(editor, self)
        label = QLabel(self)
        label.setBuddy(editor)
        label.setObjectName(f"label_{name}")
        layout.addRow(label, self.rows[name])


def _record_text(record: ComplaintRecord, name: str) -> str:
    value = getattr(record, name)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


class DetailsTab(CaseTab):
    """The intake fields, editable with the same checks as at intake; personal ones masked until revealed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        host = QWidget(self)
        form = QFormLayout(host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields = IntakeFields(host)
        self.fields.add_to(form)
        self.masked = MaskedFields(self.fields, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.rows = self.fields.rows

    def values(self) -> dict[str, str]:
        return self.fields.text_values()

    def apply(self, values: dict[str, str]) -> None:
        self.fields.set_values(values)

    def load(self, record: ComplaintRecord) -> None:
        self.fields.set_values(self.masked.mask({name: getattr(record, name) or "" for name in self.fields.rows}))
        self.fields.clear_errors()

    def set_editable(self, editable: bool) -> None:
        self.masked.set_editable(editable)

    def retranslate(self) -> None:
        self.fields.retranslate()
        self.masked.retranslate()


class NotesTab(CaseTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self._add(form, "investigation_notes", _plain_editor(self))
        self.retranslate()


class ResolutionTab(CaseTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.reply_info = QLabel(self)
        form.addRow(self.reply_info)
        self._add(form, "resolution", _plain_editor(self))
        compensation = QLineEdit(self)
        self._add(form, "compensation", compensation)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        editor = self.text_editors["compensation"]
        if isinstance(editor, QLineEdit):
            editor.setPlaceholderText(_("Amount in yuan, e.g. 20.00; empty for none"))

    def load(self, record: ComplaintRecord) -> None:
        super().load(record)
        if record.reply_at is None:
            self.reply_info.setText(_("Not replied yet."))
        else:
            self.reply_info.setText(_("Replied {moment} by {method}.").format(
                moment=fmt_datetime(record.reply_at),
                method=reply_method_label(record.reply_method or "")))
        if record.compensation is not None:
            self.reply_info.setText(self.reply_info.text() + " " + _("Compensation: {amount}.")
                                    .format(amount=fmt_money(record.compensation)))


class FollowUpTab(CaseTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.info = QLabel(self)
        form.addRow(self.info)
        self._add(form, "followup_comment", _plain_editor(self))
        self.retranslate()

    def load(self, record: ComplaintRecord) -> None:
        super().load(record)
        if record.followup_at is None:
            self.info.setText(_("No follow-up recorded yet."))
        else:
            self.info.setText(_("Followed up {moment}; satisfaction {score} of 5.").format(
                moment=fmt_datetime(record.followup_at),
                score=record.satisfaction if record.satisfaction is not None else EMPTY))
