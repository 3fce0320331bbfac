"""When someone else saved the case first: both versions side by side, neither lost."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import fmt_datetime
from desktop.i18n import _
from desktop.services.errors import ConcurrentEditError
from desktop.ui.case.field_names import field_name, value_text

DIFFERENT = QColor("#fff1c2")


class ConflictChoice(StrEnum):
    KEEP_MINE = "keep_mine"  # save again over their version
    TAKE_THEIRS = "take_theirs"  # reload theirs; mine is kept in a draft
    CANCEL = "cancel"  # nothing saved, my edits stay on screen


def their_value(error: ConcurrentEditError, field: str) -> Any:
    return getattr(error.current, field, None)


def comparison_rows(error: ConcurrentEditError) -> list[tuple[str, str, str]]:
    """(field name, theirs, yours) for every field the agent tried to save; their personal data stays masked."""
    return [(field_name(field), value_text(field, their_value(error, field), limit=None),
             value_text(field, mine, limit=None, masked=False)) for field, mine in error.attempted.items()]


def mine_as_text(error: ConcurrentEditError) -> str:
    return "\n\n".join(f"{name}:\n{mine}" for name, _theirs, mine in comparison_rows(error))


class ConflictDialog(QDialog):
    def __init__(self, error: ConcurrentEditError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.choice = ConflictChoice.CANCEL
        self.setWindowTitle(_("Someone else changed this case"))
        intro = QLabel(_("{number} was saved by someone else (version {theirs}; you opened version "
                         "{yours}, last saved {moment}). Nothing of yours was saved yet. "
                         "Compare and choose:").format(
            number=error.current.number, theirs=error.current.version,
            yours=error.expected_version, moment=fmt_datetime(error.current.updated_at)), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("Field"), _("Their version (saved)"),
                                              _("Your version (not saved)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(_("Both versions side by side"))
        for name, theirs, mine in comparison_rows(error):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate((name, theirs, mine)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if theirs != mine and column:
                    item.setBackground(QBrush(DIFFERENT))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.keep_mine = QPushButton(_("&Keep mine (save over theirs)"), self)
        self.take_theirs = QPushButton(_("&Take theirs (mine kept as a draft)"), self)
        self.copy_mine = QPushButton(_("C&opy my version"), self)
        self.cancel = QPushButton(_("Cancel"), self)
        self.keep_mine.clicked.connect(lambda: self._choose(ConflictChoice.KEEP_MINE))
        self.take_theirs.clicked.connect(lambda: self._choose(ConflictChoice.TAKE_THEIRS))
        self.cancel.clicked.connect(lambda: self._choose(ConflictChoice.CANCEL))
        self.copy_mine.clicked.connect(self.copy_to_clipboard)
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.copy_mine):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(820, 420)

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def copy_to_clipboard(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(mine_as_text(self.error))

    def _choose(self, choice: ConflictChoice) -> None:
        self.choice = choice
        if choice == ConflictChoice.CANCEL:
            self.reject()
        else:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, error: ConcurrentEditError) -> ConflictChoice:
        dialog = cls(error, parent)
        dialog.exec()
        return dialog.choice


class KeptEditsBanner(QFrame):
    """Offers back edits kept in a draft (after “take theirs” or a failed save)."""

    restore_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keptEdits")
        self.setStyleSheet("#keptEdits { background: #fff4ce; border: 1px solid #e0c060; }")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore = QPushButton(self)
        self.discard = QPushButton(self)
        self.restore.clicked.connect(self.restore_requested)
        self.discard.clicked.connect(self.discard_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.discard)
        self.hide()

    def offer(self, saved_at_text: str | None) -> None:
        if saved_at_text is None:
            self.hide()
            return
        self.message.setText("⚠ " + _("Your unsaved edits from {moment} are kept in a draft.")
                             .format(moment=saved_at_text))
        self.restore.setText(_("Put my edits back"))
        self.discard.setText(_("Discard my edits"))
        self.show()
