"""Masked personal fields in the case view, and the dialog that asks why before one is revealed.

Phone, contact phone, ID number, address and the customer's name show masked and read-only.
"显示" beside a field (or Ctrl+Shift+R on it) asks for a reason; the service checks the permission,
records the access and returns the stored value. "复制" hands the value to the clipboard for a
call-back without ever putting it on screen (also recorded).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.masking import PERSONAL_FIELDS, mask_field
from desktop.i18n import _
from desktop.services.privacy import MIN_REASON_LENGTH, REASON_PRESETS
from desktop.ui.intake.fields import IntakeFields
from desktop.ui.widgets.field_row import ErrorLabel

REVEAL_SHORTCUT = "Ctrl+Shift+X"  # Ctrl+Shift+R records the reply


class RevealMode(Enum):
    SHOW = "show"
    COPY = "copy"


class RevealDialog(QDialog):
    """Why is the value needed? A short list to pick from, or any reason typed in."""

    def __init__(self, field_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Show personal data"))
        self.prompt = QLabel(_("Why do you need the full “{field}”? The reason, your name, this PC and the "
                               "time are kept in the access log.").format(field=field_label), self)
        self.prompt.setWordWrap(True)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems([_(preset) for preset in REASON_PRESETS])
        self.reason.setCurrentIndex(-1)
        self.reason.setAccessibleName(_("Reason"))
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText(_("Pick or type a reason"))
        self.problem = ErrorLabel(self)
        self.buttons = QDialogButtonBox(self)
        self.show_button = QPushButton(_("&Show"), self)
        self.copy_button = QPushButton(_("&Copy without showing"), self)
        self.copy_button.setToolTip(_("For a call-back: the value goes to the clipboard and is never shown"))
        self.buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.show_button.clicked.connect(lambda: self._choose(RevealMode.SHOW))
        self.copy_button.clicked.connect(lambda: self._choose(RevealMode.COPY))
        self.mode: RevealMode | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def reason_text(self) -> str:
        return " ".join(self.reason.currentText().split())

    def _choose(self, mode: RevealMode) -> None:
        if len(self.reason_text()) < MIN_REASON_LENGTH:
            self.problem.show_message(_("Give a reason (at least {count} characters); it is kept in the "
                                        "access log.").format(count=MIN_REASON_LENGTH))
            self.reason.setFocus()
            return
        self.mode = mode
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, field_label: str) -> tuple[str, RevealMode] | None:
        dialog = cls(field_label, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.mode is None:
                return None
            return dialog.reason_text(), dialog.mode
        finally:
            dialog.deleteLater()


class MaskedFields(QObject):
    """Keeps the personal fields of the details form masked and read-only until revealed.

    ``reveal_requested(field)`` fires from the "显示" buttons and the shortcut; the case view asks
    the reason, calls the service and hands the value back through :meth:`show_revealed`.
    """

    reveal_requested = Signal(str)

    def __init__(self, fields: IntakeFields, host: QWidget) -> None:
        super().__init__(host)
        self.fields = fields
        self.buttons: dict[str, QToolButton] = {}
        self.revealed: set[str] = set()
        self.editable = True
        for name in PERSONAL_FIELDS:
            button = QToolButton(host)
            button.setObjectName(f"reveal_{name}")
            button.clicked.connect(lambda _checked=False, n=name: self.reveal_requested.emit(n))
            row_layout = fields.rows[name].layout()
            assert isinstance(row_layout, QBoxLayout)
            row_layout.insertWidget(1, button)
            self.buttons[name] = button
        shortcut = QShortcut(QKeySequence(REVEAL_SHORTCUT), host)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._reveal_focused)
        self.retranslate()

    def retranslate(self) -> None:
        for name, button in self.buttons.items():
            button.setText(_("Show"))
            label = self.fields.labels[name].text().rstrip(" *")
            button.setToolTip(_("Show the full value (asks for a reason; recorded) — {shortcut}").format(
                shortcut=REVEAL_SHORTCUT))
            button.setAccessibleName(_("Show the full {field}").format(field=label))

    def mask(self, stored: dict[str, str]) -> dict[str, str]:
        """``stored`` with every personal field masked; called on each load (reveals end there)."""
        self.revealed.clear()
        for name, button in self.buttons.items():
            button.setEnabled(bool(stored.get(name)))
            button.show()
        return {k: (mask_field(k, v) or "" if k in PERSONAL_FIELDS else v) for k, v in stored.items()}

    def is_masked(self, name: str) -> bool:
        return name in PERSONAL_FIELDS and name not in self.revealed

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.fields.set_read_only(not editable)
        for name in PERSONAL_FIELDS:
            if self.is_masked(name):
                self.fields.line_edits[name].setReadOnly(True)

    def show_revealed(self, name: str, value: str) -> None:
        self.revealed.add(name)
        line: QLineEdit = self.fields.line_edits[name]
        line.setText(value)
        line.setReadOnly(not self.editable)
        self.fields.set_error(name, None)
        self.buttons[name].hide()

    def _reveal_focused(self) -> None:
        focused = next((name for name in PERSONAL_FIELDS
                        if self.fields.line_edits[name].hasFocus() or self.buttons[name].hasFocus()), "phone")
        if self.is_masked(focused) and self.buttons[focused].isEnabled():
            self.reveal_requested.emit(focused)
