"""Pickers find a choice by label part, pinyin, initials, everyday words (data) and code."""

from __future__ import annotations

import pytest

from desktop.domain.codes import Category, Channel, category_label, channel_label
from desktop.domain.pick_match import ChoiceMatcher, pinyin_keys, synonyms


@pytest.fixture
def categories() -> ChoiceMatcher:
    return ChoiceMatcher([c.value for c in Category], category_label, synonyms("category"))


@pytest.mark.parametrize(("typed", "code"), [
    ("计费", "billing"), ("扣费", "billing"), ("话费", "billing"), ("乱收费", "billing"),
    ("信号", "network"), ("没网", "network"), ("网速", "network"),  # 网速 is also in 宽带故障/网速: the word wins
    ("资费争议", "billing"), ("资费", "billing"), ("zfzy", "billing"), ("zifei", "billing"), ("ZiFei", "billing"),
    ("billing", "billing"), ("xhzw", "porting"), ("xiehao", "porting"), ("kuandai", "broadband"),
    ("代理商", "agent"),
])
def test_category_by_what_agents_type(categories: ChoiceMatcher, typed: str, code: str) -> None:
    assert categories.match(typed) == [code]


def test_ambiguous_or_unknown_text_names_no_single_choice(categories: ChoiceMatcher) -> None:
    assert len(categories.match("z")) > 1
    assert categories.match("火星") == []
    assert categories.match("  ") == []


def test_channels_and_the_pinyin_keys() -> None:
    channels = ChoiceMatcher([c.value for c in Channel], channel_label, synonyms("channel"))
    assert channels.match("10000") == ["hotline"]
    assert channels.match("rxdh") == ["hotline"]
    assert channels.match("工信部") == ["regulator"]
    assert pinyin_keys("资费争议") == ("zifeizhengyi", "zfzy")


def test_every_synonym_belongs_to_a_real_code_and_to_one_code_only() -> None:
    for kind, codes in (("category", {c.value for c in Category}), ("channel", {c.value for c in Channel})):
        table = synonyms(kind)
        assert set(table) <= codes
        words = [w for found in table.values() for w in found]
        assert len(words) == len(set(words)), kind
