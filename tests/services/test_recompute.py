"""Set-based deadline recompute: one computation per distinct start, batched updates, history kept."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from desktop.domain.codes import OPEN_STATUSES, Status
from desktop.domain.deadlines import BEIJING, DueDates, build_rules, compute_deadline
from desktop.services.app import AppServices
from desktop.services.case_rows import lock_for_write
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.demo import generate
from desktop.services.recompute import pending_recompute, recompute_in_batches, recompute_open_deadlines
from desktop.store.chain import verify_chain
from desktop.store.stats_summary import summary_differences
from tests.accounts import open_as
from tests.services.test_complaints import sample


def _open_cases(services: AppServices) -> list[tuple[str, int]]:
    return [(s.number, services.complaints.get(s.number).version)
            for s in services.complaints.list(status=None, limit=1000) if Status(s.status) in OPEN_STATUSES]


def test_shorter_site_period_moves_every_open_case_once(services: AppServices) -> None:
    generate(services.sessions, services.complaints, services.actor, 150, seed=11)
    before = {number: version for number, version in _open_cases(services)}
    records = {number: services.complaints.get(number) for number in before}
    open_numbers = [n for n, r in records.items() if r.deadline_rule == "reply"]
    assert len(open_numbers) > 20

    services.site.set(services.actor, "deadline_rules", {"reply": 10})
    services.reload_clock()
    calls: Counter[tuple[str, object]] = Counter()
    real_reply = services.complaints._clock.reply

    def counted(rule_code: str, start: datetime):  # the real computation, counted
        calls[(rule_code, start.astimezone(BEIJING).date())] += 1
        return real_reply(rule_code, start)

    with services.sessions.begin() as session:
        lock_for_write(session)
        changed = recompute_open_deadlines(session, services.actor, DueDates(services.complaints.rules, counted),
                                           only_provisional=False, note=RULES_CHANGED_NOTE)
    assert changed >= len(open_numbers)
    assert max(calls.values()) == 1  # each (rule, Beijing day) computed once however many cases share it
    assert sum(calls.values()) < changed

    rules = build_rules({"reply": 10})
    for number in open_numbers:
        after = services.complaints.get(number)
        expected = compute_deadline(rules[after.deadline_rule], after.clock_start_at, services.complaints.calendar)
        assert after.reply_due_at == expected.due_at
        assert after.version == before[number] + 1  # a seat holding the case sees a conflict, not a lost write
        last = services.complaints.events(number)[-1]
        assert last.kind == "deadline" and last.note == RULES_CHANGED_NOTE
        assert last.changes["reply_due_date"][1] == expected.due_date.isoformat()

    # Nothing left to move: a second run changes nothing and writes no history.
    events_before = len(services.complaints.events(open_numbers[0]))
    assert services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE) == 0
    assert len(services.complaints.events(open_numbers[0])) == events_before



def _open_trigger(services: AppServices) -> str | None:
    with services.engine.connect() as connection:
        found = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'stats_open_au'")).scalar()
    return None if found is None else str(found)


def _moved_shorter(services: AppServices, days: int) -> None:
    services.site.set(services.actor, "deadline_rules", {"reply": days})
    services.reload_clock()


def test_recompute_moves_the_open_summary_as_a_set_and_keeps_chain_and_trigger(services: AppServices) -> None:
    """On SQLite the row trigger is held for the recompute and the summary changed once, as a set."""
    generate(services.sessions, services.complaints, services.actor, 200, seed=5)
    trigger = _open_trigger(services)
    assert trigger is not None
    _moved_shorter(services, 9)
    assert services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE) > 20
    with services.engine.connect() as connection:
        assert summary_differences(connection) == []
        assert verify_chain(connection).intact  # every "deadline" entry took its place in the chain
    assert _open_trigger(services) == trigger  # the trigger is back, exactly as the migration made it
    # ...and keeps the summary again for an ordinary edit afterwards.
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE complaints SET category = 'network' WHERE is_open AND id % 2 = 0"))
    with services.engine.connect() as connection:
        assert summary_differences(connection) == []


def test_a_recompute_failing_halfway_leaves_deadlines_summary_and_trigger_as_they_were(
        services: AppServices) -> None:
    generate(services.sessions, services.complaints, services.actor, 120, seed=6)
    trigger = _open_trigger(services)
    with services.engine.connect() as connection:
        before = connection.execute(text("SELECT id, reply_due_at FROM complaints ORDER BY id")).all()
        last_open = connection.execute(text("SELECT max(id) FROM complaints WHERE is_open")).scalar_one()
    # A real database error in the middle of the updates: the last open case refuses to change.
    with services.engine.begin() as connection:
        connection.execute(text(
            f"CREATE TRIGGER refuse_one BEFORE UPDATE OF reply_due_at ON complaints WHEN OLD.id = {last_open} "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    _moved_shorter(services, 8)
    with pytest.raises(DBAPIError, match="refused"):
        services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE)
    with services.engine.connect() as connection:
        assert connection.execute(text("SELECT id, reply_due_at FROM complaints ORDER BY id")).all() == before
        assert summary_differences(connection) == []
        assert connection.execute(text("SELECT count(*) FROM complaint_events WHERE kind = 'deadline'")
                                  ).scalar_one() == 0
    assert _open_trigger(services) == trigger


def _refuse_the_last_to_move(services: AppServices) -> int:
    """A real database error for the case that moves last (the cases go by new due date): a
    batched run stops half way. Returns that case's id."""
    with services.engine.begin() as connection:
        latest = int(connection.execute(text(
            "SELECT id FROM complaints WHERE is_open AND deadline_rule = 'reply' ORDER BY clock_start_at DESC LIMIT 1"
        )).scalar_one())
        connection.execute(text(
            f"CREATE TRIGGER refuse_one BEFORE UPDATE OF reply_due_at ON complaints WHEN OLD.id = {latest} "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    return latest


def _run_in_small_batches(services: AppServices) -> int:
    clock = services.complaints._clock
    return recompute_in_batches(services.sessions, services.actor, clock.rules, clock.reply,
                                only_provisional=False, note=RULES_CHANGED_NOTE, first_batch=10, pause=0).moved


def test_a_failing_batch_leaves_its_cases_and_a_second_run_moves_the_rest(services: AppServices) -> None:
    """Batches before the failing one stay committed, each whole; the failing one changes nothing;
    the recompute is idempotent, so running it again after the cause is gone finishes the job."""
    generate(services.sessions, services.complaints, services.actor, 600, seed=10)
    trigger = _open_trigger(services)
    with services.engine.connect() as connection:
        before = dict(connection.execute(text("SELECT id, reply_due_at FROM complaints")).all())
    latest = _refuse_the_last_to_move(services)
    _moved_shorter(services, 7)
    with pytest.raises(DBAPIError, match="refused"):
        _run_in_small_batches(services)
    with services.engine.connect() as connection:
        after = dict(connection.execute(text("SELECT id, reply_due_at FROM complaints")).all())
        changed = {case_id for case_id in before if after[case_id] != before[case_id]}
        logged = set(connection.execute(text(
            "SELECT complaint_id FROM complaint_events WHERE kind = 'deadline'")).scalars())
        assert summary_differences(connection) == []
        assert verify_chain(connection).intact
    assert changed and changed == logged and latest not in changed  # committed batches are whole
    assert _open_trigger(services) == trigger

    with services.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_one"))
    assert _run_in_small_batches(services) > 0
    assert _run_in_small_batches(services) == 0  # nothing left: every case moved exactly once
    with services.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) = count(DISTINCT complaint_id) FROM complaint_events WHERE kind = 'deadline'")
        ).scalar_one()
        assert summary_differences(connection) == []


def test_the_recompute_commits_in_batches_and_leaves_the_lock_free_between_them(
        services: AppServices, db_url: str) -> None:
    """Another seat saves between two batches at once (the old single transaction held the write
    lock for the whole run); every case still moves once, with its history and the summary exact."""
    generate(services.sessions, services.complaints, services.actor, 600, seed=8)
    _moved_shorter(services, 7)
    other = open_as(db_url, "zuoxi", role="agent", display_name="李坐席")
    saves: list[float] = []

    def between(done: int, total: int) -> None:
        if 0 < done < total:
            started = time.perf_counter()
            other.complaints.create(other.actor, sample())  # waits for the write lock if it is held
            saves.append(time.perf_counter() - started)

    try:
        clock = services.complaints._clock
        result = recompute_in_batches(services.sessions, services.actor, clock.rules, clock.reply,
                                      only_provisional=False, note=RULES_CHANGED_NOTE, progress=between,
                                      first_batch=10, pause=0)
    finally:
        other.close()
    assert result.transactions >= 3 and len(saves) == result.transactions - 1
    assert max(saves) < 1.0  # no save waited for the recompute (SQLite's busy timeout is 5 s)
    with services.engine.connect() as connection:
        moved_once = connection.execute(text(
            "SELECT count(*), count(DISTINCT complaint_id) FROM complaint_events WHERE kind = 'deadline'")).one()
        assert summary_differences(connection) == []
        assert verify_chain(connection).intact
    assert tuple(moved_once) == (result.moved, result.moved)
    assert services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE) == 0


def test_a_case_closed_after_the_scan_is_judged_as_it_is_when_its_batch_runs(services: AppServices) -> None:
    generate(services.sessions, services.complaints, services.actor, 120, seed=9)
    with services.engine.connect() as connection:
        closing = connection.execute(text(
            "SELECT id, reply_due_at FROM complaints WHERE is_open AND deadline_rule = 'reply' ORDER BY id DESC"
        )).first()
    assert closing is not None
    _moved_shorter(services, 6)

    def close_it(done: int, total: int) -> None:
        if done == 0:  # after the cases to move were found, before any was moved
            with services.engine.begin() as connection:
                connection.execute(text("UPDATE complaints SET is_open = 0, status = 'closed' WHERE id = :id"),
                                   {"id": closing.id})

    clock = services.complaints._clock
    result = recompute_in_batches(services.sessions, services.actor, clock.rules, clock.reply,
                                  only_provisional=False, note=RULES_CHANGED_NOTE, progress=close_it, first_batch=30)
    assert result.moved > 10
    with services.engine.connect() as connection:
        after = connection.execute(text("SELECT reply_due_at FROM complaints WHERE id = :id"),
                                   {"id": closing.id}).scalar_one()
        events = connection.execute(text(
            "SELECT count(*) FROM complaint_events WHERE complaint_id = :id AND kind = 'deadline'"),
            {"id": closing.id}).scalar_one()
        assert summary_differences(connection) == []
    assert (str(after), events) == (str(closing.reply_due_at), 0)


def test_a_recompute_that_stops_half_way_is_marked_until_one_finishes(services: AppServices) -> None:
    """Every seat can tell its administrator that deadlines are half moved; the next run clears it."""
    generate(services.sessions, services.complaints, services.actor, 600, seed=14)
    assert pending_recompute(services.sessions) is None
    _refuse_the_last_to_move(services)
    _moved_shorter(services, 7)
    with pytest.raises(DBAPIError, match="refused"):
        _run_in_small_batches(services)
    pending = pending_recompute(services.sessions)
    assert pending is not None and pending.by == services.actor.login and pending.cases > 10
    with services.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_one"))
    assert services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE) > 0
    assert pending_recompute(services.sessions) is None
    assert services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE) == 0
    assert pending_recompute(services.sessions) is None


def _complaint_updates(services: AppServices, run: Callable[[], object]) -> list[str]:
    """The UPDATE complaints statements ``run`` sends."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE COMPLAINTS "):
            sent.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    return sent


def test_moves_name_the_calendar_state_only_where_it_changes(services: AppServices) -> None:
    """SQLite rewrites an index entry for every column a SET names, changed or not: a rule change
    (no calendar state moves) leaves calendar_provisional out; a calendar that settles a case names it."""
    generate(services.sessions, services.complaints, services.actor, 60, seed=5)
    settled = services.complaints.create(services.actor, sample(received_at="2019-09-20T10:00:00+08:00"))
    assert settled.calendar_provisional  # 2019 precedes the bundled confirmed years
    services.site.set(services.actor, "deadline_rules", {"reply": 10})
    services.reload_clock()
    updates = _complaint_updates(services, lambda: services.complaints.recompute_deadlines(
        services.actor, note=RULES_CHANGED_NOTE))
    assert updates and not any("calendar_provisional" in statement for statement in updates)
    assert services.complaints.get(settled.number).calendar_provisional  # still provisional, as it should be

    schedule = {"year": 2019, "source": "国办发明电〔2018〕15号",
                "rest_days": [{"date": f"2019-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
                "working_days": [{"date": "2019-09-29", "name": "国庆节调休"}]}
    services.calendar.import_year(services.actor, json.dumps(schedule, ensure_ascii=False))
    services.reload_clock()
    updates = _complaint_updates(services, lambda: services.complaints.recompute_deadlines(services.actor))
    assert len(updates) == 1 and "calendar_provisional" in updates[0]
    assert not services.complaints.get(settled.number).calendar_provisional
