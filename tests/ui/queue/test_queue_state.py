"""The page cache keeps memory flat however far the agent scrolls (pure, no Qt)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desktop.services.records import ComplaintSummary
from desktop.ui.queue.state import COLUMN_KEYS, COLUMNS, FILTER_LABELS, SAVED_FILTERS, PageCache


def fake_rows(offset: int, limit: int, total: int = 10_000) -> list[ComplaintSummary]:
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    return [ComplaintSummary(id=i, number=f"TS-20261101-{i:04d}", received_at=moment, customer_name="张三",
                             phone="13812345678", category="billing", channel="hotline", status="registered",
                             agent_name=None, reply_due_date=date(2026, 11, 20), reply_due_at=moment,
                             calendar_provisional=False)
            for i in range(offset, min(offset + limit, total))]


def test_pages_are_loaded_on_demand_and_old_ones_dropped() -> None:
    calls: list[tuple[int, int]] = []

    def loader(offset: int, limit: int) -> list[ComplaintSummary]:
        calls.append((offset, limit))
        return fake_rows(offset, limit)

    cache = PageCache(loader, 10_000, page_size=100, max_pages=3)
    row = cache.row(9_999)
    assert row is not None and row.id == 9_999
    assert calls == [(9_900, 100)]
    cache.row(9_950)  # same page: no read
    assert cache.loads == 1
    for index in (0, 150, 250, 350):
        cache.row(index)
    assert cache.loads == 5 and cache.cached_rows == 300
    assert cache.cached_row(9_999) is None  # evicted (least recently used)
    assert cache.row(-1) is None and cache.row(10_000) is None
    assert cache.find("TS-20261101-0350") == 350 and cache.find("TS-20261101-0000") is None


def test_every_saved_filter_and_column_has_a_label() -> None:
    assert set(SAVED_FILTERS) == set(FILTER_LABELS)
    assert len(COLUMN_KEYS) == len(set(COLUMN_KEYS)) == 9
    assert all(c.title and c.width_chars > 0 for c in COLUMNS)
