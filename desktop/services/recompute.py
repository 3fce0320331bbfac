"""Set-based deadline recompute after a calendar or deadline-rule change.

A stored reply deadline depends only on its rule, the calendar and — for day-counted rules — the
Beijing day the clock started (an hour-counted rule also on the moment). So each distinct
(rule, start) is computed once, however many open cases share it, and the changed rows are
updated in batches by id: a quarter of a million open cases share a few hundred starting days.
Rows are read as plain tuples (never whole ORM objects) so memory stays flat.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from desktop.domain.deadlines import Deadline, DeadlineRule, Due, DueDates
from desktop.services.records import Actor
from desktop.store.chain import link_rows
from desktop.store.chained import EVENTS, event_content
from desktop.store.changes import SHARED, record_bulk_change
from desktop.store.models import Base, Complaint

# Ids per UPDATE … WHERE id IN (…): below SQLite's default host-parameter limit with room to spare.
BATCH = 500

EVENT_TABLE = Base.metadata.tables["complaint_events"]


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for offset in range(0, len(ids), BATCH):
        yield ids[offset:offset + BATCH]


def recompute_open_deadlines(session: Session, actor: Actor, rules: Mapping[str, DeadlineRule],
                             compute: Callable[[str, datetime], Deadline], *, only_provisional: bool,
                             note: str) -> int:
    """Move every open case whose stored deadline differs from the current rules and calendar.

    Each moved case gets a ``deadline`` event dated now that names the old and new due dates.
    Returns how many cases moved.
    """
    query = select(Complaint.id, Complaint.uuid, Complaint.deadline_rule, Complaint.clock_start_at,
                   Complaint.reply_due_date, Complaint.reply_due_at, Complaint.calendar_provisional
                   ).where(Complaint.is_open.is_(True))
    if only_provisional:
        query = query.where(Complaint.calendar_provisional.is_(True))

    dues = DueDates(rules, compute)
    moved: dict[Due, list[int]] = defaultdict(list)
    old_dates: dict[int, date] = {}
    uuids: dict[int, str] = {}
    for case_id, case_uuid, rule_code, start, old_date, old_at, old_provisional in session.execute(
            query.execution_options(yield_per=5000)):
        target = dues(rule_code, start)
        if (old_at, old_provisional) != (target.due_at, target.provisional):
            moved[target].append(case_id)
            old_dates[case_id] = old_date
            uuids[case_id] = case_uuid

    now = datetime.now(UTC)
    for (due_date, due_at, provisional), ids in moved.items():
        ids.sort()  # neighbouring rows share pages: each batch touches fewer of them
        for chunk in _batches(ids):
            # version is bumped like an ORM save, so a seat holding the case open sees a conflict.
            session.execute(
                update(Complaint).where(Complaint.id.in_(chunk))
                .values(reply_due_date=due_date, reply_due_at=due_at, calendar_provisional=provisional,
                        version=Complaint.version + 1)
                .execution_options(synchronize_session=False))
            events: list[dict[str, Any]] = [
                {"complaint_id": case_id, "at": now, "actor_id": actor.id, "kind": "deadline", "action": None,
                 "from_status": None, "to_status": None,
                 "changes": json.dumps({"reply_due_date": [old_dates[case_id].isoformat(), due_date.isoformat()]}),
                 "note": note}
                for case_id in chunk
            ]
            # Each event takes its place in the history's hash chain, as add_event's do.
            links = link_rows(session, [(EVENTS, event_content(uuids[case_id], actor.login, event))
                                        for case_id, event in zip(chunk, events, strict=True)])
            for event, link in zip(events, links, strict=True):
                event.update(link.columns())
            # Core insert into the table: the ORM's bulk path would build a persistence command per row.
            session.execute(insert(EVENT_TABLE), events)
    total = sum(len(ids) for ids in moved.values())
    if total:
        record_bulk_change(session, SHARED, "deadlines")  # every seat's queue re-reads its due dates
    return total



