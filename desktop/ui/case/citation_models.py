"""Table models of the Citations tab: what the case cites, and what the law pack suggests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.formatting import fmt_datetime
from desktop.i18n import N_, _
from desktop.law import Citation, Grade, Suggestion, grade_label
from desktop.services.case_reads import StoredCitation
from desktop.ui.widgets.list_table import AnyIndex, ListTableModel

# Amber like the "due soon" look: secondary text is usable, but only with care.
SECONDARY_BRUSH = QBrush(QColor("#9a5b00"))
SECONDARY_MARK = "⚠ "
CITATION_COLUMNS = (N_("Article"), N_("Text of"), N_("Source"), N_("Agent confirmed"), N_("Cited at"))
SUGGESTION_COLUMNS = (N_("Suggested article"), N_("Why"))


def grade_short_label(grade: Grade) -> str:
    """A column-sized grade; the tooltip carries the full wording of the law pack."""
    return _("Verified") if grade is Grade.VERIFIED else _("Secondary sources only")


class CitationsModel(ListTableModel[StoredCitation]):
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


class SuggestionsModel(ListTableModel[Suggestion]):
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
