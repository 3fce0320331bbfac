"""Drafts on disk: atomic writes, listing newest first, damaged files set aside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from desktop.paths import user_data_dir
from desktop.services.drafts import CASE_EDIT, INTAKE, DraftStore, new_draft_key


def test_round_trip_in_the_user_data_folder() -> None:
    store = DraftStore()
    assert store.root == user_data_dir() / "drafts"
    key = new_draft_key()
    saved = store.save(key, INTAKE, {"customer_name": "王芳", "description": "第一行\n第二行"},
                       extra={"link": ["TS-20260302-0001"]})
    loaded = store.load(key)
    assert loaded == saved
    on_disk = json.loads((store.root / f"{key}.json").read_text("utf-8"))
    assert on_disk["fields"]["customer_name"] == "王芳"


def test_list_filters_by_kind_and_case_newest_first() -> None:
    store = DraftStore()
    first = store.save("a1", INTAKE, {"phone": "1"})
    second = store.save("a2", INTAKE, {"phone": "2"})
    store.save("c1", CASE_EDIT, {"description": "x"}, number="TS-20260302-0001")
    assert [d.key for d in store.list(INTAKE)] == [second.key, first.key]
    assert [d.key for d in store.list(INTAKE, exclude={"a2"})] == ["a1"]
    assert [d.key for d in store.list(number="TS-20260302-0001")] == ["c1"]


def test_a_failed_write_keeps_the_previous_draft(monkeypatch: pytest.MonkeyPatch) -> None:
    store = DraftStore()
    store.save("k", INTAKE, {"demand": "退费"})

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.save("k", INTAKE, {"demand": "新内容"})
    monkeypatch.undo()
    loaded = store.load("k")
    assert loaded is not None and loaded.fields == {"demand": "退费"}
    assert list(store.root.glob(".*.tmp")) == []  # the half-written temporary was removed


def test_damaged_file_is_set_aside_not_listed() -> None:
    store = DraftStore()
    (store.root / "broken.json").write_text("{not json", encoding="utf-8")
    store.save("good", INTAKE, {"phone": "13812345678"})
    assert [d.key for d in store.list()] == ["good"]
    assert (store.root / "broken.damaged").exists()


def test_leftover_temporaries_are_cleaned(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    (store.root / ".k.123.tmp").write_text("half", encoding="utf-8")
    assert store.cleanup_temporaries() == 1
    assert list(store.root.iterdir()) == []


def test_keys_cannot_escape_the_folder() -> None:
    with pytest.raises(ValueError, match="invalid draft key"):
        DraftStore().save("../evil", INTAKE, {})
