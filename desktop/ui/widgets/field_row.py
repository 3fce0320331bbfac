"""An input with its problem written right beside it (not in a pop-up the agent must dismiss)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

ERROR_STYLE = "color: #b3261e;"


class ErrorLabel(QLabel):
    """The message slot next to a field; empty and hidden while the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, message: str | None) -> None:
        # “⚠” keeps the state readable without colour (colour-blind agents, greyscale prints).
        if message:
            self.setText("⚠ " + message)
            self.setAccessibleName(message)
            self.show()
        else:
            self.clear()
            self.setAccessibleName("")
            self.hide()

    def message(self) -> str:
        return self.text().removeprefix("⚠ ")


class FieldRow(QWidget):
    """``editor`` followed by its :class:`ErrorLabel`; the error takes the remaining width."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.error = ErrorLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor, 3)
        layout.addWidget(self.error, 2)
        self.setFocusProxy(editor)

    def set_error(self, message: str | None) -> None:
        self.error.show_message(message)
        self.editor.setProperty("invalid", bool(message))
        self.editor.setAccessibleDescription(message or "")
