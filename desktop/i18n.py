"""The one gettext entry point of the package.

Source strings are English; Chinese (zh_CN) is the default language. Each area
of the package keeps its own catalog under ``i18n/<area>/<lang>.po`` so parallel
work never edits one shared file; at run time the catalogs of all areas are
chained into one translation. Compiled ``.mo`` files (``desktop/locale``) are
used when present and current, otherwise the ``.po`` files are read directly.

Usage::

    from desktop.i18n import _, N_, ngettext
    label = _("Reply deadline")
    CHANNELS = {"hotline": N_("Hotline")}   # marked now, translated at display time
"""

from __future__ import annotations

import gettext
import threading
from collections.abc import Callable
from pathlib import Path

from desktop.paths import compiled_locale_dir, i18n_source_dir

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED_LANGUAGES = ("zh_CN", "en")

_lock = threading.Lock()
# The active language's catalogs are read at its first translated string, not at import: a process
# that translates nothing (``--help`` answers in the default language, though) or switches language
# before its first string reads them once.
_translation: gettext.NullTranslations | None = None
_language = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def _load_po(path: Path) -> gettext.NullTranslations:
    """Build a translation straight from a .po file (development without compiled catalogs)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _source_areas() -> list[str]:
    source_root = i18n_source_dir()
    return sorted(p.name for p in source_root.iterdir() if p.is_dir()) if source_root.is_dir() else []


def catalog_paths(area: str, language: str) -> tuple[Path, Path]:
    """The area's ``.po`` source and its compiled ``.mo``."""
    return (i18n_source_dir() / area / f"{language}.po",
            compiled_locale_dir() / language / "LC_MESSAGES" / f"{area}.mo")


def compiled_is_current(po_path: Path, mo_path: Path) -> bool:
    """Whether ``mo_path`` holds ``po_path``'s catalog: the desk reads it then, and the build
    (packaging/compile_catalogs.py) leaves it as it is."""
    return mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime)


def areas_read_from_po(language: str) -> list[str]:
    """The areas whose compiled catalog is missing or older than its ``.po``: each is parsed at the
    first translated string (tens of milliseconds), as an installed desk never does."""
    if language == "en":
        return []
    stale = []
    for area in _source_areas():
        po_path, mo_path = catalog_paths(area, language)
        if po_path.exists() and not compiled_is_current(po_path, mo_path):
            stale.append(area)
    return stale


def _area_catalogs(language: str) -> list[gettext.NullTranslations]:
    translations: list[gettext.NullTranslations] = []
    areas = _source_areas()
    for area in areas:
        po_path, mo_path = catalog_paths(area, language)
        if compiled_is_current(po_path, mo_path):
            with mo_path.open("rb") as handle:
                translations.append(gettext.GNUTranslations(handle))
        elif po_path.exists():
            translations.append(_load_po(po_path))
    if not areas:
        # A frozen build without the source folder ships only compiled catalogs.
        mo_dir = compiled_locale_dir() / language / "LC_MESSAGES"
        for mo_path in sorted(mo_dir.glob("*.mo")) if mo_dir.is_dir() else []:
            with mo_path.open("rb") as handle:
                translations.append(gettext.GNUTranslations(handle))
    return translations


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` and notify listeners."""
    global _translation, _language
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {SUPPORTED_LANGUAGES}")
    with _lock:
        if language != _language:
            _translation = None  # read at the new language's first string
        _language = language
        listeners = list(_listeners)
    for listener in listeners:
        listener(language)


def current_language() -> str:
    return _language


def babel_locale() -> str:
    """The Babel locale identifier for the active language."""
    return "zh_Hans_CN" if _language == "zh_CN" else "en_US"


def add_language_listener(listener: Callable[[str], None]) -> None:
    with _lock:
        _listeners.append(listener)


def remove_language_listener(listener: Callable[[str], None]) -> None:
    with _lock:
        if listener in _listeners:
            _listeners.remove(listener)


def _active() -> gettext.NullTranslations:
    """The active language's chained catalogs, read on first use."""
    global _translation
    translation = _translation
    if translation is not None:
        return translation
    with _lock:
        if _translation is None:
            _translation = translation_for(_language)
        return _translation


def _(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _active().pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction without translating it yet."""
    return message


def translation_for(language: str) -> gettext.NullTranslations:
    """The translation of ``language`` without switching the active one (e.g. to read both header sets)."""
    if language == "en":
        return gettext.NullTranslations()
    catalogs = _area_catalogs(language)
    chain: gettext.NullTranslations = catalogs[0] if catalogs else gettext.NullTranslations()
    for extra in catalogs[1:]:
        chain.add_fallback(extra)
    return chain
