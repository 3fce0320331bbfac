"""Pure queue state (no Qt): columns, saved filters and the page cache behind the model."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from desktop.i18n import N_
from desktop.services.queue import QueueFilter
from desktop.services.records import ComplaintSummary

PAGE_SIZE = 200
MAX_CACHED_PAGES = 12  # ≈ 2,400 rows in memory whatever the table size


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # N_-marked; translated at display time
    sort_key: str  # a key of desktop.services.queue.SORTABLE
    width_chars: int  # default width in average characters of the current font


# Urgency first: the deadline columns sit right after the number, visible in a narrow pane.
COLUMNS: tuple[Column, ...] = (
    Column("number", N_("Number"), "number", 16),
    Column("time_left", N_("Time left"), "reply_due_at", 17),
    Column("due", N_("Due date"), "reply_due_at", 11),
    Column("customer", N_("Customer"), "customer_name", 7),
    Column("phone", N_("Phone"), "phone", 12),
    Column("category", N_("Category"), "category", 13),
    Column("status", N_("Status"), "status", 9),
    Column("agent", N_("Agent"), "agent", 7),
    Column("received_at", N_("Received"), "received_at", 15),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


def column_index(key: str) -> int:
    return COLUMN_KEYS.index(key)


FILTER_LABELS: dict[QueueFilter, str] = {
    QueueFilter.MINE: N_("Mine"),
    QueueFilter.TEAM: N_("My team"),
    QueueFilter.OVERDUE: N_("Overdue"),
    QueueFilter.DUE_SOON: N_("Due soon"),
    QueueFilter.AWAITING_FOLLOW_UP: N_("Awaiting follow-up"),
    QueueFilter.INVALID: N_("Invalid"),
    QueueFilter.AWAITING_MY_APPROVAL: N_("Awaiting my approval"),
    QueueFilter.OPEN: N_("All open"),
    QueueFilter.ALL: N_("All"),
}
SAVED_FILTERS: tuple[QueueFilter, ...] = tuple(FILTER_LABELS)


class PageCache:
    """Pages of rows keyed by page number, least recently used dropped first.

    ``loader(offset, limit)`` reads one page from the database; the cache never holds more than
    ``max_pages`` pages, so scrolling through a million rows keeps memory flat.
    """

    def __init__(self, loader: Callable[[int, int], list[ComplaintSummary]], total: int,
                 page_size: int = PAGE_SIZE, max_pages: int = MAX_CACHED_PAGES) -> None:
        self._loader = loader
        self.total = total
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, list[ComplaintSummary]] = OrderedDict()
        self.loads = 0  # how many database reads so far (tests and the benchmark look at it)

    def seed(self, page: int, rows: list[ComplaintSummary]) -> None:
        self._store(page, rows)

    def row(self, index: int) -> ComplaintSummary | None:
        if not 0 <= index < self.total:
            return None
        page, position = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._loader(page * self.page_size, self.page_size)
            self.loads += 1
            self._store(page, rows)
        else:
            self._pages.move_to_end(page)
        return rows[position] if position < len(rows) else None  # rows vanished since the count

    def cached_row(self, index: int) -> ComplaintSummary | None:
        """A row only if its page is already loaded (never reads the database)."""
        page, position = divmod(index, self.page_size)
        rows = self._pages.get(page)
        return rows[position] if rows is not None and position < len(rows) else None

    def find(self, number: str) -> int | None:
        for page, rows in self._pages.items():
            for position, summary in enumerate(rows):
                if summary.number == number:
                    return page * self.page_size + position
        return None

    @property
    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def _store(self, page: int, rows: list[ComplaintSummary]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
