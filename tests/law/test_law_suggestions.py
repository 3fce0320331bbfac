"""Top-5 hit rate of the suggestions on the evaluation set in suggestion_cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.domain.codes import Category
from desktop.law import LawIndex, LawPack, load_pack

CASES = json.loads((Path(__file__).with_name("suggestion_cases.json")).read_text(encoding="utf-8"))[
    "cases"
]


@pytest.fixture(scope="module")
def pack() -> LawPack:
    return load_pack()


def _key(pack: LawPack, ref: list) -> tuple[str, int]:  # type: ignore[type-arg]
    return pack.find_statute(ref[0]).key, int(ref[1])


def test_evaluation_set_is_well_formed(pack: LawPack) -> None:
    assert len(CASES) >= 25
    assert len({case["id"] for case in CASES}) == len(CASES)
    for case in CASES:
        Category(case["category"])
        statute_key, number = _key(pack, case["expected"])
        assert pack.statute_by_key(statute_key).has_article(number)


def test_top5_hit_rate(pack: LawPack) -> None:
    index = LawIndex(pack)
    hits = 0
    misses = []
    also_found = also_total = 0
    for case in CASES:
        top = [
            (s.statute.key, s.article.number)
            for s in index.suggest(case["text"], case["category"], limit=5)
        ]
        if _key(pack, case["expected"]) in top:
            hits += 1
        else:
            misses.append(case["id"])
        for ref in case["also"]:
            also_total += 1
            also_found += _key(pack, ref) in top
    rate = hits / len(CASES)
    print(f"\nlaw suggest: top-5 hit rate {hits}/{len(CASES)} = {rate:.1%}; misses: {misses}; "
          f"other expert articles in top 5: {also_found}/{also_total}")  # fmt: skip
    assert rate >= 0.9


def test_suggestions_explain_themselves(pack: LawPack) -> None:
    index = LawIndex(pack)
    suggestions = index.suggest("用户本月账单比平时高了十几倍，没收到任何提醒", "billing")
    first = suggestions[0]
    assert (first.statute.key, first.article.number) == ("telecom-regulations", 33)
    assert any("账单" in reason for reason in first.reasons)
    assert len(first.reasons) == 2  # matched terms + category rule
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_category_alone_still_suggests(pack: LawPack) -> None:
    suggestions = LawIndex(pack).suggest("请查看", "porting")
    assert suggestions and suggestions[0].article.number == 41


def test_nothing_for_unrelated_text(pack: LawPack) -> None:
    assert LawIndex(pack).suggest("今天天气很好", None) == []
