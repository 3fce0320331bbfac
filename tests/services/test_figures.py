"""Each headline figure against a hand-built data set, computed by hand from its definition."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop.domain.deadlines import BEIJING
from desktop.domain.figures import BY_KEY, DEFINITIONS, definition
from desktop.domain.workflow import Action
from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.stats import Period
from tests.accounts import open_as

OLD = datetime(2025, 9, 10, 10, 0, tzinfo=BEIJING)


def _new(app: AppServices, received: datetime, phone: str) -> str:
    return app.complaints.create(app.actor, {
        "received_at": received.isoformat(), "channel": "hotline", "category": "billing",
        "customer_name": "张三", "phone": phone, "description": "多扣费", "demand": "退费"}).number


def _answer(app: AppServices, number: str, satisfaction: int | None = None) -> None:
    c, actor = app.complaints, app.actor
    c.transition(actor, number, Action.ACKNOWLEDGE)
    c.transition(actor, number, Action.INVESTIGATE)
    c.transition(actor, number, Action.REPLY, details={"resolution": "已处理", "reply_method": "phone"})
    if satisfaction is not None:
        c.transition(actor, number, Action.FOLLOW_UP, details={"satisfaction": satisfaction})


def test_each_figure_means_what_its_definition_says(services: AppServices, db_url: str) -> None:
    app = services
    recent = datetime.now(BEIJING) - timedelta(hours=5)
    x1 = _new(app, recent, "13800000001")  # answered on time, satisfaction 5, closed, reviewed 80
    _answer(app, x1, 5)
    app.complaints.transition(app.actor, x1, Action.CLOSE)
    x2 = _new(app, OLD, "13800000001")  # answered late, satisfaction 2
    _answer(app, x2, 2)
    x5 = _new(app, recent, "13800000005")  # taken to the regulator: its new clock has just started
    app.complaints.transition(app.actor, x5, Action.RECORD_APPEAL)
    _new(app, OLD + timedelta(days=1), "13800000003")  # never answered, deadline long passed
    x4 = _new(app, recent, "13800000004")  # open, deadline still ahead
    lead = open_as(db_url, "lead9", role="supervisor", display_name="质检员", team=None)
    try:
        lead.quality.draw_sample(lead.actor, datetime.now(BEIJING).strftime("%Y-%m"), 100, seed=1)
        lead.quality.score(lead.actor, x1, {"facts": 25, "articles": 15, "on_time": 20, "letter": 15,
                                            "courtesy": 5, "follow_up": 0})
    finally:
        lead.close()
    t = app.stats.compute(Period(date(2025, 9, 1), datetime.now(BEIJING).date())).totals
    # on time: x1; late: x2 (replied after the deadline) and the unanswered one; x4, x5 not yet owed.
    assert (t.replied_on_time, t.replied_late, t.unanswered_late) == (1, 1, 1)
    assert t.on_time_rate == pytest.approx(1 / 3)
    assert t.repeat_rate == pytest.approx(2 / 5)  # x1 and x2 share a number
    assert t.satisfaction_average == pytest.approx((5 + 2) / 2)
    assert t.appeal_rate == pytest.approx(1 / 5)
    replied = [app.complaints.get(n) for n in (x1, x2)]
    hand = sum((r.reply_at - r.received_at).total_seconds() for r in replied if r.reply_at) / 86400 / 2
    assert t.average_reply_days == pytest.approx(hand, abs=1e-4)
    assert (t.qa_average, t.qa_reviews) == (pytest.approx(80.0), 1)
    assert x4  # received, counted in the denominators above


def test_unanswered_is_late_as_of_the_period_end_not_before_its_deadline(services: AppServices) -> None:
    number = _new(services, OLD, "13800000009")
    due = services.complaints.get(number).reply_due_at.astimezone(BEIJING).date()
    before_due = services.stats.compute(Period(date(2025, 9, 1), due - timedelta(days=1))).totals
    assert (before_due.unanswered_late, before_due.on_time_rate) == (0, None)  # nothing owed yet then
    after_due = services.stats.compute(Period(date(2025, 9, 1), due + timedelta(days=1))).totals
    assert (after_due.unanswered_late, after_due.on_time_rate) == (1, 0.0)
    _answer(services, number)  # answered now, long after the deadline: late either way
    later = services.stats.compute(Period(date(2025, 9, 1), due + timedelta(days=1))).totals
    assert (later.replied_late, later.unanswered_late, later.on_time_rate) == (1, 0, 0.0)


def test_every_figure_has_a_translated_definition() -> None:
    assert [d.key for d in DEFINITIONS] == ["on_time_rate", "repeat_rate", "satisfaction", "appeal_rate",
                                            "handling_days", "qa_score"]
    assert "仍未答复" in definition("on_time_rate")
    set_language("en")
    assert "still unanswered" in BY_KEY["on_time_rate"].display_text
