"""Queue search: what a typed query means, and the SQL condition that finds it fast.

Three shapes of query, decided from the text alone (pure, testable without a database):

* a complaint number (``TS-20261123-0042``, or a prefix such as ``TS-20261123``) → the unique
  number index;
* a phone number (a mobile or a landline with area code) → the ``(phone, received_at)`` index;
* free text → on SQLite, FTS5 trigram ``MATCH`` for terms of three or more characters, and a
  ``LIKE`` over the plain table for one- or two-character terms (trigram cannot match those, and
  on SQLite 3.40 a short ``LIKE`` against the trigram table silently finds nothing); on other
  databases ``ILIKE``.

Common terms are better served by walking the queue's sort index and testing each row with
``like_condition`` than by reading a long trigram doclist and sorting it (see
``desktop.services.queue``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select, text

from desktop.domain.validation import FieldError, normalize_phone
from desktop.store.models import Complaint

TRIGRAM = 3
_NUMBER = re.compile(r"^TS-?(\d{1,8})(?:-(\d{1,6})|(\d{4,6}))?$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[+\d\s()\-]{7,}$")
TEXT_COLUMNS = (Complaint.customer_name, Complaint.description, Complaint.demand, Complaint.address)


class SearchKind(StrEnum):
    NONE = "none"
    NUMBER = "number"
    PHONE = "phone"
    TEXT = "text"


@dataclass(frozen=True)
class ParsedSearch:
    kind: SearchKind
    value: str = ""  # the normalised number (prefix) or phone
    long_terms: tuple[str, ...] = ()  # ≥ 3 characters: full-text index
    short_terms: tuple[str, ...] = ()  # 1–2 characters: LIKE on the table


def parse_search(raw: str) -> ParsedSearch:
    # Control characters (NUL) and lone surrogates cannot be stored, so they cannot match: drop them
    # rather than hand the database a string it refuses.
    query = " ".join("".join(c for c in raw if unicodedata.category(c) not in ("Cc", "Cs")).split())
    if not query:
        return ParsedSearch(SearchKind.NONE)
    number = _NUMBER.match(query)
    if number:
        day, dashed, glued = number.groups()
        serial = dashed if dashed is not None else glued
        if serial is not None and len(day) == 8:
            return ParsedSearch(SearchKind.NUMBER, f"TS-{day}-{int(serial):04d}")
        return ParsedSearch(SearchKind.NUMBER, f"TS-{day}")
    if _PHONE_CHARS.match(query) and sum(c.isdigit() for c in query) >= 7:
        try:
            return ParsedSearch(SearchKind.PHONE, normalize_phone(query))
        except FieldError:
            pass  # digits that are no phone number: search them as text (an address, an amount)
    terms = tuple(dict.fromkeys(query.split(" ")))
    return ParsedSearch(
        SearchKind.TEXT,
        long_terms=tuple(t for t in terms if len(t) >= TRIGRAM),
        short_terms=tuple(t for t in terms if len(t) < TRIGRAM),
    )


def fts_phrase(term: str) -> str:
    """An FTS5 string literal: the term as one phrase, quotes doubled (no query syntax leaks in)."""
    return '"' + term.replace('"', '""') + '"'


def fts_query(parsed: ParsedSearch) -> str:
    """The FTS5 MATCH string for the long terms (all must occur)."""
    return " AND ".join(fts_phrase(t) for t in parsed.long_terms)


def walk_agrees_with_index(parsed: ParsedSearch) -> bool:
    """Whether ``like_condition`` finds exactly what the trigram index finds for the long terms.

    The trigram tokenizer also folds non-ASCII letters (full-width Ｌａｔｉｎ, Greek, Cyrillic)
    while ``LIKE`` does not; queries with such letters always use the index, so one query never
    gives two answers depending on which plan ran.
    """
    return not any(not c.isascii() and c.lower() != c.upper() for t in parsed.long_terms for c in t)


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _any_column_like(term: str, *, ignore_case: bool) -> ColumnElement[bool]:
    pattern = _like_pattern(term)
    if ignore_case:
        return or_(*(column.ilike(pattern, escape="\\") for column in TEXT_COLUMNS))
    return or_(*(column.like(pattern, escape="\\") for column in TEXT_COLUMNS))


def search_condition(parsed: ParsedSearch, dialect: str, *,
                     drive_from_filter: bool = False) -> ColumnElement[bool] | None:
    """The WHERE condition for ``parsed`` on ``dialect`` (``None``: no search).

    ``drive_from_filter``: on SQLite, let the filter's index lead instead of the full-text doclist
    (cheaper for counting a common term inside a saved filter).
    """
    if parsed.kind == SearchKind.NONE:
        return None
    if parsed.kind == SearchKind.NUMBER:
        if len(parsed.value) > len("TS-20260101-"):
            return Complaint.number == parsed.value
        # A prefix as a range, so the unique index serves it on every database.
        return and_(Complaint.number >= parsed.value, Complaint.number < parsed.value + "\uffff")
    if parsed.kind == SearchKind.PHONE:
        return Complaint.phone == parsed.value
    conditions: list[ColumnElement[bool]] = []
    if dialect == "sqlite":
        if parsed.long_terms:
            matching_ids: Select[Any] = select(literal_column("rowid")).select_from(text("complaints_fts")).where(
                text("complaints_fts MATCH :fts_query").bindparams(fts_query=fts_query(parsed)))
            # ``+id`` keeps SQLite from driving the query from the doclist: a count then walks the
            # filter's covering index and probes the id set, with no table row read at all.
            key = literal_column("+complaints.id") if drive_from_filter else Complaint.id
            conditions.append(key.in_(matching_ids))
        conditions.extend(_any_column_like(t, ignore_case=False) for t in parsed.short_terms)
    else:
        terms = parsed.long_terms + parsed.short_terms
        conditions.extend(_any_column_like(t, ignore_case=True) for t in terms)
    return and_(*conditions)


def like_condition(parsed: ParsedSearch) -> ColumnElement[bool] | None:
    """Every term by ``LIKE`` on the plain table (SQLite; what ``row_matches`` computes)."""
    terms = parsed.long_terms + parsed.short_terms
    return and_(*(_any_column_like(t, ignore_case=False) for t in terms)) if terms else None


def describe(parsed: ParsedSearch) -> dict[str, Any]:
    """For logs and the benchmark: which path a query took."""
    return {"kind": parsed.kind.value, "value": parsed.value, "fts": list(parsed.long_terms),
            "like": list(parsed.short_terms)}
