"""The queue as a QAbstractTableModel paged over the database.

The row count comes from SQL; rows are read in pages of ``PAGE_SIZE`` around the rows the view
asks for (a small LRU of pages), so memory stays flat and "jump to the last row" reads one page
(backwards, see ``QueueService.fetch``). Sorting and filtering are new SQL queries, never a proxy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop.domain.codes import OPEN_STATUSES, category_label, status_label
from desktop.domain.deadline_state import DeadlineState, deadline_state, state_label, time_left_text
from desktop.domain.masking import mask_name, mask_phone
from desktop.formatting import fmt_date, fmt_datetime
from desktop.i18n import _
from desktop.services.queue import QueueQuery, QueueService
from desktop.services.records import ComplaintSummary
from desktop.ui.queue.delegates import deadline_icon, text_colour, tint
from desktop.ui.queue.state import COLUMNS, MAX_CACHED_PAGES, PAGE_SIZE, PageCache, column_index
from desktop.ui.tasks import TaskRunner

NUMBER_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
_TIME_LEFT = column_index("time_left")
_DUE = column_index("due")
_FORMAT_CACHE_LIMIT = 4000

AnyIndex = QModelIndex | QPersistentModelIndex
_OPEN_CODES = frozenset(status.value for status in OPEN_STATUSES)
_ROLES_SERVED = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, NUMBER_ROLE, STATE_ROLE,
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole,
})


class QueueModel(QAbstractTableModel):
    refreshed = Signal()  # a new query's first page (and usually its count) is in
    counted = Signal()  # a search's full count arrived after its first page
    failed = Signal(str)

    def __init__(self, queue: QueueService, parent: QObject | None = None,
                 runner: TaskRunner | None = None, *, page_size: int = PAGE_SIZE,
                 max_pages: int = MAX_CACHED_PAGES) -> None:
        super().__init__(parent)
        self._queue = queue
        self._page_size, self._max_pages = page_size, max_pages
        self._runner = runner  # None: queries run synchronously (tests, screenshots)
        self._query = QueueQuery()
        self._now = datetime.now(UTC)
        self._cache = self._new_cache(0)
        self._texts: dict[int, tuple[str, ...]] = {}
        self._states: dict[int, DeadlineState] = {}
        self.loading = False
        self.counting = False

    # -- queries -------------------------------------------------------------------------------
    @property
    def query(self) -> QueueQuery:
        return self._query

    @property
    def page_cache(self) -> PageCache:
        return self._cache

    def set_query(self, query: QueueQuery) -> None:
        """Show ``query``: in the background when a runner is set, else right away."""
        now = datetime.now(UTC)

        def work() -> tuple[int | None, list[ComplaintSummary]]:
            if query.search and self._runner is not None:
                # A search's count can cost a full scan (1–2 characters, common words): show the
                # first page at once and let the count follow (see _count_later).
                first = self._queue.fetch(query, 0, self._page_size + 1, now)
                if len(first) <= self._page_size:
                    return len(first), first
                return None, first[: self._page_size]
            total = self._queue.count(query, now)
            return total, self._queue.fetch(query, 0, self._page_size, now, total)

        if self._runner is None:
            total, first = work()
            self._apply(query, now, len(first) if total is None else total, first)
            return
        self.loading = True
        self._runner.run(work, lambda result: self._first_page(query, now, *result),
                         lambda error: self._fail(error), key="queue-query")

    def _first_page(self, query: QueueQuery, now: datetime, total: int | None,
                    first: list[ComplaintSummary]) -> None:
        self._apply(query, now, len(first) if total is None else total, first)
        if total is None and self._runner is not None:
            queue = self._queue
            self.counting = True
            self._runner.run(lambda: queue.count(query, now), lambda count: self._count_later(query, count),
                             lambda error: self._fail(error), key="queue-query")

    def _count_later(self, query: QueueQuery, total: int) -> None:
        self.counting = False
        if query != self._query or total <= self._cache.total:
            return
        self.beginInsertRows(QModelIndex(), self._cache.total, total - 1)
        self._cache.total = total
        self.endInsertRows()
        self.counted.emit()

    def refresh(self) -> None:
        self.set_query(self._query)

    def _apply(self, query: QueueQuery, now: datetime, total: int, first: list[ComplaintSummary]) -> None:
        self.beginResetModel()
        self._query, self._now, self.loading = query, now, False
        self._cache = self._new_cache(total)
        self._cache.seed(0, first)
        self._texts.clear()
        self._states.clear()
        self.endResetModel()
        self.refreshed.emit()

    def _fail(self, error: Exception) -> None:
        self.loading = False
        self.failed.emit(str(error))

    def _new_cache(self, total: int) -> PageCache:
        return PageCache(self._load, total, self._page_size, self._max_pages)

    def _load(self, offset: int, limit: int) -> list[ComplaintSummary]:
        return self._queue.fetch(self._query, offset, limit, self._now, self._cache.total)

    def tick(self) -> None:
        """Time passed: re-evaluate "time left" and the deadline colours (no database read)."""
        self._now = datetime.now(UTC)
        self._texts.clear()
        self._states.clear()
        if self._cache.total:
            first, last = sorted((_DUE, _TIME_LEFT))
            self.dataChanged.emit(self.index(0, first), self.index(self._cache.total - 1, last))

    def retranslate(self) -> None:
        self._texts.clear()
        self._states.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._cache.total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._cache.total - 1, len(COLUMNS) - 1))

    # -- lookups for the window ---------------------------------------------------------------
    def summary(self, row: int) -> ComplaintSummary | None:
        return self._cache.row(row)

    def number_at(self, row: int) -> str | None:
        summary = self._cache.row(row)
        return summary.number if summary else None

    def row_of(self, number: str) -> int | None:
        """Row of a complaint: from the loaded pages, else asked of the database."""
        found = self._cache.find(number)
        return found if found is not None else self._queue.row_of(self._query, number, self._now)

    # -- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else self._cache.total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return _(COLUMNS[section].title)
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        query = self._query.with_(sort=COLUMNS[column].sort_key, descending=descending)
        if query != self._query:
            self.set_query(query)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks every visible cell for a dozen roles; most are answered here at once.
        if role not in _ROLES_SERVED or not index.isValid():
            return None
        summary = self._cache.row(index.row())
        if summary is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts_of(summary)[column]
        if role == NUMBER_ROLE:
            return summary.number
        state = self._state(summary)
        if role == STATE_ROLE:
            return state.value
        if column not in (_TIME_LEFT, _DUE):
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == _TIME_LEFT:
            return deadline_icon(state)
        if role == Qt.ItemDataRole.BackgroundRole:
            return tint(state)
        if role == Qt.ItemDataRole.ForegroundRole:
            return text_colour(state)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, state)
        return None

    # -- presentation ---------------------------------------------------------------------------
    def _state(self, summary: ComplaintSummary) -> DeadlineState:
        state = self._states.get(summary.id)
        if state is None:
            is_open = summary.status in _OPEN_CODES
            state = deadline_state(summary.reply_due_date, summary.reply_due_at, self._now, is_open=is_open)
            self._states[summary.id] = state
        return state

    def _texts_of(self, summary: ComplaintSummary) -> tuple[str, ...]:
        texts = self._texts.get(summary.id)
        if texts is None:
            if len(self._texts) > _FORMAT_CACHE_LIMIT:
                self._texts.clear()
                self._states.clear()
            texts = self._format(summary)
            self._texts[summary.id] = texts
        return texts

    def _format(self, summary: ComplaintSummary) -> tuple[str, ...]:
        state = self._state(summary)
        due = fmt_date(summary.reply_due_date)
        if summary.calendar_provisional:
            due = _("{date} (provisional)").format(date=due)
        if state == DeadlineState.DONE:
            left = state_label(state)
        elif state in (DeadlineState.OVERDUE, DeadlineState.ON_TIME):
            left = time_left_text(summary.reply_due_at, self._now)
        else:
            left = _("{state}: {time_left}").format(
                state=state_label(state), time_left=time_left_text(summary.reply_due_at, self._now))
        texts = {
            "number": summary.number,
            "time_left": left,
            "due": due,
            "customer": mask_name(summary.customer_name),
            "phone": mask_phone(summary.phone),
            "category": category_label(summary.category),
            "status": status_label(summary.status),
            "agent": summary.agent_name or _("Unassigned"),
            "received_at": fmt_datetime(summary.received_at),
        }
        return tuple(texts[column.key] for column in COLUMNS)

    def _tooltip(self, summary: ComplaintSummary, state: DeadlineState) -> str:
        text = _("{state} — reply due {when}").format(state=state_label(state),
                                                       when=fmt_datetime(summary.reply_due_at))
        if summary.calendar_provisional:
            text += "\n" + _("The holiday calendar for that year is not confirmed yet.")
        return text
