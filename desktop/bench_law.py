"""Suggestion benchmark at scale: ``python -m desktop.bench_law --db URL [--cite-share 0.25] --json``.

A demo store has no citations, so first (once) a share of its complaints is given the citations
the suggester itself proposes for them — what agents accepting suggestions would leave behind —
written in bulk with the same ``case_terms`` rows the citing service keeps. Then every note of
the frozen test set is suggested for with the similar-case signal on, and the median and worst
times are printed. Writes into the store it is given: use a copy of a demo store.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from desktop.law import Citation, LawIndex
from desktop.law.evaluate import read_cases
from desktop.services.app import AppServices
from desktop.services.demo import demo_admin_seat
from desktop.services.law_learning import complaint_terms
from desktop.store.maintenance import analyze
from desktop.store.models import CaseTerm, Complaint, ComplaintCitation

TEST_SET = Path(__file__).resolve().parents[1] / "tests" / "law" / "eval" / "test_set.tsv"


def seed_citations(app: AppServices, index: LawIndex, share: float, seed: int = 5) -> int:
    """Cite the top suggestion (and sometimes the second) on ``share`` of the complaints."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    per_text: dict[tuple[str, str, str], tuple[list[Citation], list[str]]] = {}
    written = 0
    with app.sessions.begin() as session:
        rows = session.execute(select(Complaint.id, Complaint.category, Complaint.description, Complaint.demand)
                               .execution_options(yield_per=20000))
        citations: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        for complaint_id, category, description, demand in rows:
            if rng.random() >= share:
                continue
            key = (category, description, demand)
            if key not in per_text:
                found = index.suggest(f"{description}\n{demand}", category, limit=2)
                per_text[key] = ([Citation.of(s.statute, s.article) for s in found if not s.fallback],
                                 complaint_terms(description, demand))
            chosen, words = per_text[key]
            for citation in chosen[: rng.choice((1, 1, 2))]:
                citations.append({
                    "complaint_id": complaint_id, "statute_key": citation.statute_key,
                    "statute_title": citation.statute_title, "article": citation.article, "paragraph": None,
                    "item": None, "pack_version": index.pack.pack_version, "version_date": citation.version_date,
                    "text": citation.text, "grade": citation.grade.value, "confirmed_by_agent": False,
                    "created_by_id": app.actor.id, "created_at": now})
            terms.extend({"complaint_id": complaint_id, "term": word} for word in words)
            written += 1
            if len(citations) >= 20000:
                session.execute(insert(ComplaintCitation), citations)
                session.execute(insert(CaseTerm), terms)
                citations, terms = [], []
        if citations:
            session.execute(insert(ComplaintCitation), citations)
            session.execute(insert(CaseTerm), terms)
    analyze(app.engine)
    return written


def run(url: str, share: float) -> dict[str, Any]:
    app = demo_admin_seat(url)
    try:
        index = LawIndex(app.law_pack)
        index.suggest("宽带", "broadband")  # build the segmenter and BM25 first
        with app.sessions() as session:
            cited = session.execute(select(func.count(func.distinct(CaseTerm.complaint_id)))).scalar_one()
            total = session.execute(select(func.count(Complaint.id))).scalar_one()
        seeded = 0
        if cited == 0:
            started = time.perf_counter()
            seeded = seed_citations(app, index, share)
            sys.stderr.write(f"seeded citations on {seeded} complaints in {time.perf_counter() - started:.0f} s\n")
            cited = seeded
        cases = read_cases(TEST_SET, app.law_pack)
        timings, similar = [], []
        for _round in range(3):
            for case in cases:
                began = time.perf_counter()
                site = app.law_learning.evidence(case.description, case.category)
                index.suggest(case.description, case.category, site=site)
                timings.append((time.perf_counter() - began) * 1000)
                similar.append(site.similar_cases)
        return {"complaints": total, "cited_complaints": cited, "notes": len(timings),
                "median_ms": round(statistics.median(timings), 2), "max_ms": round(max(timings), 2),
                "p95_ms": round(sorted(timings)[int(len(timings) * 0.95)], 2),
                "median_similar_cases": statistics.median(similar), "target_median_ms": 20}
    finally:
        app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a demo store (a copy: it is written)")
    parser.add_argument("--cite-share", type=float, default=0.25)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.db, args.cite_share)
    sys.stdout.write((json.dumps(result, ensure_ascii=False) if args.json else
                      "\n".join(f"{key}: {value}" for key, value in result.items())) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
