"""Quality review: the sample drawn, scores checked against the checklist, who sees what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from desktop.domain.deadlines import BEIJING
from desktop.domain.quality import DEFAULT_CHECKLIST, ChecklistError, parse_checklist, score_review
from desktop.domain.validation import FieldError
from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.errors import PermissionDeniedError
from tests.supervision import closed_case, team_seats

FULL = {"facts": 25, "articles": 15, "on_time": 20, "letter": 15, "courtesy": 15, "follow_up": 10}


@pytest.fixture
def seats(services: AppServices, db_url: str) -> Iterator[dict[str, AppServices]]:
    with team_seats(db_url, "lead", "wang", "zhou") as opened:
        set_language("en")
        yield opened


_closed = closed_case


def _month() -> str:
    return datetime.now(BEIJING).strftime("%Y-%m")


def test_checklist_and_score_arithmetic() -> None:
    set_language("en")
    items = parse_checklist(list(DEFAULT_CHECKLIST))
    assert sum(i.weight for i in items) == 100
    assert score_review(items, FULL) == (FULL, 100.0)
    given, score = score_review(items, {**FULL, "facts": 10, "courtesy": 0})
    assert score == 70.0 and given["facts"] == 10
    with pytest.raises(ChecklistError, match="from 0 to 25"):
        score_review(items, {**FULL, "facts": 26})
    with pytest.raises(ChecklistError, match="has no points"):
        score_review(items, {"facts": 1})
    with pytest.raises(ChecklistError, match="twice"):
        parse_checklist([{"key": "a", "label": "A", "weight": 1}, {"key": "a", "label": "B", "weight": 2}])
    odd = parse_checklist([{"key": "a", "label": "A", "weight": 1}, {"key": "b", "label": "B", "weight": 2}])
    assert score_review(odd, {"a": 1, "b": 0})[1] == pytest.approx(33.33)


def test_sample_takes_a_share_per_agent_plus_every_low_satisfaction_case(seats: dict[str, AppServices]) -> None:
    wang, zhou, lead = seats["wang"], seats["zhou"], seats["lead"]
    wang_cases = [_closed(wang) for _ in range(4)]
    unhappy = _closed(wang, satisfaction=2)
    zhou_case = _closed(zhou)
    sampled = lead.quality.draw_sample(lead.actor, _month(), 20, seed=1)
    # wang: 5 closed → ceil(20% of 5) = 1, which the unhappy case already fills; zhou: ceil(0.2) = 1.
    assert set(sampled) == {unhappy, zhou_case}
    assert not set(sampled) & set(wang_cases)
    assert lead.quality.draw_sample(lead.actor, _month(), 20, seed=1) == []  # nothing is drawn twice
    reasons = {r.number: r.reason for r in lead.quality.reviews(lead.actor, _month())}
    assert reasons == {unhappy: "low_satisfaction", zhou_case: "random"}
    with pytest.raises(PermissionDeniedError):
        wang.quality.draw_sample(wang.actor, _month())
    with pytest.raises(FieldError, match="not a month"):
        lead.quality.draw_sample(lead.actor, "2026-13")


def test_scores_are_kept_and_agents_see_only_their_own(seats: dict[str, AppServices]) -> None:
    wang, zhou, lead = seats["wang"], seats["zhou"], seats["lead"]
    mine, theirs = _closed(wang, satisfaction=1), _closed(zhou, satisfaction=2)
    lead.quality.draw_sample(lead.actor, _month(), 5, seed=3)
    review = lead.quality.score(lead.actor, mine, {**FULL, "courtesy": 5}, item_comments={"courtesy": "语气生硬"},
                                comment="整体尚可")
    assert review.score == 90.0 and review.items["courtesy"] == {"points": 5, "comment": "语气生硬"}
    assert review.reviewer_name == "李组长"
    with pytest.raises(PermissionDeniedError):
        wang.quality.score(wang.actor, theirs, FULL)
    with pytest.raises(FieldError, match="from 0 to 20"):
        lead.quality.score(lead.actor, theirs, {**FULL, "on_time": 30})
    assert [r.number for r in wang.quality.reviews(wang.actor)] == [mine]
    assert {r.number for r in lead.quality.reviews(lead.actor)} == {mine, theirs}
    today = datetime.now(BEIJING).date()
    assert lead.quality.average_score(today, today) == (90.0, 1)
    assert ("qa_review", None) in [(e.kind, e.action) for e in lead.complaints.events(mine)]


def test_auto_assignment_round_robin_and_least_load(seats: dict[str, AppServices], services: AppServices) -> None:
    wang, admin = seats["wang"], services  # the site's settings are the admin's (permissions.py)

    def new() -> str | None:
        return wang.complaints.create(wang.actor, {
            "received_at": datetime.now(BEIJING).isoformat(), "channel": "hotline", "category": "billing",
            "customer_name": "李四", "phone": "13900000002", "description": "无信号", "demand": "修复"},
        ).assigned_agent_name

    assert new() == "王芳"  # off: whoever registers it
    admin.site.set(admin.actor, "auto_assign", "round_robin")
    assert [new(), new(), new()] == ["周杰", "王芳", "周杰"]  # logins: wang, zhou
    admin.site.set(admin.actor, "auto_assign", "least_load")
    assert new() == "王芳"  # 2 open each: the first by login
    assert new() == "周杰"  # wang 3 open, zhou 2
