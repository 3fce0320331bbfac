"""Law quick-reference: the bundled statute pack, search, suggestions and citations.

Domain logic only (no Qt, no ORM). Typical use::

    from desktop.law import LawIndex, load_pack
    pack = load_pack()
    index = LawIndex(pack)
    hits = index.search("电信条例 第三十九条")
"""

from __future__ import annotations

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
