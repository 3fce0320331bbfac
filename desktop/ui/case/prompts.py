"""The questions a workflow step asks before it runs.

Each dialog has a ``classmethod ask(...)`` returning the answer or None/False when cancelled,
so tests can substitute the answer without a modal event loop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import InvalidReason, invalid_reason_label
from desktop.domain.exchange import REPLY_METHOD_LABELS
from desktop.domain.workflow import TRANSITIONS, Action
from desktop.i18n import N_, _


class PromptDialog(QDialog):
    """A titled form with OK/Cancel; OK stays disabled until ``is_complete`` says so."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def add_row(self, label: str, editor: QWidget) -> None:
        editor.setAccessibleName(label.replace("&", ""))
        if self.form.rowCount() == 0:
            editor.setFocus(Qt.FocusReason.OtherFocusReason)  # the cursor starts in the first field, not on OK
        self.form.addRow(label, editor)

    def refresh(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(self.is_complete())

    def is_complete(self) -> bool:
        return True


class ConfirmDialog(PromptDialog):
    @classmethod
    def ask(cls, parent: QWidget | None, action: Action) -> bool:
        label = _(TRANSITIONS[action].label)
        dialog = cls(label, _("“{action}” cannot be undone. Continue?").format(action=label), parent)
        return dialog.exec() == QDialog.DialogCode.Accepted


class ReasonDialog(PromptDialog):
    def __init__(self, action: Action, parent: QWidget | None = None) -> None:
        label = _(TRANSITIONS[action].label)
        super().__init__(label, _("“{action}” needs a reason; it is kept in the case history.")
                         .format(action=label), parent)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.add_row(_("Reason"), self.reason)
        self.reason.textChanged.connect(self.refresh)
        self.refresh()

    def is_complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    @classmethod
    def ask(cls, parent: QWidget | None, action: Action) -> str | None:
        dialog = cls(action, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.toPlainText().strip()


class ReplyDialog(PromptDialog):
    def __init__(self, resolution: str, compensation: str, parent: QWidget | None = None) -> None:
        super().__init__(_(TRANSITIONS[Action.REPLY].label),
                         _("Record how the customer was answered."), parent)
        self.method = QComboBox(self)
        _blank_choice(self.method)
        for code, msgid in REPLY_METHOD_LABELS.items():
            self.method.addItem(_(msgid), code)
        self.resolution = QPlainTextEdit(resolution, self)
        self.resolution.setTabChangesFocus(True)
        self.compensation = QLineEdit(compensation, self)
        self.compensation.setPlaceholderText(_("e.g. 20.00; leave empty for none"))
        self.add_row(_("Reply method"), self.method)
        self.add_row(_("Resolution"), self.resolution)
        self.add_row(_("Compensation (yuan)"), self.compensation)
        self.resolution.textChanged.connect(self.refresh)
        self.method.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def is_complete(self) -> bool:
        return bool(self.resolution.toPlainText().strip()) and self.method.currentData() is not None

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"reply_method": self.method.currentData(),
                                   "resolution": self.resolution.toPlainText().strip()}
        if self.compensation.text().strip():
            details["compensation"] = self.compensation.text().strip()
        return details

    @classmethod
    def ask(cls, parent: QWidget | None, resolution: str = "", compensation: str = ""
            ) -> dict[str, Any] | None:
        dialog = cls(resolution, compensation, parent)
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None


SATISFACTION_LABELS = {
    1: N_("1 – very dissatisfied"), 2: N_("2 – dissatisfied"), 3: N_("3 – neutral"),
    4: N_("4 – satisfied"), 5: N_("5 – very satisfied"),
}


def _blank_choice(combo: QComboBox) -> None:
    """A recorded judgement starts empty: the agent chooses, nothing is filled in for them."""
    combo.addItem(_("— choose —"), None)
    combo.setCurrentIndex(0)


class FollowUpDialog(PromptDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_(TRANSITIONS[Action.FOLLOW_UP].label),
                         _("How satisfied is the customer (1 = not at all, 5 = fully)?"), parent)
        self.satisfaction = QComboBox(self)
        _blank_choice(self.satisfaction)
        for score, label in SATISFACTION_LABELS.items():
            self.satisfaction.addItem(_(label), score)
        self.comment = QPlainTextEdit(self)
        self.comment.setTabChangesFocus(True)
        self.add_row(_("Satisfaction"), self.satisfaction)
        self.add_row(_("Follow-up comment"), self.comment)
        self.satisfaction.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def is_complete(self) -> bool:
        return self.satisfaction.currentData() is not None

    def details(self) -> dict[str, Any]:
        return {"satisfaction": self.satisfaction.currentData(),
                "comment": self.comment.toPlainText().strip()}

    @classmethod
    def ask(cls, parent: QWidget | None) -> dict[str, Any] | None:
        dialog = cls(parent)
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None


class InvalidReasonDialog(PromptDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_(TRANSITIONS[Action.MARK_INVALID].label),
                         _("Why is this complaint invalid?"), parent)
        self.reason = QComboBox(self)
        _blank_choice(self.reason)
        for code in InvalidReason:
            self.reason.addItem(invalid_reason_label(code.value), code.value)
        self.add_row(_("Reason for invalidity"), self.reason)
        self.reason.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def is_complete(self) -> bool:
        return self.reason.currentData() is not None

    @classmethod
    def ask(cls, parent: QWidget | None) -> dict[str, Any] | None:
        dialog = cls(parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return {"invalid_reason": dialog.reason.currentData()}


class AppealDialog(PromptDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_(TRANSITIONS[Action.RECORD_APPEAL].label),
                         _("The regulator's clock starts on the appeal date."), parent)
        self.appeal_date = QDateEdit(QDate.currentDate(), self)
        self.appeal_date.setCalendarPopup(True)
        self.appeal_date.setDisplayFormat("yyyy-MM-dd")
        self.appeal_date.setMaximumDate(QDate.currentDate())
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(_("The regulator's case reference, if known"))
        self.add_row(_("Appeal date"), self.appeal_date)
        self.add_row(_("Appeal reference"), self.reference)

    def details(self) -> dict[str, Any]:
        chosen = self.appeal_date.date()
        return {"appeal_date": date(chosen.year(), chosen.month(), chosen.day()),
                "appeal_reference": self.reference.text().strip()}

    @classmethod
    def ask(cls, parent: QWidget | None) -> dict[str, Any] | None:
        dialog = cls(parent)
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None
