"""Table models of the Citations tab: what the case cites, and what the law pack suggests."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.formatting import fmt_datetime
from desktop.i18n import N_, _
from desktop.law import Citation, Grade, Suggestion, grade_label
from desktop.services.citations import StoredCitation

AnyIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
# Amber like the "due soon" look: secondary text is usable, but only with care.
SECONDARY_BRUSH = QBrush(QColor("#9a5b00"))
SECONDARY_MARK = "⚠ "
CITATION_COLUMNS = (N_("Article"), N_("Text of"), N_("Source"), N_("Agent confirmed"), N_("Cited at"))
SUGGESTION_COLUMNS = (N_("Suggested article"), N_("Why"))


def grade_short_label(grade: Grade) -> str:
    """A column-sized grade; the tooltip carries the full wording of the law pack."""
    return _("Verified") if grade is Grade.VERIFIED else _("Secondary sources only")


class TableModel(QAbstractTableModel, Generic[T]):
    """A small read-only table over a list of values (the case's lists are never long)."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []

    def set_items(self, items: list[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T:
        return self._items[row]

    def row_count(self) -> int:
        return len(self._items)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return _(self.columns[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < self.row_count():
            return str(section + 1)
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self.row_count():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.row_count() - 1, len(self.columns) - 1))

    def _valid(self, index: AnyIndex) -> bool:
        return index.isValid() and 0 <= index.row() < self.row_count() \
            and 0 <= index.column() < len(self.columns)


class CitationsModel(TableModel[StoredCitation]):
    """The case's stored citations; a secondary one is marked in words and colour."""

    columns = CITATION_COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        item = self._items[index.row()]
        citation, column = item.citation, index.column()
        secondary = citation.grade is Grade.SECONDARY
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return citation.text
            if column == 2:
                return grade_label(citation.grade)
            if column == 1:
                return _("Pack version {version}").format(version=item.pack_version)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and secondary and column in (2, 3):
            return SECONDARY_BRUSH
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None

    @staticmethod
    def _display(item: StoredCitation, column: int) -> str:
        citation = item.citation
        if column == 0:
            return citation.format()
        if column == 1:
            return citation.version_date
        if column == 2:
            mark = SECONDARY_MARK if citation.grade is Grade.SECONDARY else ""
            return mark + grade_short_label(citation.grade)
        if column == 3:
            if citation.grade is Grade.VERIFIED:
                return "—"  # nothing to confirm
            return _("Yes") if item.confirmed_by_agent else _("No")
        return fmt_datetime(item.created_at)


class SuggestionsModel(TableModel[Suggestion]):
    """The best articles for the open case, each with the reasons the index gave."""

    columns = SUGGESTION_COLUMNS

    def citation(self, row: int) -> Citation:
        item = self._items[row]
        return Citation.of(item.statute, item.article)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        item = self._items[index.row()]
        secondary = item.statute.grade is Grade.SECONDARY
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                text = Citation.of(item.statute, item.article).format()
                return text + (" " + SECONDARY_MARK + _("Secondary sources only") if secondary else "")
            return " · ".join(item.reasons) if item.reasons else "—"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.article.text
        if role == Qt.ItemDataRole.ForegroundRole and secondary and index.column() == 0:
            return SECONDARY_BRUSH
        return None
