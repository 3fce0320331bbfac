"""Dialog in which the customer signs at the counter: clear, undo and redo before accepting."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.letters.content import SignatureStrokes
from desktop.ui.letters.signature_pad import SignaturePad


class SignatureDialog(QDialog):
    def __init__(
        self, parent: QWidget | None = None, strokes: SignatureStrokes | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Customer signature"))
        self.pad = SignaturePad(self)
        self.pad.set_strokes(strokes)
        hint = QLabel(_("Please ask the customer to sign inside the box."), self)
        self.clear_button = QPushButton(_("Clear"), self)
        self.undo_button = QPushButton(_("Undo stroke"), self)
        self.redo_button = QPushButton(_("Redo stroke"), self)
        self.clear_button.clicked.connect(self.pad.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.redo_button.clicked.connect(self.pad.redo)
        tools = QHBoxLayout()
        for button in (self.clear_button, self.undo_button, self.redo_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        accept = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        accept.setText(_("Accept signature"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.pad, 1)
        layout.addLayout(tools)
        layout.addWidget(self.buttons)
        self.pad.changed.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.pad.is_empty())
        self.clear_button.setEnabled(not self.pad.is_empty() or self.pad.can_redo())
        self.undo_button.setEnabled(self.pad.can_undo())
        self.redo_button.setEnabled(self.pad.can_redo())

    def strokes(self) -> SignatureStrokes:
        return self.pad.strokes()

    @classmethod
    def ask(
        cls, parent: QWidget | None = None, strokes: SignatureStrokes | None = None
    ) -> SignatureStrokes | None:
        """Show the dialog; the accepted strokes, or None when cancelled."""
        dialog = cls(parent, strokes)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.strokes()
        return None
