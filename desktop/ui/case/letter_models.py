"""The archived letter revisions of a case, as a table model."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.formatting import fmt_datetime
from desktop.i18n import N_, _
from desktop.services.letters import LetterRecord
from desktop.ui.widgets.list_table import AnyIndex, ListTableModel

REVISION_COLUMNS = (N_("Revision"), N_("Signed by"), N_("Archived at"), N_("SHA-256"))
SHORT_DIGEST = 12


class LetterRevisionsModel(ListTableModel[LetterRecord]):
    columns = REVISION_COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        item, column = self._items[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(item.revision)
            if column == 1:
                return item.signer if item.signed and item.signer else _("Not signed")
            if column == 2:
                return fmt_datetime(item.created_at)
            return item.sha256[:SHORT_DIGEST] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return item.sha256
        if role == Qt.ItemDataRole.UserRole:
            return item.revision
        return None
