"""Queue text search: every plan (sort-index walk, trigram index, table scan) returns exactly the rows
a brute-force Python filter finds, in the queue's order, page by page."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from desktop.services import queue as queue_module
from desktop.services.app import AppServices
from desktop.services.demo import generate
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.services.search import ParsedSearch, SearchKind, walk_agrees_with_index
from desktop.store.models import Complaint
from tests.accounts import open_as

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
ROWS = 300
_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@pytest.fixture
def store(services: AppServices) -> AppServices:
    generate(services.sessions, services.complaints, services.actor, ROWS, seed=11, now=NOW)
    return services


def _texts(app: AppServices) -> dict[int, tuple[str, ...]]:
    with app.sessions() as session:
        rows = session.execute(select(Complaint.id, Complaint.customer_name, Complaint.description,
                                      Complaint.demand, Complaint.address)).all()
    return {r[0]: tuple(t for t in r[1:] if t) for r in rows}


def _expected(app: AppServices, query: QueueQuery, texts: dict[int, tuple[str, ...]]) -> list[int]:
    """The filter's rows in order (no search), kept when every word occurs (ASCII case folded)."""
    ordered = app.queue.fetch(query.with_(search=""), 0, ROWS + 10, NOW)
    terms = [t.translate(_FOLD) for t in query.search.split()]
    return [r.id for r in ordered
            if all(any(term in text.translate(_FOLD) for text in texts[r.id]) for term in terms)]


def _paged(app: AppServices, query: QueueQuery, page: int) -> list[int]:
    found: list[int] = []
    while True:
        rows = app.queue.fetch(query, len(found), page, NOW)
        found.extend(r.id for r in rows)
        if len(rows) < page:
            return found


def _words(texts: dict[int, tuple[str, ...]], length: int) -> tuple[str, str]:
    """The most common and a rare (one row) ``length``-character substring of the descriptions."""
    counts: Counter[str] = Counter()
    for values in texts.values():
        counts.update({v[i:i + length] for v in values for i in range(len(v) - length + 1)
                       if " " not in v[i:i + length]})
    common = counts.most_common(1)[0][0]
    rare = min((w for w, n in counts.items() if n == 1), key=lambda w: (w.isascii(), w))
    return common, rare


@pytest.mark.parametrize("length", [1, 2, 3, 5])
@pytest.mark.parametrize("budget", ["default", "tiny"])
def test_every_plan_returns_the_brute_force_rows_in_order(store: AppServices, monkeypatch: pytest.MonkeyPatch,
                                                         length: int, budget: str) -> None:
    if budget == "tiny":  # the walk gives up almost at once: the complete plans must answer
        monkeypatch.setattr(queue_module, "WALK_MIN_ROWS", 7)
        monkeypatch.setattr(queue_module, "WALK_MAX_ROWS", 7)
    texts = _texts(store)
    common, rare = _words(texts, length)
    plans = set()
    for word in (common, rare, common + " " + rare[:1]):
        for query in (QueueQuery(filter=QueueFilter.ALL, search=word),
                      QueueQuery(filter=QueueFilter.OPEN, sort="received_at", descending=True, search=word),
                      QueueQuery(filter=QueueFilter.MINE, sort="status", search=word),
                      QueueQuery(filter=QueueFilter.ALL, sort="agent", search=word)):
            expected = _expected(store, query, texts)
            assert [r.id for r in store.queue.fetch(query, 0, ROWS + 10, NOW)] == expected, query
            plans.add(store.queue.last_text_plan)
            assert _paged(store, query, 9) == expected, query
            assert store.queue.count(query, NOW) == len(expected)
    assert _expected(store, QueueQuery(filter=QueueFilter.ALL, search=common), texts)  # the test has rows
    if budget == "tiny":
        assert "walk" not in plans or length < 3  # short words still walk when the filter is tiny
        assert plans & {"index", "scan"}
    else:
        assert "walk" in plans


def test_far_pages_read_backwards_match_forward_pages(store: AppServices) -> None:
    texts = _texts(store)
    common, _rare = _words(texts, 2)
    query = QueueQuery(filter=QueueFilter.ALL, sort="reply_due_at", search=common)
    expected = _expected(store, query, texts)
    total = store.queue.count(query, NOW)
    assert total == len(expected) > 20
    assert [r.id for r in store.queue.fetch(query, total - 10, 10, NOW, total)] == expected[-10:]


def test_counts_per_filter_agree_with_the_rows(store: AppServices) -> None:
    texts = _texts(store)
    common, _rare = _words(texts, 3)
    counts = store.queue.counts(list(QueueFilter), search=common, now=NOW)
    for f, n in counts.items():
        assert n == len(_expected(store, QueueQuery(filter=f, search=common), texts)), f


def test_words_without_any_trigram_in_the_index_find_nothing(store: AppServices) -> None:
    query = QueueQuery(filter=QueueFilter.ALL, search="绝不会出现的内容")
    assert store.queue.fetch(query, 0, 50, NOW) == []
    assert store.queue.count(query, NOW) == 0


def test_full_width_letters_always_use_the_index() -> None:
    assert walk_agrees_with_index(ParsedSearch(SearchKind.TEXT, long_terms=("宽带ABC",)))
    assert not walk_agrees_with_index(ParsedSearch(SearchKind.TEXT, long_terms=("ＶＩＰ客户",)))


@pytest.mark.postgres
def test_search_works_on_postgresql(postgres_url: str) -> None:
    app = open_as(postgres_url, "pgagent", role="admin", display_name="测试员")
    try:
        generate(app.sessions, app.complaints, app.actor, 120, seed=5, now=NOW)
        texts = _texts(app)
        for length in (1, 2, 3, 5):
            common, rare = _words(texts, length)
            for word in (common, rare):
                query = QueueQuery(filter=QueueFilter.ALL, search=word)
                got = [r.id for r in app.queue.fetch(query, 0, 500, NOW)]
                # PostgreSQL's ILIKE folds every letter; the demo words are Chinese and digits.
                assert got == _expected(app, query, texts)
                assert app.queue.count(query, NOW) == len(got)
    finally:
        app.close()
