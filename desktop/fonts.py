"""The one CJK font shared by the PDF letters and the Qt interface.

Kept free of Qt so the letter renderer (no Qt) and the widgets use the same
file. The font is bundled because a counter PC may have no Chinese system font
and a letter must look the same wherever it is opened.

``DroidSansFallbackFull.ttf`` — Droid Sans Fallback, © 2006–2010 Google Corp.,
Apache License 2.0 (``resources/fonts/LICENSE-Apache-2.0.txt``). It is a
TrueType (glyf) font, which reportlab can embed as a subset.
"""

from __future__ import annotations

from pathlib import Path

from desktop.paths import resource_path

CJK_FONT_FILE = "fonts/DroidSansFallbackFull.ttf"
CJK_FONT_LICENSE_FILE = "fonts/LICENSE-Apache-2.0.txt"
CJK_FONT_FAMILY = "Droid Sans Fallback"


def cjk_font_path() -> Path:
    """Path of the bundled Chinese TrueType font; raises if the bundle is incomplete."""
    path = resource_path(CJK_FONT_FILE)
    if not path.is_file():
        raise FileNotFoundError(f"bundled CJK font missing: {path}")
    return path


def cjk_font_license_path() -> Path:
    return resource_path(CJK_FONT_LICENSE_FILE)
