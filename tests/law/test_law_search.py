from __future__ import annotations

import statistics
import time

import pytest

from desktop.law import LawIndex, load_pack


@pytest.fixture(scope="module")
def index() -> LawIndex:
    return LawIndex(load_pack())


def _top(index: LawIndex, query: str, count: int = 1) -> list[tuple[str, int]]:
    return [(h.statute.key, h.article.number) for h in index.search(query, limit=count)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电信条例 第三十四条", ("telecom-regulations", 34)),
        ("电信条例 34", ("telecom-regulations", 34)),
        ("电信条例第39条", ("telecom-regulations", 39)),
        ("消保法55", ("consumer-protection-law", 55)),
        ("个保法 第十七条", ("pipl", 17)),
        ("民法典201", ("civil-code", 201)),
        ("《中华人民共和国消费者权益保护法》第二十六条", ("consumer-protection-law", 26)),
        ("个人信息保护规定 10", ("user-pi-rules", 10)),
    ],
)
def test_reference_queries(index: LawIndex, query: str, expected: tuple[str, int]) -> None:
    assert _top(index, query) == [expected]


def test_bare_article_number_prefers_first_statute(index: LawIndex) -> None:
    assert _top(index, "第三十九条", 3)[0] == ("telecom-regulations", 39)


def test_full_text_three_plus_characters(index: LawIndex) -> None:
    hits = index.search("巨额电信费用")
    assert (hits[0].statute.key, hits[0].article.number) == ("telecom-regulations", 33)
    start, end = hits[0].highlights[0]
    assert hits[0].article.text[start:end] == "巨额电信费用"


@pytest.mark.parametrize(("query", "expected"), [("巨额", 33), ("报复", 40), ("装机", 31)])
def test_two_character_queries_use_substring_path(
    index: LawIndex, query: str, expected: int
) -> None:
    hits = index.search(query)
    assert (
        hits and hits[0].article.number == expected and hits[0].statute.key == "telecom-regulations"
    )
    assert all(
        query in h.article.text or query in " ".join(h.article.guidance.keywords)
        for h in hits
        if h.article.guidance
    )


def test_single_character_query(index: LawIndex) -> None:
    hits = index.search("罚", limit=50)
    assert hits and all("罚" in h.article.text or h.article.guidance for h in hits)


def test_keyword_ranking_puts_subject_article_first(index: LawIndex) -> None:
    assert _top(index, "申诉")[0] == ("telecom-regulations", 39)
    assert _top(index, "格式条款")[0] == ("consumer-protection-law", 26)
    assert _top(index, "断网 没通知")[0] == ("telecom-regulations", 35)


def test_statute_scoped_text_search(index: LawIndex) -> None:
    hits = index.search("消保法 个人信息")
    assert hits and {h.statute.key for h in hits} == {"consumer-protection-law"}


def test_every_hit_carries_status_and_grade(index: LawIndex) -> None:
    for hit in index.search("申诉", limit=10):
        assert hit.statute.status and hit.statute.grade
    secondary = [
        h for h in index.search("申诉", limit=10) if h.statute.key == "complaint-appeal-measures"
    ]
    assert secondary and all(h.statute.grade.value == "secondary" for h in secondary)


def test_no_results_and_empty_query(index: LawIndex) -> None:
    assert index.search("量子纠缠通信卫星") == []
    assert index.search("   ") == []


def test_query_time_under_ten_ms(index: LawIndex) -> None:
    queries = ["电信条例 34", "消保法55", "巨额", "申诉", "个人信息泄露", "打击报复", "第三十九条",
               "罚", "违约金 欠费", "电信业务经营者", "格式条款", "断网 没通知", "民法典201",
               "公平交易"]  # fmt: skip
    timings = []
    for _round in range(20):
        for query in queries:
            started = time.perf_counter()
            index.search(query)
            timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"\nlaw search: median {median:.3f} ms, max {max(timings):.3f} ms, {len(timings)} queries"
    )
    assert median < 10
    assert statistics.quantiles(timings, n=20)[-1] < 10
