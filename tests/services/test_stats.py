"""Statistics against a small real store whose figures are known by construction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from desktop.domain.deadlines import BEIJING
from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from desktop.services.stats import Period, PeriodError, Statistics, StatsService, parse_day
from tests.accounts import open_as

PERIOD_START = date(2025, 9, 1)
P1, P2, P3, P4, P5 = "13800000001", "13800000002", "13800000003", "13800000004", "13800000005"


def _create(services: AppServices, received_at: datetime, category: str, channel: str, phone: str) -> str:
    return services.complaints.create(services.actor, {
        "received_at": received_at.isoformat(), "channel": channel, "category": category,
        "customer_name": "张三", "phone": phone, "description": "客户反映账单多扣费。", "demand": "要求退费",
    }).number


def _reply(services: AppServices, number: str, compensation: str | None = None) -> None:
    c, actor = services.complaints, services.actor
    c.transition(actor, number, Action.ACKNOWLEDGE)
    c.transition(actor, number, Action.INVESTIGATE)
    details: dict[str, Any] = {"resolution": "已退费", "reply_method": "phone"}
    if compensation is not None:
        details["compensation"] = compensation
    c.transition(actor, number, Action.REPLY, details=details)


def build_known_store(services: AppServices) -> dict[str, str]:
    """Seven complaints in the period (2025-09-01 … today) and one before it.

    Received long ago and replied now = late; received yesterday and replied now = on time.
    """
    old = datetime(2025, 9, 10, 10, 0, tzinfo=BEIJING)
    recent = datetime.now(BEIJING) - timedelta(days=1)
    c, actor = services.complaints, services.actor
    n: dict[str, str] = {}
    n["A"] = _create(services, old, "billing", "hotline", P1)
    _reply(services, n["A"], "12.34")
    c.transition(actor, n["A"], Action.FOLLOW_UP, details={"satisfaction": 4})
    n["B"] = _create(services, old + timedelta(days=1), "network", "counter", P1)
    _reply(services, n["B"], "50")
    c.transition(actor, n["B"], Action.FOLLOW_UP, details={"satisfaction": 2})
    n["C"] = _create(services, recent, "billing", "hotline", P2)
    _reply(services, n["C"])
    n["D"] = _create(services, old + timedelta(days=2), "broadband", "hotline", P3)
    c.transition(actor, n["D"], Action.MARK_INVALID, details={"invalid_reason": "anonymous"})
    n["E"] = _create(services, old + timedelta(days=3), "billing", "online", P4)  # open, long overdue
    n["F"] = _create(services, recent, "network", "hotline", P1)  # open, due later
    n["H"] = _create(services, recent, "other", "email", P5)
    c.transition(actor, n["H"], Action.RECORD_APPEAL, details={"appeal_reference": "工信部2025-1"})
    n["G"] = _create(services, datetime(2025, 8, 15, 9, 0, tzinfo=BEIJING), "billing", "hotline", P2)  # before
    return n


def known_period() -> Period:
    return Period(PERIOD_START, datetime.now(BEIJING).date())


def check_known_totals(stats: Statistics, services: AppServices, numbers: dict[str, str]) -> None:
    t = stats.totals
    assert (t.received, t.valid, t.invalid, t.open, t.overdue_open) == (7, 6, 1, 3, 1)
    assert (t.replied_on_time, t.replied_late, t.unanswered_late) == (1, 2, 1)
    assert t.on_time_rate == pytest.approx(1 / 4)  # E, unanswered past its deadline, counts late
    assert (t.repeat_numbers, t.repeat_complaints) == (1, 3)
    assert t.appeals == 1
    assert t.compensation == Decimal("62.34") and t.compensation_cases == 2
    assert (t.satisfaction_count, t.satisfaction_average) == (2, pytest.approx(3.0))
    replied = [services.complaints.get(numbers[k]) for k in "ABC"]
    expected_days = sum((r.reply_at - r.received_at).total_seconds() for r in replied if r.reply_at) / 86400 / 3
    assert t.average_reply_days == pytest.approx(expected_days, abs=1e-4)


def test_totals_match_the_hand_computed_figures(services: AppServices) -> None:
    numbers = build_known_store(services)
    check_known_totals(services.stats.compute(known_period()), services, numbers)


def test_breakdowns_by_category_channel_time_and_agent(services: AppServices) -> None:
    build_known_store(services)
    stats = services.stats.compute(known_period())
    categories = {row.key: (row.received, row.replied_on_time, row.replied_late) for row in stats.by_category}
    assert categories == {"billing": (3, 1, 1), "network": (2, 0, 1), "broadband": (1, 0, 0), "other": (1, 0, 0)}
    assert [row.key for row in stats.by_category][:2] == ["billing", "network"]  # largest first
    billing = stats.by_category[0]
    assert billing.on_time_rate == pytest.approx(1 / 3) and billing.overdue_open == 1
    assert {row.key: row.received for row in stats.by_channel} == {"hotline": 4, "counter": 1, "online": 1,
                                                                   "email": 1}
    assert stats.bucket == "week"  # more than 62 days
    assert sum(row.received for row in stats.by_time) == 7
    assert all(date.fromisoformat(row.key).weekday() == 0 for row in stats.by_time)
    assert stats.by_agent is not None and len(stats.by_agent) == 1
    agent = stats.by_agent[0]
    assert (agent.name, agent.received, agent.open, agent.overdue_open, agent.replied) == ("测试员", 7, 3, 1, 3)
    assert agent.satisfaction_average == pytest.approx(3.0)


def test_a_short_period_is_daily_and_excludes_other_days(services: AppServices) -> None:
    build_known_store(services)
    stats = services.stats.compute(Period(date(2025, 9, 10), date(2025, 9, 12)))
    assert stats.bucket == "day"
    assert [(row.key, row.received) for row in stats.by_time] == [
        ("2025-09-10", 1), ("2025-09-11", 1), ("2025-09-12", 1)]
    assert stats.totals.repeat_numbers == 1  # A and B share P1 within these three days
    before = services.stats.compute(Period(date(2025, 8, 1), date(2025, 8, 31)))
    assert before.totals.received == 1 and before.totals.repeat_numbers == 0


def test_agents_see_only_their_own_cases_and_no_agent_table(services: AppServices) -> None:
    numbers = build_known_store(services)
    seat = open_as(services.url, "agent09", display_name="王五", team="九班")
    record = services.complaints.get(numbers["C"])
    services.complaints.update(services.actor, numbers["C"], {"assigned_agent_id": seat.actor.id}, record.version)
    stats = StatsService(services.sessions, seat.actor).compute(known_period())
    seat.close()
    assert stats.scope == "own" and stats.by_agent is None
    assert (stats.totals.received, stats.totals.replied_on_time) == (1, 1)
    assert services.stats.compute(known_period()).totals.received == 7


def test_empty_period_has_no_rates() -> None:
    with pytest.raises(PeriodError, match="早于"):
        Period(date(2025, 9, 2), date(2025, 9, 1))
    with pytest.raises(PeriodError):
        parse_day("2025-13-01")


def test_empty_store_gives_zeroes(services: AppServices) -> None:
    stats = services.stats.compute(Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert stats.totals.received == 0 and stats.totals.on_time_rate is None
    assert stats.totals.compensation == Decimal("0.00") and stats.by_category == []
    payload = stats.to_json()
    assert payload["totals"]["compensation"] == "0.00" and payload["period"]["bucket"] == "day"


@pytest.mark.postgres
def test_same_figures_on_postgresql(postgres_url: str) -> None:
    app = open_as(postgres_url, "tester", role="admin", display_name="测试员")
    try:
        numbers = build_known_store(app)
        stats = app.stats.compute(known_period())
        check_known_totals(stats, app, numbers)
        assert {row.key: row.received for row in stats.by_category}["billing"] == 3
        assert stats.by_agent is not None and stats.by_agent[0].received == 7
    finally:
        app.close()
