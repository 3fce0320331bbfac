"""A list of cases, each row carrying its complaint number (the approval queue, the QA sample)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


class NumberedList(QListWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)

    def fill(self, rows: Sequence[tuple[str, str]], select: str | None = None) -> str | None:
        """Show (number, text) rows without signalling; select ``select`` (or the first) and return it."""
        self.blockSignals(True)
        self.clear()
        for number, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.addItem(item)
        numbers = self.numbers()
        if numbers:
            self.setCurrentRow(numbers.index(select) if select in numbers else 0)
        self.blockSignals(False)
        return self.current_number()

    def numbers(self) -> list[str]:
        return [str(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]

    def current_number(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def on_current(self, show: Callable[[str], None]) -> None:
        """Call ``show(number)`` whenever the user moves to another row."""
        self.currentItemChanged.connect(
            lambda current, _previous: show(str(current.data(Qt.ItemDataRole.UserRole))) if current else None)
