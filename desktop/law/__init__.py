"""Law quick-reference: the bundled statute pack, search, suggestions and citations.

Domain logic only (no Qt, no ORM). Typical use::

    from desktop.law import LawIndex, load_pack
    pack = load_pack()
    index = LawIndex(pack)
    hits = index.search("电信条例 第三十九条")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.law.citation import Citation
    from desktop.law.diff import ArticleChange, PackDiff, diff_packs
    from desktop.law.index import LawIndex, SearchHit
    from desktop.law.loader import PackValidationError, load_pack, validate_pack
    from desktop.law.model import (
        Article,
        CaseExample,
        CaseReference,
        Grade,
        Guidance,
        Item,
        LawPack,
        Statute,
        StatuteStatus,
        grade_label,
        status_label,
    )
    from desktop.law.store import import_pack, load_active_pack
    from desktop.law.suggest import SiteEvidence, Suggestion

# The package's names are imported from their modules on first use: a caller wanting a citation or
# a grade (as the queue's first page does, through the case reads) does not load the search index,
# the word segmenter or the pack loader with them.
_HOME = {
    "Article": "desktop.law.model",
    "ArticleChange": "desktop.law.diff",
    "CaseExample": "desktop.law.model",
    "CaseReference": "desktop.law.model",
    "Citation": "desktop.law.citation",
    "Grade": "desktop.law.model",
    "Guidance": "desktop.law.model",
    "Item": "desktop.law.model",
    "LawIndex": "desktop.law.index",
    "LawPack": "desktop.law.model",
    "PackDiff": "desktop.law.diff",
    "PackValidationError": "desktop.law.loader",
    "SearchHit": "desktop.law.index",
    "SiteEvidence": "desktop.law.suggest",
    "Statute": "desktop.law.model",
    "StatuteStatus": "desktop.law.model",
    "Suggestion": "desktop.law.suggest",
    "diff_packs": "desktop.law.diff",
    "grade_label": "desktop.law.model",
    "import_pack": "desktop.law.store",
    "load_active_pack": "desktop.law.store",
    "load_pack": "desktop.law.loader",
    "status_label": "desktop.law.model",
    "validate_pack": "desktop.law.loader",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Article",
    "ArticleChange",
    "CaseExample",
    "CaseReference",
    "Citation",
    "Grade",
    "Guidance",
    "Item",
    "LawIndex",
    "LawPack",
    "PackDiff",
    "PackValidationError",
    "SearchHit",
    "SiteEvidence",
    "Statute",
    "StatuteStatus",
    "Suggestion",
    "diff_packs",
    "grade_label",
    "import_pack",
    "load_active_pack",
    "load_pack",
    "status_label",
    "validate_pack",
]
