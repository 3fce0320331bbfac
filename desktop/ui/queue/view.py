"""The queue pane: saved-filter buttons with counts, a search box and the paged table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadline_state import time_left_text
from desktop.formatting import fmt_date, fmt_number
from desktop.i18n import _
from desktop.services.queue import QueueFilter
from desktop.ui.queue.model import NUMBER_ROLE, QueueModel
from desktop.ui.queue.state import COLUMNS, FILTER_LABELS, SAVED_FILTERS
from desktop.ui.widgets.flow_layout import FlowLayout

SEARCH_DELAY_MS = 250  # type-ahead: wait for a pause before asking the database


def _width_samples() -> dict[str, str]:
    """The longest texts the deadline columns show, in the active language."""
    due = datetime(2026, 12, 28, 16, tzinfo=UTC)
    return {"number": "TS-20260000-0000", "due": fmt_date(due.date()),
            "time_left": time_left_text(due, due + timedelta(days=188, hours=23))}


class QueueView(QWidget):
    case_selected = Signal(str)  # the current row changed (keyboard or mouse)
    case_activated = Signal(str)  # Enter / double click: open the case for work
    filter_changed = Signal(str)

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._counts: dict[QueueFilter, int] = {}
        self._pending_number: str | None = None
        self._build_filter_bar()
        self._build_search()
        self._build_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._filter_row)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        model.refreshed.connect(self._after_refresh)
        self.retranslate()

    # -- building -----------------------------------------------------------------------------
    def _build_filter_bar(self) -> None:
        self._filter_row = QWidget(self)
        flow = FlowLayout(self._filter_row, spacing=2)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[QueueFilter, QPushButton] = {}
        for f in SAVED_FILTERS:
            button = QPushButton(self)
            button.setCheckable(True)
            button.setObjectName(f"filter_{f.value}")
            button.clicked.connect(lambda _checked=False, f=f: self.set_filter(f))
            self.filter_group.addButton(button)
            self.filter_buttons[f] = button
            flow.addWidget(button)
        policy = self._filter_row.sizePolicy()
        policy.setHeightForWidth(True)
        self._filter_row.setSizePolicy(policy)

    def _build_search(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("queue_search")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)

    def _build_table(self) -> None:
        table = QTableView(self)
        table.setObjectName("queue_table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows for the supervisor's Case › Reassign…; the current row still opens one case.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights keep a million-row table cheap: no per-row size queries.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSortIndicator(self._sort_column(), self._sort_order())
        table.setSortingEnabled(True)
        self.table = table
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        table.activated.connect(self._activated)
        self.apply_default_widths()

    def apply_default_widths(self) -> None:
        metrics = self.table.fontMetrics()
        char = metrics.averageCharWidth()
        for position, column in enumerate(COLUMNS):
            width = column.width_chars * char
            sample = _width_samples().get(column.key)
            if sample:  # never cut a number, a date or the time left short
                width = max(width, metrics.horizontalAdvance(sample) + (20 if column.key == "time_left" else 0))
            self.table.setColumnWidth(position, width + 24)

    # -- language -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search number, phone, name, description or demand (Ctrl+F)"))
        self.search.setAccessibleName(_("Search complaints"))
        self.table.setAccessibleName(_("Complaint queue"))
        self.retranslate_filters()
        self.model.retranslate()

    # -- filters and search -------------------------------------------------------------------
    def current_filter(self) -> QueueFilter:
        return self.model.query.filter

    def set_filter(self, f: QueueFilter) -> None:
        self.filter_buttons[f].setChecked(True)
        if f != self.model.query.filter or self.model.query.agent_id is not None:
            self.model.set_query(self.model.query.with_(filter=f, agent_id=None))
            self.filter_changed.emit(f.value)

    def apply_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        if text != self.model.query.search:
            self.model.set_query(self.model.query.with_(search=text))

    def set_counts(self, counts: dict[QueueFilter, int]) -> None:
        self._counts = dict(counts)
        self.retranslate_filters()

    def retranslate_filters(self) -> None:
        for f, button in self.filter_buttons.items():
            label = _(FILTER_LABELS[f])
            count = self._counts.get(f)
            button.setText(label if count is None else _("{label} ({count})").format(
                label=label, count=fmt_number(count)))
            button.setAccessibleName(label)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- moving through cases -----------------------------------------------------------------
    def current_number(self) -> str | None:
        index = self.table.currentIndex()
        value: Any = index.data(NUMBER_ROLE) if index.isValid() else None
        return str(value) if value else None

    def selected_numbers(self) -> list[str]:
        """The numbers of the selected rows (at least the current one), in row order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        numbers = [n for n in (self.model.number_at(row) for row in rows) if n]
        current = self.current_number()
        return numbers or ([current] if current else [])

    def step(self, step: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        row = 0 if not current.isValid() else min(max(current.row() + step, 0), rows - 1)
        self._select_row(row)

    def select_number(self, number: str) -> bool:
        """Select ``number`` now if it is in the current result, else once the next refresh lands."""
        if self.model.loading:
            self._pending_number = number
            return False
        row = self.model.row_of(number)
        if row is None:
            return False
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _after_refresh(self) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # showing the model's order must not sort again
        header.setSortIndicator(self._sort_column(), self._sort_order())
        header.blockSignals(False)
        for f, button in self.filter_buttons.items():
            button.setChecked(f == self.model.query.filter)
        if self._pending_number is not None:
            number, self._pending_number = self._pending_number, None
            self.select_number(number)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        number = current.data(NUMBER_ROLE) if current.isValid() else None
        if number:
            self.case_selected.emit(str(number))

    def _activated(self, index: QModelIndex) -> None:
        number = index.data(NUMBER_ROLE)
        if number:
            self.case_activated.emit(str(number))

    def _sort_column(self) -> int:
        query = self.model.query
        for position, column in enumerate(COLUMNS):
            if column.sort_key == query.sort:
                return position
        return 0

    def _sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self.model.query.descending else Qt.SortOrder.AscendingOrder

    # -- remembered layout --------------------------------------------------------------------
    def column_layout(self) -> list[dict[str, Any]]:
        header = self.table.horizontalHeader()
        return [{"key": column.key, "width": header.sectionSize(position),
                 "visual": header.visualIndex(position), "hidden": header.isSectionHidden(position)}
                for position, column in enumerate(COLUMNS)]

    def restore_column_layout(self, saved: list[Any]) -> None:
        header = self.table.horizontalHeader()
        keys = [c.key for c in COLUMNS]
        entries = [e for e in saved if isinstance(e, dict) and e.get("key") in keys]
        for entry in entries:
            position = keys.index(entry["key"])
            width = entry.get("width")
            if isinstance(width, int) and 20 <= width <= 2000:
                header.resizeSection(position, width)
            header.setSectionHidden(position, bool(entry.get("hidden", False)))
        for entry in sorted(entries, key=lambda e: e.get("visual", 0) if isinstance(e.get("visual"), int) else 0):
            position = keys.index(entry["key"])
            visual = entry.get("visual")
            if isinstance(visual, int) and 0 <= visual < len(keys):
                header.moveSection(header.visualIndex(position), visual)
