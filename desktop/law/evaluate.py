"""Measure the suggester on a set of complaint notes with the articles an expert would cite.

The file is tab-separated with a header row: ``description``, ``category`` and ``expected``
(references such as ``电信条例 34`` separated by ``;``, best first); ``id`` and ``why`` are kept
when present. Anyone can measure the ranker on their own cases this way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.domain.codes import Category
from desktop.i18n import _
from desktop.law.model import LawPack
from desktop.law.references import parse_reference

Ref = tuple[str, int]  # statute key, article number
CUTOFFS = (1, 3, 5)
MAX_FILE_BYTES = 5 * 1024 * 1024


class EvaluationFileError(ValueError):
    """The evaluation file cannot be read; the message names the line."""


@dataclass(frozen=True)
class EvaluationCase:
    case_id: str
    category: str | None
    description: str
    expected: tuple[Ref, ...]


@dataclass(frozen=True)
class CaseOutcome:
    case: EvaluationCase
    returned: tuple[Ref, ...]

    def hit_at(self, k: int) -> bool:
        """Top-k: an expected article among the first k suggestions (top-1: the first is expected)."""
        return any(ref in self.case.expected for ref in self.returned[:k])


def _parse_ref(text: str, pack: LawPack, line: int) -> Ref:
    reference = parse_reference(text, pack)
    if reference.statute is None or reference.article is None:
        raise EvaluationFileError(_("line {line}: “{text}” is not an article reference such as 电信条例 34.").format(
            line=line, text=text))
    if reference.article not in {a.number for a in reference.statute.articles}:
        raise EvaluationFileError(_("line {line}: {title} has no article {number}.").format(
            line=line, title=reference.statute.title, number=reference.article))
    return reference.statute.key, reference.article


def read_cases(path: Path, pack: LawPack) -> list[EvaluationCase]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise EvaluationFileError(_("{name} is larger than 5 MB.").format(name=path.name))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise EvaluationFileError(_("{name} is not UTF-8 text.").format(name=path.name)) from error
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
    missing = {"description", "category", "expected"} - set(reader.fieldnames or ())
    if missing:
        raise EvaluationFileError(_("The evaluation file needs the columns: {names}.").format(
            names=", ".join(sorted(missing))))
    categories = {c.value for c in Category}
    cases = []
    for line, row in enumerate(reader, start=2):
        description = (row.get("description") or "").strip()
        category = (row.get("category") or "").strip() or None
        if not description:
            raise EvaluationFileError(_("line {line}: the description is empty.").format(line=line))
        if category is not None and category not in categories:
            raise EvaluationFileError(_("line {line}: unknown category “{category}”.").format(
                line=line, category=category))
        refs = tuple(_parse_ref(part.strip(), pack, line) for part in (row.get("expected") or "").split(";")
                     if part.strip())
        if not refs:
            raise EvaluationFileError(_("line {line}: no expected article.").format(line=line))
        cases.append(EvaluationCase((row.get("id") or str(line - 1)).strip(), category, description, refs))
    if not cases:
        raise EvaluationFileError(_("{name} holds no cases.").format(name=path.name))
    return cases


def evaluate(cases: Sequence[EvaluationCase],
             suggest: Callable[[str, str | None], Sequence[Ref]]) -> list[CaseOutcome]:
    return [CaseOutcome(case, tuple(suggest(case.description, case.category))) for case in cases]


def _rates(outcomes: Sequence[CaseOutcome]) -> dict[str, Any]:
    total = len(outcomes)
    figures: dict[str, Any] = {"cases": total}
    for k in CUTOFFS:
        hits = sum(o.hit_at(k) for o in outcomes)
        figures[f"top{k}"] = {"hits": hits, "rate": round(hits / total, 3) if total else 0.0}
    return figures


def summary(outcomes: Sequence[CaseOutcome]) -> dict[str, Any]:
    """top-1/3/5 overall and per category, and each miss (top-5) with what was returned."""
    by_category: dict[str, list[CaseOutcome]] = {}
    for outcome in outcomes:
        by_category.setdefault(outcome.case.category or "", []).append(outcome)
    return {
        **_rates(outcomes),
        "by_category": {category: _rates(group) for category, group in sorted(by_category.items())},
        "misses": [
            {"id": o.case.case_id, "category": o.case.category, "description": o.case.description,
             "expected": [f"{key} {number}" for key, number in o.case.expected],
             "returned": [f"{key} {number}" for key, number in o.returned]}
            for o in outcomes if not o.hit_at(5)
        ],
    }
