"""Compile i18n/<area>/<lang>.po into desktop/locale/<lang>/LC_MESSAGES/<area>.mo (Babel, pure Python),
then key the pickers' labels in every language with pypinyin into desktop/locale/pinyin-keys.json, so
the desk need not load pypinyin's dictionaries to match them (desktop/domain/pick_match.py)."""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
# The catalogs' places, the labels and pick_match come from this tree's package, even where another
# checkout is installed.
sys.path.insert(0, str(ROOT))
PINYIN_SOURCES = [ROOT / "desktop" / "domain" / "codes.py", ROOT / "desktop" / "domain" / "pick_match.py"]


def main() -> None:
    from desktop.i18n import catalog_paths, compiled_is_current

    po_paths = sorted((ROOT / "i18n").glob("*/*.po"))
    for po_path in po_paths:
        _source, target = catalog_paths(po_path.parent.name, po_path.stem)
        if compiled_is_current(po_path, target):  # the rule the desk reads catalogs by
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.stem)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    write_pinyin_keys([*po_paths, *PINYIN_SOURCES])


def write_pinyin_keys(sources: list[Path]) -> None:
    """Rewrite the table when a catalog, the labels or pypinyin changed since it was written."""
    from desktop.domain.pick_match import pinyin_table_path, write_pinyin_table
    from desktop.i18n import SUPPORTED_LANGUAGES

    table = pinyin_table_path()
    if table.exists() and all(table.stat().st_mtime >= source.stat().st_mtime for source in sources):
        written_with = json.loads(table.read_text(encoding="utf-8")).get("pypinyin")
        if written_with == version("pypinyin"):
            return
    write_pinyin_table(table, SUPPORTED_LANGUAGES)


if __name__ == "__main__":
    main()
