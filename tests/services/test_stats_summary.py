"""The per-day summary the triggers keep equals a recount from the complaints after any mix of changes."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from desktop.domain.deadlines import BEIJING
from desktop.domain.workflow import Action, allowed_actions
from desktop.services.app import AppServices
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.demo import generate
from desktop.services.records import Actor
from desktop.services.stats import Period, Totals
from desktop.store.stats_summary import recount, summary_differences
from tests.accounts import open_as

CATEGORIES = ("billing", "network", "privacy", "other")
CHANNELS = ("hotline", "counter", "regulator", "online")
DETAILS: dict[Action, dict[str, Any]] = {
    Action.REPLY: {"resolution": "已处理", "reply_method": "phone", "compensation": "20"},
    Action.FOLLOW_UP: {"satisfaction": 2},
    Action.MARK_INVALID: {"invalid_reason": "duplicate"},
}


def _same_totals(fast: Totals, slow: Totals) -> None:
    """Equal, except the summed reply days, which the summary adds and subtracts in floating point."""
    assert fast.reply_days_sum == pytest.approx(slow.reply_days_sum, rel=1e-9)
    assert replace(fast, reply_days_sum=0.0) == replace(slow, reply_days_sum=0.0)


def _agent(app: AppServices, index: int) -> Actor:
    seat = open_as(app.url, f"agent{index}", role="agent", display_name=f"坐席{index}")
    seat.close()
    return seat.actor


def _random_changes(app: AppServices, seed: int, steps: int) -> list[str]:
    """Creates, steps, edits of category/channel/agent and reassignments, chosen at random."""
    rnd = random.Random(seed)
    c, actor = app.complaints, app.actor
    agents = [_agent(app, i) for i in range(3)]
    numbers: list[str] = []
    for _step in range(steps):
        choice = rnd.random()
        if choice < 0.3 or not numbers:
            received = datetime(2025, 9, 1, 9, tzinfo=BEIJING) + timedelta(days=rnd.randrange(0, 120),
                                                                          hours=rnd.randrange(0, 10))
            numbers.append(c.create(actor, {
                "received_at": received.isoformat(), "channel": rnd.choice(CHANNELS),
                "category": rnd.choice(CATEGORIES), "customer_name": "张三",
                "phone": f"1380000{rnd.randrange(0, 20):04d}", "description": "多扣费", "demand": "退费"}).number)
            continue
        number = rnd.choice(numbers)
        record = c.get(number)
        if choice < 0.75:
            actions = [a for a in allowed_actions(record.status)]
            if actions:
                action = rnd.choice(actions)
                if action == Action.SUBMIT_FOR_APPROVAL and not record.resolution:
                    c.update(actor, number, {"resolution": "拟退费"}, record.version)
                c.transition(actor, number, action, reason="原因", details=DETAILS.get(action, {}))
        elif choice < 0.9:
            field = rnd.choice(["category", "channel", "assigned_agent_id", "received_at", "phone"])
            value: Any = {"category": rnd.choice(CATEGORIES), "channel": rnd.choice(CHANNELS),
                          "assigned_agent_id": rnd.choice(agents).id,
                          "received_at": (record.received_at - timedelta(days=1)).isoformat(),
                          "phone": f"1380000{rnd.randrange(0, 20):04d}"}[field]
            c.update(actor, number, {field: value}, record.version)
        elif record.status not in ("closed", "invalid", "withdrawn", "replied", "followed_up"):
            app.supervision.reassign(actor, number, rnd.choice(agents).login, "调整")
    return numbers


@pytest.mark.parametrize("seed", [1, 2])
def test_summary_equals_a_recount_after_random_changes(services: AppServices, seed: int) -> None:
    _random_changes(services, seed, 90)
    with services.engine.connect() as connection:
        assert summary_differences(connection) == []
    now = datetime.now(BEIJING)
    for period in (Period(date(2025, 9, 1), date(2025, 12, 31)), Period(date(2025, 10, 3), date(2025, 10, 9)),
                   Period(date(2025, 9, 1), now.date())):
        fast = services.stats.compute(period, now=now)
        slow = services.stats.compute(period, now=now, from_summary=False)
        _same_totals(fast.totals, slow.totals)
        assert (fast.by_category, fast.by_channel, fast.by_agent, fast.by_time) == (
            slow.by_category, slow.by_channel, slow.by_agent, slow.by_time)


def test_overdue_is_judged_at_the_moment_asked(services: AppServices) -> None:
    _random_changes(services, 3, 60)
    period = Period(date(2025, 9, 1), date(2025, 12, 31))
    for moment in (datetime(2025, 10, 1, 12, tzinfo=BEIJING), datetime(2025, 11, 20, 0, 0, tzinfo=BEIJING),
                   datetime(2025, 11, 20, 0, 0, 1, tzinfo=BEIJING), datetime(2026, 3, 1, tzinfo=BEIJING)):
        fast = services.stats.compute(period, now=moment)
        slow = services.stats.compute(period, now=moment, from_summary=False)
        assert (fast.totals.overdue_open, fast.totals.unanswered_late) == (
            slow.totals.overdue_open, slow.totals.unanswered_late)
        assert fast.by_agent == slow.by_agent


def test_a_damaged_summary_is_found_and_recounted(services: AppServices) -> None:
    _random_changes(services, 4, 30)
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE stats_daily SET received = received + 1 WHERE dim = 'channel'"))
    with services.engine.connect() as connection:
        problems = summary_differences(connection)
    assert problems and all(p.startswith("stats_daily") for p in problems)
    with services.engine.begin() as connection:
        recount(connection)
    with services.engine.connect() as connection:
        assert summary_differences(connection) == []


@pytest.mark.postgres
def test_summary_on_postgresql(postgres_url: str) -> None:
    app = open_as(postgres_url, "tester", role="admin", display_name="测试员")
    try:
        _random_changes(app, 5, 60)
        with app.engine.connect() as connection:
            assert summary_differences(connection) == []
        period = Period(date(2025, 9, 1), date(2025, 12, 31))
        _same_totals(app.stats.compute(period).totals, app.stats.compute(period, from_summary=False).totals)
    finally:
        app.close()


def _bulk_changes(app: AppServices) -> None:
    """Statements that change many complaints at once: a deadline recompute and hand-written fixes."""
    generate(app.sessions, app.complaints, app.actor, 160, seed=21)
    app.site.set(app.actor, "deadline_rules", {"reply": 9})
    app.reload_clock()
    assert app.complaints.recompute_deadlines(app.actor, note=RULES_CHANGED_NOTE) > 10
    with app.engine.begin() as connection:
        connection.execute(text("UPDATE complaints SET category = 'network', channel = 'counter' WHERE id % 3 = 0"))
        connection.execute(text("UPDATE complaints SET phone = '13900000000' WHERE id % 5 = 0"))


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_statements_changing_many_complaints_keep_the_summary(store: str, services: AppServices,
                                                              request: pytest.FixtureRequest) -> None:
    app = services if store == "sqlite" else open_as(request.getfixturevalue("postgres_url"), "bulk",
                                                     role="admin", display_name="批量")
    try:
        _bulk_changes(app)
        with app.engine.connect() as connection:
            assert summary_differences(connection) == []
    finally:
        if app is not services:
            app.close()


def test_an_update_that_moves_no_figure_writes_no_summary_row(services: AppServices) -> None:
    """SQLite counts rows its triggers change: a resolution edit must change the complaints alone."""
    generate(services.sessions, services.complaints, services.actor, 40, seed=5)
    raw = sqlite3.connect(services.engine.url.database or "")
    try:
        before = raw.total_changes
        raw.execute("UPDATE complaints SET resolution = COALESCE(resolution, '') || '。'")
        assert raw.total_changes - before == 40
        before = raw.total_changes
        raw.execute("UPDATE complaints SET category = 'privacy' WHERE id = 1 AND category <> 'privacy'")
        assert raw.total_changes - before > 1  # a figure moved: the summary was written
        raw.rollback()
    finally:
        raw.close()


@pytest.mark.postgres
def test_postgresql_writes_each_summary_row_once_per_statement(postgres_url: str) -> None:
    app = open_as(postgres_url, "once", role="admin", display_name="一次")
    try:
        generate(app.sessions, app.complaints, app.actor, 60, seed=8)
        with app.engine.begin() as connection:
            def summary_writes() -> int:
                return int(connection.execute(text(
                    "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd), 0) FROM pg_stat_xact_user_tables "
                    "WHERE relname IN ('stats_daily', 'stats_open_due', 'phone_counts')")).scalar_one())

            # The view adds this backend's counts not yet flushed (earlier transactions' included):
            # only differences across a statement count.
            before = summary_writes()
            connection.execute(text("UPDATE complaints SET description = description || '。'"))
            assert summary_writes() - before == 0
            # Every complaint moved to one category: each summary row the move changes is written
            # once (the old category's rows down, the new one's up), not once per complaint.
            expected = int(connection.execute(text(
                "SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT received_day, category FROM moving) a)"
                " + (SELECT COUNT(DISTINCT received_day) FROM moving)"
                " + (SELECT COUNT(*) FROM (SELECT DISTINCT received_day, category, reply_due_date"
                "    FROM moving WHERE is_open) b)"
                " + (SELECT COUNT(*) FROM (SELECT DISTINCT received_day, reply_due_date FROM moving WHERE is_open) c)"
                .replace("moving", "(SELECT * FROM complaints WHERE category <> 'other') m"))).scalar_one())
            moved = connection.execute(text("UPDATE complaints SET category = 'other' WHERE category <> 'other'")
                                       ).rowcount
            assert moved > 20
            assert summary_writes() - before == expected
            connection.rollback()
    finally:
        app.close()
