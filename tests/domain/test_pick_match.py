"""Pickers find a choice by label part, pinyin, initials, everyday words (data) and code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.domain.codes import Category, Channel, category_label, channel_label
from desktop.domain.pick_match import (
    ChoiceMatcher,
    computed_pinyin_keys,
    picker_labels,
    pinyin_keys,
    pinyin_table_path,
    shipped_pinyin_keys,
    synonyms,
)
from desktop.i18n import SUPPORTED_LANGUAGES, set_language


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


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_shipped_pinyin_keys_are_pypinyins_for_every_picker_label(language: str) -> None:
    """The build's table (packaging/compile_catalogs.py) covers every label a picker shows and holds
    exactly what pypinyin gives for it, so the desk matches as if it had loaded pypinyin."""
    assert pinyin_table_path().exists(), "run packaging/compile_catalogs.py"
    shipped = shipped_pinyin_keys()
    set_language(language)
    for label in picker_labels():
        assert label in shipped, f"{label!r} has no shipped pinyin keys: run packaging/compile_catalogs.py"
        assert shipped[label] == computed_pinyin_keys(label), label
    assert pinyin_keys("资费争议") == shipped["资费争议"] == ("zifeizhengyi", "zfzy")


def test_text_the_table_lacks_is_keyed_by_pypinyin() -> None:
    assert "银行长途" not in shipped_pinyin_keys()
    assert pinyin_keys("银行长途") == ("yinhangchangtu", "yhct")


def test_warming_the_pickers_does_not_load_pypinyin() -> None:
    """Matching the pickers' labels needs the shipped keys only, not pypinyin's dictionaries (~60 MB)."""
    script = ("import sys; from desktop.domain import pick_match; pick_match.warm_up(); "
              "print('pypinyin' in sys.modules, pick_match.pinyin_keys('资费争议'))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == ["False", "('zifeizhengyi',", "'zfzy')"]
