"""List model of search hits or suggestions shown in the law panel."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.i18n import _
from desktop.law import Grade, SearchHit, Suggestion

ResultRole = Qt.ItemDataRole.UserRole + 1
_SECONDARY_COLOUR = QColor("#9a5b00")


class LawResultsModel(QAbstractListModel):
    """Rows are :class:`SearchHit` or :class:`Suggestion` objects, best first."""

    def __init__(self) -> None:
        super().__init__()
        self._results: list[SearchHit | Suggestion] = []

    def set_results(self, results: list[SearchHit] | list[Suggestion]) -> None:
        self.beginResetModel()
        self._results = list(results)
        self.endResetModel()

    def result(self, row: int) -> SearchHit | Suggestion:
        return self._results[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Override QAbstractListModel::rowCount."""
        return 0 if parent.isValid() else len(self._results)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Override QAbstractListModel::data."""
        if not index.isValid() or not 0 <= index.row() < len(self._results):
            return None
        result = self._results[index.row()]
        secondary = result.statute.grade is Grade.SECONDARY
        if role == Qt.ItemDataRole.DisplayRole:
            first_line = result.article.text.split("\n", 1)[0]
            marker = " ⚠" if secondary else ""
            return (
                f"{result.statute.display_name} {result.article.label}{marker}\n{first_line[:60]}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [result.statute.title, *result.reasons]
            if secondary:
                lines.append(_("Secondary sources only, not checked against the official text"))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and secondary:
            return QBrush(_SECONDARY_COLOUR)
        if role == ResultRole:
            return result
        return None
