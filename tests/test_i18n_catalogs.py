"""Chinese first: every user-visible string of the package has a zh_CN translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from desktop.i18n import _, set_language

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalogs() -> dict[str, dict[object, object]]:
    result: dict[str, dict[object, object]] = {}
    for po_path in sorted((ROOT / "i18n").glob("*/zh_CN.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        result[po_path.parent.name] = {
            message.id: message.string for message in catalog if message.id and not message.fuzzy
        }
    return result


def _extracted() -> dict[object, str]:
    found: dict[object, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "desktop"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.setdefault(message, filename)
    return found


def test_every_message_has_a_chinese_translation() -> None:
    catalogs = _catalogs()
    translated = {mid for catalog in catalogs.values() for mid, text in catalog.items()
                  if (text if isinstance(text, str) else all(text))}
    missing = {mid: where for mid, where in _extracted().items() if mid not in translated}
    assert not missing, "untranslated (add them to i18n/<area>/zh_CN.po):\n" + "\n".join(
        f"{where}: {mid!r}" for mid, where in sorted(missing.items(), key=lambda item: item[1]))


def test_shared_messages_are_translated_alike() -> None:
    seen: dict[object, tuple[str, object]] = {}
    conflicts = []
    for area, catalog in _catalogs().items():
        for mid, text in catalog.items():
            if mid in seen and seen[mid][1] != text:
                conflicts.append(f"{mid!r}: {seen[mid][0]}={seen[mid][1]!r} vs {area}={text!r}")
            seen.setdefault(mid, (area, text))
    assert not conflicts, "\n".join(conflicts)


def test_translations_keep_their_placeholders() -> None:
    broken = []
    for area, catalog in _catalogs().items():
        for mid, text in catalog.items():
            ids = mid if isinstance(mid, tuple) else (mid,)
            texts = text if isinstance(text, tuple) else (text,)
            wanted = sorted(PLACEHOLDER.findall(ids[-1]))
            broken += [f"{area}: {mid!r} -> {t!r}" for t in texts if t and sorted(PLACEHOLDER.findall(t)) != wanted]
    assert not broken, "\n".join(broken)


def test_language_switch() -> None:
    assert _("Overdue") == "已超期"
    set_language("en")
    assert _("Overdue") == "Overdue"
    set_language("zh_CN")
    assert _("Overdue") == "已超期"


def test_catalogs_read_from_po_are_the_missing_and_stale_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the GUI benchmark warns about: a catalog the desk would parse from its .po at start."""
    import os

    import desktop.i18n as i18n

    sources, compiled = tmp_path / "i18n", tmp_path / "locale"
    monkeypatch.setattr(i18n, "i18n_source_dir", lambda: sources)
    monkeypatch.setattr(i18n, "compiled_locale_dir", lambda: compiled)
    for area in ("queue", "law"):
        (sources / area).mkdir(parents=True)
        (sources / area / "zh_CN.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert i18n.areas_read_from_po("zh_CN") == ["law", "queue"]  # nothing compiled yet
    (compiled / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    for area in ("queue", "law"):
        (compiled / "zh_CN" / "LC_MESSAGES" / f"{area}.mo").write_bytes(b"")
    assert i18n.areas_read_from_po("zh_CN") == []
    po = sources / "law" / "zh_CN.po"
    later = (compiled / "zh_CN" / "LC_MESSAGES" / "law.mo").stat().st_mtime + 10
    os.utime(po, (later, later))  # the .po edited after it was compiled
    assert i18n.areas_read_from_po("zh_CN") == ["law"]
    assert i18n.areas_read_from_po("en") == []  # English is the source language: no catalog
