"""Read-only table models of the breakdowns (category, channel, agent), and their CSV form."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.formatting import fmt_number
from desktop.i18n import N_, _
from desktop.services.stats import Figures

AnyIndex = QModelIndex | QPersistentModelIndex


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class Column:
    title: str  # N_-marked
    value: Callable[[Figures], Any]  # plain value, as written to CSV
    text: Callable[[Any], str] = fmt_number  # as shown
    numeric: bool = True


NAME = Column(N_("Name"), lambda f: f.name or f.key, str, numeric=False)
RECEIVED = Column(N_("Number received"), lambda f: f.received)
OPEN = Column(N_("Open"), lambda f: f.open)
OVERDUE = Column(N_("Overdue"), lambda f: f.overdue_open)
REPLIED = Column(N_("Replied"), lambda f: f.replied)
ON_TIME_RATE = Column(N_("On-time rate (%)"), lambda f: _percent(f.on_time_rate),
                      lambda v: "—" if v is None else fmt_number(v))
SATISFACTION = Column(N_("Satisfaction"), lambda f: _rounded(f.satisfaction_average),
                      lambda v: "—" if v is None else fmt_number(v))

GROUP_COLUMNS = (NAME, RECEIVED, OPEN, REPLIED, ON_TIME_RATE)
AGENT_COLUMNS = (NAME, RECEIVED, OPEN, OVERDUE, REPLIED, ON_TIME_RATE, SATISFACTION)


class BreakdownModel(QAbstractTableModel):
    """Rows of ``Figures``; ``label`` turns a stored code into the name shown (translated at display time)."""

    def __init__(self, columns: Sequence[Column], label: Callable[[Figures], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._label = label
        self._rows: list[Figures] = []

    def set_rows(self, rows: Sequence[Figures]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[Figures]:
        return list(self._rows)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def cell_value(self, row: int, column: int) -> Any:
        figures = self._rows[row]
        if column == 0 and self._label is not None:
            return self._label(figures)
        return self._columns[column].value(figures)

    def cell_text(self, row: int, column: int) -> str:
        return self._columns[column].text(self.cell_value(row, column))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[index.column()].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return _(self._columns[section].title)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return section + 1
        return None

    def header_texts(self) -> list[str]:
        return [_(column.title) for column in self._columns]

    def retranslate(self) -> None:
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))


def write_csv(path: Path, tables: Sequence[tuple[str, BreakdownModel]]) -> None:
    """All breakdown tables in one file, each under its title; utf-8-sig so Excel shows Chinese."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for position, (title, model) in enumerate(tables):
            if position:
                writer.writerow([])
            writer.writerow([title])
            writer.writerow(model.header_texts())
            for row in range(model.rowCount()):
                writer.writerow([_csv(model.cell_value(row, column)) for column in range(model.columnCount())])


def _csv(value: Any) -> Any:
    return "" if value is None else value
