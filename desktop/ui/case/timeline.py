"""The case history: every event with who, when, what, and each field's old → new value."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from desktop.domain.codes import status_label
from desktop.domain.masking import mask_text
from desktop.domain.workflow import TRANSITIONS, Action
from desktop.formatting import fmt_datetime
from desktop.i18n import N_, _
from desktop.services.records import EventRecord
from desktop.ui.case.field_names import field_name, value_text
from desktop.ui.widgets.list_table import AnyIndex, ListTableModel

COLUMNS = (N_("When"), N_("Who"), N_("What"), N_("Changes"))
_KIND_LABELS = {
    "created": N_("Complaint registered"),
    "updated": N_("Edited"),
    "link": N_("Earlier complaint linked"),
    "deadline": N_("Deadline recomputed"),
    "citation": N_("Law cited"),
    "letter": N_("Outcome letter archived"),
    "signature": N_("Customer signature captured"),
    "review": N_("Supervisor review"),
    "bundle_export": N_("Exported for offline review"),
}


def describe_event(event: EventRecord) -> str:
    if event.kind == "transition" and event.action:
        try:
            text = _(TRANSITIONS[Action(event.action)].label)
        except ValueError:
            text = event.action
        if event.from_status and event.to_status:
            text += " (" + _("{old} → {new}").format(old=status_label(event.from_status),
                                                      new=status_label(event.to_status)) + ")"
    else:
        msgid = _KIND_LABELS.get(event.kind)
        text = _(msgid) if msgid else event.kind
    if event.note:
        text += " — " + _short_note(event)
    return text


def _short_note(event: EventRecord) -> str:
    # An archived letter's note is its full SHA-256; the short form is enough to tell revisions apart.
    if event.kind == "letter" and event.note and event.note.startswith("SHA-256 ") and len(event.note) > 24:
        return event.note[:20] + "…"
    return mask_text(event.note or "")  # a reason may quote the customer's number


def change_lines(event: EventRecord, *, limit: int | None = 60) -> list[str]:
    lines = []
    for field, pair in event.changes.items():
        old, new = [*pair, None, None][:2]
        lines.append(_("{field}: {old} → {new}").format(
            field=field_name(field), old=value_text(field, old, limit=limit),
            new=value_text(field, new, limit=limit)))
    return lines


class TimelineModel(ListTableModel[EventRecord]):
    columns = COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        event = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return fmt_datetime(event.at)
            if column == 1:
                return event.actor_name
            if column == 2:
                return describe_event(event)
            return "\n".join(change_lines(event))
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "\n".join(change_lines(event, limit=None)) or None
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and event.note:
            return event.note
        if role == Qt.ItemDataRole.UserRole:
            return event.id
        return None


class TimelineTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TimelineModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Wrapped rows must be re-measured once the columns have their real widths.
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setAccessibleName(_("Case history"))
        self.model.retranslate()

    def show_events(self, events: list[EventRecord]) -> None:
        self.model.set_items(events)
        self.table.setColumnWidth(2, 260)
        self.table.resizeRowsToContents()
