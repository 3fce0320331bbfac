"""Drafts on disk: encrypted, atomic writes, listing newest first, damaged files set aside,
per user, and never offered while another running desk has them open."""

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
    on_disk = (store.root / f"{key}.draft").read_bytes()
    for clear in ("王芳", "第一行", "TS-20260302-0001", "customer_name"):
        assert clear.encode("utf-8") not in on_disk  # no personal data in clear text
    with pytest.raises(ValueError):
        json.loads(on_disk)


def test_the_key_lives_in_the_profile_owner_only_and_tampering_is_caught() -> None:
    from desktop.paths import user_config_dir

    store = DraftStore()
    store.save("k1", INTAKE, {"phone": "13812345678"})
    key_file = user_config_dir() / "draft.key"
    assert len(key_file.read_bytes()) == 32
    if os.name == "posix":
        assert key_file.stat().st_mode & 0o077 == 0
    assert not key_file.is_relative_to(store.root)
    path = store.root / "k1.draft"
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    path.write_bytes(bytes(blob))
    assert store.load("k1") is None  # authentication fails: set aside, not trusted
    assert (store.root / "k1.damaged").exists()


def test_each_desk_user_sees_only_their_own_drafts() -> None:
    DraftStore(owner="wangfang").save("w1", INTAKE, {"phone": "1"})
    DraftStore(owner="lilei").save("l1", INTAKE, {"phone": "2"})
    assert [d.key for d in DraftStore(owner="wangfang").list(INTAKE)] == ["w1"]
    assert [d.key for d in DraftStore(owner="lilei").list(INTAKE)] == ["l1"]


def test_a_draft_open_in_another_running_desk_is_not_a_leftover(tmp_path: Path) -> None:
    """Another process holds the draft's lock: not listed; once that process is gone, it is."""
    import subprocess
    import sys
    import textwrap

    store = DraftStore(owner="tester")
    store.save("other", INTAKE, {"customer_name": "孙悦"})
    with subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys
        from desktop.services.drafts import DraftStore
        assert DraftStore(owner="tester").claim("other")
        print("claimed", flush=True)
        sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[2]) as child:
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "claimed"
            assert store.list(INTAKE, leftovers_only=True) == []
            assert [d.key for d in store.list(INTAKE)] == ["other"]
            assert not store.claim("other")
        finally:
            child.kill()
            child.wait(timeout=10)
    assert [d.key for d in store.list(INTAKE, leftovers_only=True)] == ["other"]  # its desk died: a leftover now
    assert store.claim("other")
    store.release("other")


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
    (store.root / "broken.draft").write_text("{not json", encoding="utf-8")
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


def test_clear_text_drafts_of_an_earlier_version_are_encrypted_on_first_use() -> None:
    root = user_data_dir() / "drafts"
    root.mkdir(parents=True, exist_ok=True)
    legacy = {"format": 1, "key": "old1", "kind": INTAKE, "saved_at": "2026-11-01T08:00:00+00:00",
              "number": None, "fields": {"customer_name": "旧草稿", "id_number": "11010519491231002X"}, "extra": {}}
    (root / "old1.json").write_text(json.dumps(legacy, ensure_ascii=False), encoding="utf-8")
    store = DraftStore(owner="wangfang")
    assert not (root / "old1.json").exists()
    assert "旧草稿".encode() not in (root / "old1.draft").read_bytes()
    assert [d.fields["customer_name"] for d in store.list(INTAKE)] == ["旧草稿"]
