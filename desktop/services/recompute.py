"""Set-based deadline recompute after a calendar or deadline-rule change, in short transactions.

A stored reply deadline depends only on its rule, the calendar and — for day-counted rules — the
Beijing day the clock started (an hour-counted rule also on the moment). So each distinct
(rule, start) is computed once, however many open cases share it (:class:`DueDates`), and the
changed rows are updated by id, grouped by their new due date. Rows are read as plain tuples
(never whole ORM objects) so memory stays flat.

Moving 330,000 deadlines takes SQLite about 10 s of its own work (6 s of it the UPDATEs alone: each
row rewritten with its entries in the five indexes that hold the due date; then a chained history
entry per case) and PostgreSQL longer. In one transaction that
held the write lock — every other seat's save — for the whole time. So the cases that would move
are found first by one read without any lock, and then moved in batches of about 0.4 s
(:mod:`desktop.services.write_batches`), each batch re-reading its cases inside its own
transaction so a case closed or edited meanwhile is judged as it is now. Each batch is whole:
its deadlines, their history entries and the statistics summary commit together. Stopped half
way (a crash), the next recompute moves what is left: a recompute is idempotent.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Select, Table, select, update
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import Deadline, DeadlineRule, Due, DueDates
from desktop.services.case_rows import lock_for_write
from desktop.services.records import Actor
from desktop.services.write_batches import BatchSizer, WriteClock, pause_between
from desktop.store.chained import append_events
from desktop.store.changes import SHARED, record_bulk_change
from desktop.store.maintenance import bulk_page_cache
from desktop.store.models import Complaint, SiteSetting
from desktop.store.stats_summary import OPEN_DUE_COLUMNS, open_due_summary_held

# Ids per UPDATE … WHERE id IN (…): below SQLite's default host-parameter limit with room to spare.
BATCH = 500
FIRST_BATCH = 2000  # cases in the first transaction; later ones are sized to take TARGET_SECONDS

COMPLAINT_TABLE = cast(Table, Complaint.__table__)

_Case = tuple[int, str, date]  # id, uuid, stored due date
Progress = Callable[[int, int], None]  # (cases looked at, cases to look at)


# The site_settings row that says a recompute started and has not finished (a crash, a lost
# connection): every seat's next start can tell its administrator to finish it.
PENDING_KEY = "deadline_recompute_pending"


@dataclass(frozen=True)
class PendingRecompute:
    started_at: datetime
    by: str  # the administrator's login
    cases: int  # how many were to move


def pending_recompute(sessions: sessionmaker[Session]) -> PendingRecompute | None:
    """The recompute that started and did not finish, if any (a read anyone may do: no case data)."""
    with sessions() as session:
        row = session.get(SiteSetting, PENDING_KEY)
    value = None if row is None else json.loads(row.value)
    if value is None:
        return None
    return PendingRecompute(datetime.fromisoformat(value["started_at"]), str(value["by"]), int(value["cases"]))


def _mark_pending(session: Session, actor: Actor, cases: int) -> None:
    now = datetime.now(UTC)
    value = json.dumps({"started_at": now.isoformat(), "by": actor.login, "cases": cases})
    row = session.get(SiteSetting, PENDING_KEY)
    if row is None:
        session.add(SiteSetting(key=PENDING_KEY, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


def _clear_pending(session: Session) -> None:
    # Set to null, not deleted: administrators' database logins may insert and update site
    # settings but delete none (desktop/store/pg_roles.py).
    session.execute(update(SiteSetting).where(SiteSetting.key == PENDING_KEY)
                    .values(value="null", updated_at=datetime.now(UTC)))


@dataclass(frozen=True)
class RecomputeResult:
    moved: int
    longest_write: float = 0.0  # seconds: the longest any other seat waited for the write lock
    transactions: int = 0


def _slices(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for offset in range(0, len(ids), BATCH):
        yield ids[offset:offset + BATCH]


# What decides whether a case's stored deadline is current: its rule, clock start and stored due.
_DEADLINE = (Complaint.id, Complaint.deadline_rule, Complaint.clock_start_at, Complaint.reply_due_at,
             Complaint.calendar_provisional)


def _moved_to(dues: DueDates, rule_code: str, start: datetime, old_at: datetime, old_provisional: bool) -> Due | None:
    """The case's due under the current rules and calendar, when it differs from the stored one."""
    target = dues(rule_code, start)
    return None if (old_at, old_provisional) == (target.due_at, target.provisional) else target


def slice_statement(ids: Sequence[int]) -> Select[*tuple[Any, ...]]:
    """One slice of cases, read just before it is moved: what the move needs and the summary counts.

    By id alone: with "is_open" in the WHERE clause SQLite walked the whole is-open index for each
    slice (45 ms at 545,000 open cases) instead of looking the ids up; the caller checks it.
    """
    return select(*_DEADLINE, Complaint.is_open, Complaint.uuid, Complaint.reply_due_date,
                  *(COMPLAINT_TABLE.c[name] for name in OPEN_DUE_COLUMNS)).where(Complaint.id.in_(ids))


def cases_to_move(connection: Connection, dues: DueDates, *, only_provisional: bool) -> list[int]:
    """Ids of the open cases whose stored deadline differs from the current rules and calendar,
    in order of their new due date (neighbours in the due-date indexes move together)."""
    query = select(*_DEADLINE).where(Complaint.is_open.is_(True))
    if only_provisional:
        query = query.where(Complaint.calendar_provisional.is_(True))
    found: list[tuple[Due, int]] = []
    for case_id, rule_code, start, old_at, old_provisional in connection.execute(
            query.execution_options(yield_per=5000)):
        target = _moved_to(dues, rule_code, start, old_at, old_provisional)
        if target is not None:
            found.append((target, case_id))
    found.sort(key=lambda pair: (pair[0].due_at, pair[1]))
    return [case_id for _target, case_id in found]


def recompute_open_deadlines(session: Session, actor: Actor, dues: DueDates, *, only_provisional: bool,
                             note: str, ids: Sequence[int] | None = None) -> int:
    """In the caller's write transaction: move every open case (of ``ids``, or all) whose stored
    deadline differs from the current rules and calendar. Returns how many moved.

    Each moved case gets a ``deadline`` event dated now that names the old and new due dates.
    The cases are read 500 at a time just before they are updated, so the pages the update needs
    are still in the page cache (a read of the whole batch first cost SQLite 5 s more at 330,000).
    Reads and writes go through Core on the session's connection: the ORM's per-row bookkeeping
    cost more than the database's own work here.
    """
    connection = session.connection()
    if ids is None:
        ids = cases_to_move(connection, dues, only_provisional=only_provisional)
    now = datetime.now(UTC)
    moved = 0
    # The open-by-due-day summary is changed once for the whole batch, not by a trigger per case.
    with open_due_summary_held(connection) as summary:
        for ids_slice in _slices(ids):
            # Grouped by the new due and whether the calendar state changes with it (see below).
            by_due: dict[tuple[Due, bool], list[_Case]] = defaultdict(list)
            for case_id, rule_code, start, old_at, old_provisional, is_open, case_uuid, old_date, *counted in (
                    connection.execute(slice_statement(ids_slice))):
                if not is_open or (only_provisional and not old_provisional):
                    continue  # closed (or settled) since the cases to move were found
                target = _moved_to(dues, rule_code, start, old_at, old_provisional)
                if target is not None:
                    by_due[(target, target.provisional != old_provisional)].append((case_id, case_uuid, old_date))
                    summary.add(counted, old_date, target.due_date)
            for ((due_date, due_at, provisional), provisional_moves), cases in by_due.items():
                # version is bumped like an ORM save, so a seat holding the case open sees a conflict.
                values: dict[str, Any] = {"reply_due_date": due_date, "reply_due_at": due_at,
                                          "version": COMPLAINT_TABLE.c.version + 1}
                if provisional_moves:
                    # Only where it changes: SQLite rewrites the entry of every index on a column the
                    # SET names, changed or not (calendar_provisional's cost 0.45 of 4.2 s for 245,000).
                    values["calendar_provisional"] = provisional
                connection.execute(
                    update(COMPLAINT_TABLE).where(COMPLAINT_TABLE.c.id.in_([case_id for case_id, _u, _d in cases]))
                    .values(values))
                new_date = due_date.isoformat()
                # Each event takes its place in the history's hash chain, as add_event's do.
                append_events(session, actor.login, [
                    (case_uuid,
                     {"complaint_id": case_id, "at": now, "actor_id": actor.id, "kind": "deadline", "action": None,
                      "from_status": None, "to_status": None,
                      "changes": json.dumps({"reply_due_date": [old_date.isoformat(), new_date]}),
                      "note": note})
                    for case_id, case_uuid, old_date in cases])
                moved += len(cases)
    if moved:
        record_bulk_change(session, SHARED, "deadlines")  # every seat's queue re-reads its due dates
    return moved


def recompute_in_batches(sessions: sessionmaker[Session], actor: Actor, rules: Mapping[str, DeadlineRule],
                         compute: Callable[[str, datetime], Deadline], *, only_provisional: bool, note: str,
                         progress: Progress | None = None, within: Connection | None = None,
                         pause: float | None = None, first_batch: int = FIRST_BATCH) -> RecomputeResult:
    """Move every open case whose stored deadline differs, in transactions of about 0.4 s each.

    ``within``: a connection already in a transaction that the caller ends (the benchmark rolls it
    back); the batches then run inside it, uncommitted and without pauses, and are timed the same.
    """
    dues = DueDates(rules, compute)
    engine = sessions.kw["bind"]
    with engine.connect() as reader:
        candidates = cases_to_move(reader, dues, only_provisional=only_provisional)
    if progress is not None:
        progress(0, len(candidates))
    clock = WriteClock()
    sizer = BatchSizer(first_batch)  # at most write_batches.MAX_BATCH cases, as an import's batches
    moved = done = 0
    with _writing_connection(engine, within) as connection:
        # Inside ``within`` each session below joins the caller's transaction (its commit commits
        # nothing); otherwise each is a transaction of its own.
        with sessions(bind=connection) as session, session.begin():
            # Said before the first batch and cleared with the last (or by a later run that finds
            # nothing left): a recompute stopped half way is visible to every seat.
            if candidates:
                _mark_pending(session, actor, len(candidates))
            else:
                _clear_pending(session)
        while done < len(candidates):
            chunk = candidates[done:done + sizer.size]
            started = time.perf_counter()
            with clock.transaction(sessions, connection) as session:
                lock_for_write(session)  # nothing to do when the transaction is already open
                moved += recompute_open_deadlines(session, actor, dues, only_provisional=only_provisional,
                                                  note=note, ids=chunk)
                done += len(chunk)
                if done == len(candidates):
                    _clear_pending(session)
            sizer.adjust(len(chunk), time.perf_counter() - started)
            if progress is not None:
                progress(done, len(candidates))
            if within is None and done < len(candidates):
                pause_between(connection.dialect.name, pause)
    return RecomputeResult(moved, clock.longest, clock.transactions)


@contextmanager
def _writing_connection(engine: Engine, within: Connection | None) -> Iterator[Connection]:
    """The one connection the batches write on, with a larger page cache for the whole run
    (SQLite: every batch revisits the same index pages)."""
    if within is not None:
        with bulk_page_cache(within):
            yield within
        return
    with engine.connect() as connection, bulk_page_cache(connection):
        connection.commit()  # the PRAGMA began nothing to keep; each batch begins its own
        yield connection
