"""Compile i18n/<area>/<lang>.po into desktop/locale/<lang>/LC_MESSAGES/<area>.mo (Babel, pure Python)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted((ROOT / "i18n").glob("*/*.po")):
        area, language = po_path.parent.name, po_path.stem
        target = ROOT / "desktop" / "locale" / language / "LC_MESSAGES" / f"{area}.mo"
        if target.exists() and target.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        with target.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


if __name__ == "__main__":
    main()
