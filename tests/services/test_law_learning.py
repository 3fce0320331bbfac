"""Suggestions learn from what agents at this site cited on similar cases (counts only)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.law import LawIndex
from desktop.law.citation import Citation
from desktop.services.app import AppServices
from desktop.store.models import CaseTerm
from tests.accounts import open_as

OPTICAL_MODEM = {
    "received_at": "2026-11-02T09:30:00+08:00", "channel": "hotline", "category": "broadband",
    "customer_name": "周敏", "phone": "13900001234",
    "description": "光猫指示灯一直闪红灯，师傅说光猫老化要自己花钱换新的",
    "demand": "要求免费更换光猫",
}
ARTICLE = ("consumer-protection-law", 24)  # repair or replacement of a service's equipment


def _cite(app: AppServices, number: str, statute_key: str, article: int) -> None:
    statute = app.law_pack.statute_by_key(statute_key)
    app.citations.add(app.actor, number, Citation.of(statute, statute.article(article)))


def _seed(app: AppServices, cases: int) -> list[str]:
    numbers = []
    for serial in range(cases):
        record = app.complaints.create(app.actor, dict(OPTICAL_MODEM, phone=f"1390000{serial:04d}"))
        _cite(app, record.number, *ARTICLE)
        numbers.append(record.number)
    return numbers


def _learned(app: AppServices, text: str, category: str,
             **kwargs: int) -> dict[tuple[str, int], tuple[float, list[str]]]:
    site = app.law_learning.evidence(text, category, **kwargs)
    found = LawIndex(app.law_pack).suggest(text, category, limit=8, site=site)
    return {(s.statute.key, s.article.number): (s.score, s.reasons) for s in found}


def _check_learning(app: AppServices) -> None:
    numbers = _seed(app, 4)
    with app.sessions() as session:  # each cited complaint's words are kept once
        kept = session.execute(select(func.count(func.distinct(CaseTerm.complaint_id)))).scalar_one()
    assert kept == 4

    note = "客户家光猫闪红灯，说换光猫要收钱"
    evidence = app.law_learning.evidence(note, "broadband")
    assert evidence.similar_cited[ARTICLE] == 4 and evidence.similar_cases == 4
    learned = _learned(app, note, "broadband")
    score, reasons = learned[ARTICLE]
    assert any("4 件类似案件" in reason for reason in reasons)
    # Only counts: no other customer's name, number or words appear in any reason.
    assert not any("周敏" in r or "1390000" in r for _s, rs in learned.values() for r in rs)

    # The case being worked on does not count as its own evidence.
    assert app.law_learning.evidence(note, "broadband", exclude_complaint_id=None).similar_cited[ARTICLE] == 4
    own_id = app.complaints.get(numbers[0]).id
    assert app.law_learning.evidence(note, "broadband", exclude_complaint_id=own_id).similar_cited[ARTICLE] == 3

    # A note about something else finds no similar cases.
    assert not app.law_learning.evidence("携号转网一直办不了", "porting").similar_cited

    # The site can switch learning off: the same note then ranks on the pack alone.
    app.site.set(app.actor, "law_learning", False)
    assert app.law_learning.evidence(note, "broadband").similar_cited == {}
    unlearned = _learned(app, note, "broadband")
    assert ARTICLE not in unlearned or unlearned[ARTICLE][0] < score


def test_similar_cases_raise_what_they_cited_on_sqlite(services: AppServices) -> None:
    _check_learning(services)


@pytest.mark.postgres
def test_similar_cases_raise_what_they_cited_on_postgresql(postgres_url: str) -> None:
    app = open_as(postgres_url, "pglead", role="admin")
    try:
        _check_learning(app)
    finally:
        app.close()


def test_category_fallback_uses_the_sites_most_cited_articles(services: AppServices) -> None:
    _seed(services, 3)
    site = services.law_learning.evidence("网络不好", "broadband")
    assert site.category_top()[0] == (ARTICLE, 3)
    suggestions = LawIndex(services.law_pack).suggest("有点问题", "broadband", limit=8, site=site)
    labelled = [s for s in suggestions if s.fallback and (s.statute.key, s.article.number) == ARTICLE]
    assert labelled and "最常引用" in labelled[0].reasons[0]
