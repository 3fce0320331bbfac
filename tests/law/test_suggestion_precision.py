"""Each kind of wrong suggestion found in review, pinned in new words: keywords are words, not
substrings; rules kept as data keep articles in their subject; short notes are never left empty;
the articles an expert reaches for rank where they should."""

from __future__ import annotations

from functools import cache

import pytest

from desktop.law import LawIndex, load_pack
from desktop.law.keywords import compile_keywords, match_keywords
from desktop.law.suggest import Suggestion

Ref = tuple[str, int]


@cache
def _index() -> LawIndex:
    return LawIndex(load_pack())


def _refs(text: str, category: str, limit: int = 5) -> list[Ref]:
    return [(s.statute.key, s.article.number) for s in _index().suggest(text, category, limit=limit)]


def _matched_terms(suggestions: list[Suggestion]) -> str:
    return " ".join(reason for s in suggestions for reason in s.reasons)


def test_an_amount_is_never_a_keyword_hit() -> None:
    (zero_yuan,) = compile_keywords([("0元",)])
    assert match_keywords(zero_yuan, "宣传说0元购机").keywords == ("0元",)
    assert match_keywords(zero_yuan, "这个月多扣了100元").keywords == ()
    assert match_keywords(zero_yuan, "充了300元话费").keywords == ()
    (ambulance,) = compile_keywords([("拨打120",)])
    assert match_keywords(ambulance, "家里老人拨打120没打通").keywords == ("拨打120",)
    assert match_keywords(ambulance, "拨打1200元的套餐热线").keywords == ()


def test_a_keyword_inside_another_word_does_not_count() -> None:
    # An app updating itself in the background is not a request to correct personal information.
    refs = _refs("手机后台自动更新了，流量一下子跑了两个G", "billing")
    assert ("pipl", 46) not in refs
    (update,) = compile_keywords([("更新",)])
    assert match_keywords(update, "系统自动更新以后").keywords == ()


def test_time_of_day_alone_is_not_harassment() -> None:
    refs = _refs("半夜十二点多家里宽带又掉线了，凌晨才恢复", "broadband")
    assert ("civil-code", 1033) not in refs
    # …while night-time sales calls still are.
    assert ("civil-code", 1033) in _refs("凌晨一点还有人打电话推销流量卡", "marketing")


@pytest.mark.parametrize("text, category", [
    ("家里座机的账单比上月多了四十块，要个说法，不然就去管局投诉", "billing"),
    ("上门修宽带的师傅被我投诉后，回头就把我家网线拔了", "broadband"),
    ("再乱扣费我就找通信管理局", "billing"),
])
def test_personal_information_rules_stay_out_of_other_subjects(text: str, category: str) -> None:
    refs = _refs(text, category)
    assert ("user-pi-rules", 12) not in refs
    assert not [ref for ref in refs if ref[0] == "user-pi-rules"]


def test_personal_information_rules_apply_when_the_note_is_about_it() -> None:
    refs = _refs("营业厅把我的身份证信息泄露给了别人，我要投诉", "billing", limit=8)
    assert any(ref[0] in ("user-pi-rules", "pipl", "civil-code") for ref in refs)


@pytest.mark.parametrize("text, category", [
    ("平白无故多出来个视频包 月月扣我没点过", "subscription"),
    ("信号不行", "network"),
    ("有问题", "other"),
    ("说不清楚", "attitude"),
])
def test_a_short_note_is_never_left_without_suggestions(text: str, category: str) -> None:
    suggestions = _index().suggest(text, category)
    assert suggestions
    for suggestion in suggestions:
        assert suggestion.reasons  # each one says why it is there
        if suggestion.fallback:
            assert "常用条款" in suggestion.reasons[0] or "最常引用" in suggestion.reasons[0]


def test_suspension_for_arrears_outranks_construction_works() -> None:
    refs = _refs("欠了几块钱就被停了机，事先一点消息都没有", "billing")
    assert ("telecom-regulations", 34) in refs
    if ("telecom-regulations", 35) in refs:
        assert refs.index(("telecom-regulations", 34)) < refs.index(("telecom-regulations", 35))


def test_unrefunded_balance_after_cancellation_cites_prepayment_refund() -> None:
    assert ("consumer-protection-law", 53) in _refs("号码注销了，卡里剩的一百多块钱到现在也没退给我", "contract", 3)


@pytest.mark.parametrize("text, category", [
    ("打热线让我去营业厅办，营业厅又让我打热线，来回推了好几趟", "attitude"),
    ("想把宽带停掉，营业厅就是不给销户，非要我再交一年", "broadband"),
])
def test_being_passed_around_or_blocked_from_cancelling(text: str, category: str) -> None:
    assert ("telecom-regulations", 40) in _refs(text, category)


def test_reasons_are_readable() -> None:
    suggestions = _index().suggest("宽带装机约好了三次都没人来装", "broadband")
    assert suggestions and "匹配" in _matched_terms(suggestions)
