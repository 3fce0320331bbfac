"""Complaint intake, edits, workflow steps and history: one session per call."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain import workflow
from desktop.domain.codes import OPEN_STATUSES, Category, Channel, Status
from desktop.domain.deadlines import BEIJING, Deadline, DeadlineRule, WorkCalendar, compute_deadline
from desktop.domain.intake import ComplaintInput, parse_input
from desktop.domain.masking import is_mask_of
from desktop.domain.step_details import check_agent_id, check_step_details, check_work_text
from desktop.domain.validation import FieldError
from desktop.i18n import N_, _
from desktop.services.approvals import enforce_step
from desktop.services.assignment import pick_assignee
from desktop.services.case_reads import CaseFile, CaseReads, read_events, reading
from desktop.services.case_rows import add_event, highest_serials, load_case
from desktop.services.errors import ConcurrentEditError, PermissionDeniedError
from desktop.services.permissions import case_scope, guarded, may_assign_to
from desktop.services.recompute import Progress as RecomputeProgress
from desktop.services.recompute import RecomputeResult, recompute_in_batches
from desktop.services.records import Actor, ComplaintRecord, ComplaintSummary, EventRecord
from desktop.services.steps import apply_step, parse_compensation
from desktop.store.maintenance import analyze
from desktop.store.models import Complaint, ComplaintLink, NumberSequence, User
from desktop.store.summary import fetch_summaries, summary_select

# Fields an agent may edit directly; the workflow fields change only through transitions.
INTAKE_FIELDS = ("received_at", "channel", "category", "customer_name", "phone", "contact_phone",
                 "id_number", "address", "description", "demand")
WORK_FIELDS = ("investigation_notes", "resolution", "compensation", "assigned_agent_id", "followup_comment")


CALENDAR_CHANGED_NOTE = N_("Recomputed after a holiday calendar change.")
RULES_CHANGED_NOTE = N_("Recomputed after the site's deadline periods changed.")


def utc_now() -> datetime:
    return datetime.now(UTC)


def rule_code_for(channel: str, category: str) -> str:
    """Which clock governs the reply: a regulator transfer, a personal-information case, or the default."""
    if channel == Channel.REGULATOR:
        return "regulator"
    if category == Category.PRIVACY:
        return "privacy"
    return "reply"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass
class _Clock:
    rules: Mapping[str, DeadlineRule]
    calendar: WorkCalendar

    def reply(self, rule_code: str, start: datetime) -> Deadline:
        return compute_deadline(self.rules[rule_code], start, self.calendar)

    def acknowledge(self, start: datetime) -> Deadline:
        return compute_deadline(self.rules["acknowledge"], start, self.calendar)


class ComplaintService:
    def __init__(self, sessions: sessionmaker[Session], clock: _Clock | Callable[[], _Clock], actor: Actor) -> None:
        """``clock`` is fixed, or (the desk's seat-shared rules and calendars) a source asked on every
        use, so another seat's change holds here too; it is not asked at sign-in, where building the
        calendar would load the holidays package before the first screen."""
        self._sessions = sessions
        self._fixed_clock: _Clock | None = clock if isinstance(clock, _Clock) else None
        self._clock_source: Callable[[], _Clock] | None = None if isinstance(clock, _Clock) else clock
        self._actor = actor  # the signed-in seat: reads are limited to its cases (permissions.case_scope)
        self._reads = CaseReads(actor)

    @property
    def actor(self) -> Actor:
        return self._actor

    def _scoped(self, query: Select[Any]) -> Select[Any]:
        scope = case_scope(self._actor)
        return query if scope is None else query.where(scope)

    # -- clock ---------------------------------------------------------------------------------
    @property
    def _clock(self) -> _Clock:
        if self._clock_source is not None:
            return self._clock_source()
        assert self._fixed_clock is not None  # one of the two is always set
        return self._fixed_clock

    def set_clock(self, rules: Mapping[str, DeadlineRule], calendar: WorkCalendar) -> None:
        self._fixed_clock = _Clock(rules, calendar)
        self._clock_source = None

    @property
    def calendar(self) -> WorkCalendar:
        return self._clock.calendar

    @property
    def rules(self) -> Mapping[str, DeadlineRule]:
        return self._clock.rules

    def preview_deadline(self, received_at: datetime, channel: str = "hotline", category: str = "other") -> Deadline:
        """The reply deadline an intake would get, shown before saving."""
        return self._clock.reply(rule_code_for(channel, category), received_at)

    def reply_deadline(self, record: ComplaintRecord) -> Deadline:
        """Recompute (with its trace) the stored deadline of a case, e.g. for the case header."""
        return self._clock.reply(record.deadline_rule, record.clock_start_at)

    # -- intake --------------------------------------------------------------------------------
    @guarded("case.create")
    def create(self, actor: Actor, raw: Mapping[str, Any] | ComplaintInput) -> ComplaintRecord:
        data = raw if isinstance(raw, ComplaintInput) else parse_input(raw, now=utc_now())
        with self._sessions.begin() as session:
            row = self._insert(session, actor, data)
            return self._record(session, row)

    @guarded("case.import")
    def create_many(self, actor: Actor, inputs: Sequence[ComplaintInput]) -> list[str]:
        """Store all or nothing (CSV import): one transaction for the whole batch."""
        with self._sessions.begin() as session:
            return [self._insert(session, actor, data).number for data in inputs]

    def _insert(self, session: Session, actor: Actor, data: ComplaintInput) -> Complaint:
        now = utc_now()
        rule_code = rule_code_for(data.channel, data.category)
        clock = self._clock
        reply = clock.reply(rule_code, data.received_at)
        ack = clock.acknowledge(data.received_at)
        received_day = data.received_at.astimezone(BEIJING).date()
        row = Complaint(
            uuid=str(uuid.uuid4()),
            number=self._next_number(session, received_day.strftime("%Y%m%d")),
            received_at=data.received_at,
            received_day=received_day,
            channel=str(data.channel),
            category=str(data.category),
            customer_name=data.customer_name,
            phone=data.phone,
            contact_phone=data.contact_phone,
            id_number=data.id_number,
            address=data.address,
            description=data.description,
            demand=data.demand,
            validity="valid",
            status=Status.REGISTERED.value,
            is_open=True,
            assigned_agent_id=actor.id,
            clock_start_at=data.received_at,
            reply_due_date=reply.due_date,
            reply_due_at=reply.due_at,
            ack_due_at=ack.due_at,
            deadline_rule=rule_code,
            calendar_provisional=reply.calendar == "provisional",
            created_at=now,
            created_by_id=actor.id,
            updated_at=now,
        )
        row.assigned_agent_id = pick_assignee(session, actor) or actor.id  # site's auto-assignment
        session.add(row)
        session.flush()
        add_event(session, row.id, actor, "created", note=None, changes={})
        return row

    @staticmethod
    def _next_number(session: Session, day: str) -> str:
        """TS-YYYYMMDD-NNNN, unique across seats: the counter row is updated atomically.

        A counter behind the numbers already stored (a store restored or filled by an older
        tool) is moved past them, so intake never fails on a number that is taken.
        """
        for _attempt in range(5):
            serial = session.execute(
                update(NumberSequence)
                .where(NumberSequence.day == day)
                .values(last=NumberSequence.last + 1)
                .returning(NumberSequence.last)
            ).scalar_one_or_none()
            if serial is None:
                serial = highest_serials(session, [day]).get(day, 0) + 1
                try:
                    with session.begin_nested():
                        session.add(NumberSequence(day=day, last=serial))
                except IntegrityError:
                    continue  # another seat created today's counter first; update it instead
            number = f"TS-{day}-{serial:04d}"
            if session.execute(select(Complaint.id).where(Complaint.number == number)).first() is None:
                return number
            session.execute(update(NumberSequence).where(NumberSequence.day == day)
                            .values(last=highest_serials(session, [day]).get(day, 0)))
        raise RuntimeError("could not allocate a complaint number")

    # -- reading -------------------------------------------------------------------------------
    # Reads go through case_reads (prepared statements on one pooled connection, no session): opening
    # a case is the hottest read.
    @guarded("case.read")
    def get(self, number: str) -> ComplaintRecord:
        with reading(self._sessions) as connection:
            return self._reads.record(connection, number)

    @guarded("case.read")
    def events(self, number: str) -> list[EventRecord]:
        with reading(self._sessions) as connection:
            return read_events(connection, self._reads.case_id(connection, number))

    @guarded("case.read")
    def open_case(self, number: str) -> CaseFile:
        """Record, history and citations as the case view shows them, read on one connection."""
        with reading(self._sessions) as connection:
            return self._reads.case_file(connection, number)

    @guarded("case.read")
    def earlier_from_number(self, phone: str, *, exclude_number: str | None = None,
                            limit: int = 50) -> list[ComplaintSummary]:
        """Repeat detection: earlier complaints about the same number, newest first."""
        query = self._scoped(summary_select(with_description=True).where(Complaint.phone == phone)
                             .order_by(Complaint.received_at.desc()).limit(limit))
        if exclude_number:
            query = query.where(Complaint.number != exclude_number)
        with self._sessions() as session:
            return fetch_summaries(session.connection(), query)

    @guarded("case.read")
    def list(self, *, status: str | None = None, overdue: bool = False, limit: int = 200,
             offset: int = 0, now: datetime | None = None) -> list[ComplaintSummary]:
        query = self._scoped(summary_select(with_description=True))
        if status:
            query = query.where(Complaint.status == Status(status).value)
        if overdue:
            query = query.where(Complaint.is_open.is_(True), Complaint.reply_due_at <= (now or utc_now()))
        query = query.order_by(Complaint.reply_due_at, Complaint.id).limit(limit).offset(offset)
        with self._sessions() as session:
            return fetch_summaries(session.connection(), query)

    # -- changes -------------------------------------------------------------------------------
    @guarded("case.edit")
    def update(self, actor: Actor, number: str, changes: Mapping[str, Any], expected_version: int) -> ComplaintRecord:
        """Save edits; refuses (keeping both sides) when the case changed since ``expected_version``."""
        with self._sessions.begin() as session:
            row = load_case(session, actor, number, for_update=True)
            if row.version != expected_version:
                raise ConcurrentEditError(self._record(session, row), dict(changes), expected_version)
            # A masked value sent back unchanged never overwrites the stored one.
            changes = {k: v for k, v in changes.items() if not is_mask_of(k, v, getattr(row, k, None))}
            normalized = self._normalize_changes(row, changes)
            if not may_assign_to(session, actor, normalized.get("assigned_agent_id")):
                raise PermissionDeniedError(_("{name} may hand cases only to colleagues of their own team(s).")
                                            .format(name=actor.display_name))
            diff = {k: [_jsonable(getattr(row, k)), _jsonable(v)] for k, v in normalized.items()
                    if getattr(row, k) != v}
            if not diff:
                return self._record(session, row)
            clock_ran_from_receipt = row.clock_start_at == row.received_at
            for key, value in normalized.items():
                setattr(row, key, value)
            if "received_at" in diff or "channel" in diff or "category" in diff:
                if "received_at" in diff:
                    row.received_day = row.received_at.astimezone(BEIJING).date()
                self._restart_clock(row, row.received_at if clock_ran_from_receipt else None)
            row.updated_at = utc_now()
            session.flush()
            add_event(session, row.id, actor, "updated", changes=diff)
            return self._record(session, row)

    def _normalize_changes(self, row: Complaint, changes: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(INTAKE_FIELDS) - set(WORK_FIELDS)
        if unknown:
            raise FieldError("input", _("These fields cannot be edited here: {names}.").format(
                names=", ".join(sorted(unknown))))
        intake_keys = [k for k in changes if k in INTAKE_FIELDS]
        result: dict[str, Any] = {}
        if intake_keys:
            merged = {k: getattr(row, k) for k in INTAKE_FIELDS}
            merged.update({k: changes[k] for k in intake_keys})
            parsed = parse_input({k: v for k, v in merged.items() if v is not None}, now=utc_now())
            for key in intake_keys:
                value = getattr(parsed, key)
                result[key] = str(value) if isinstance(value, Channel | Category) else value
        for key in (k for k in changes if k in WORK_FIELDS):
            value = changes[key]
            if key == "compensation":
                result[key] = parse_compensation(value)
            elif key == "assigned_agent_id":
                result[key] = check_agent_id(value)
            else:
                result[key] = check_work_text(key, value)
        return result

    @guarded("case.transition")
    def transition(self, actor: Actor, number: str, action: workflow.Action | str, *,
                   expected_version: int | None = None, reason: str | None = None,
                   details: Mapping[str, Any] | None = None) -> ComplaintRecord:
        """Apply one workflow step; illegal steps raise ``IllegalTransitionError`` and store nothing."""
        action = workflow.Action(action)
        details = check_step_details(action, details or {}, now=utc_now())
        with self._sessions.begin() as session:
            row = load_case(session, actor, number, for_update=True)
            if expected_version is not None and row.version != expected_version:
                raise ConcurrentEditError(self._record(session, row), {"action": action.value}, expected_version)
            current = Status(row.status)
            target = workflow.apply(action, current, reason if action != workflow.Action.MARK_INVALID
                                    else details.get("invalid_reason") or reason)
            before = {k: _jsonable(getattr(row, k)) for k in _TRANSITION_FIELDS}
            now = utc_now()
            restart = apply_step(row, action, details, reason, now)
            enforce_step(session, actor, row, action, current)  # approval policy, supervisor-only steps
            if restart is not None:
                self._restart_clock(row, restart)
            row.status = target.value
            row.is_open = target in OPEN_STATUSES
            row.updated_at = now
            session.flush()
            diff = {k: [before[k], _jsonable(getattr(row, k))] for k in _TRANSITION_FIELDS
                    if before[k] != _jsonable(getattr(row, k))}
            add_event(session, row.id, actor, "transition", action=action.value, from_status=current.value,
                        to_status=target.value, changes=diff, note=reason)
            return self._record(session, row)

    def _restart_clock(self, row: Complaint, start: datetime | None) -> None:
        if row.deadline_rule != "regulator":
            row.deadline_rule = rule_code_for(row.channel, row.category)
        row.clock_start_at = start or row.clock_start_at
        clock = self._clock
        deadline = clock.reply(row.deadline_rule, row.clock_start_at)
        row.reply_due_date = deadline.due_date
        row.reply_due_at = deadline.due_at
        row.calendar_provisional = deadline.calendar == "provisional"
        row.ack_due_at = clock.acknowledge(row.received_at).due_at

    @guarded("case.edit")
    def link(self, actor: Actor, number: str, earlier_number: str) -> None:
        """Link an earlier complaint from the same number (repeat complaint)."""
        with self._sessions.begin() as session:
            row = load_case(session, actor, number)
            earlier = load_case(session, actor, earlier_number)
            if earlier.id == row.id:
                raise FieldError("link", _("A complaint cannot be linked to itself."))
            exists = session.get(ComplaintLink, (row.id, earlier.id))
            if exists is None:
                session.add(ComplaintLink(complaint_id=row.id, linked_id=earlier.id, created_by_id=actor.id,
                                          created_at=utc_now()))
                add_event(session, row.id, actor, "link", changes={"linked": [None, earlier.number]})

    @guarded("case.recompute")
    def recompute_deadlines(self, actor: Actor, *, only_provisional: bool = False,
                            note: str = CALENDAR_CHANGED_NOTE, progress: RecomputeProgress | None = None) -> int:
        """After a calendar or rule change: recompute stored deadlines of open cases; returns how many changed.

        ``note`` (an N_-marked msgid) goes on each case's history, translated when shown. The cases
        move in short transactions (see desktop/services/recompute.py), so other seats keep working;
        ``progress`` hears (looked at, to look at) after each.
        """
        return self.recompute_in_batches(actor, only_provisional=only_provisional, note=note,
                                         progress=progress).moved

    @guarded("case.recompute")
    def recompute_in_batches(self, actor: Actor, *, only_provisional: bool = False, note: str = CALENDAR_CHANGED_NOTE,
                             progress: RecomputeProgress | None = None,
                             within: Connection | None = None) -> RecomputeResult:
        """What :meth:`recompute_deadlines` does, with its figures (``within``: see ``recompute_in_batches``)."""
        clock = self._clock
        result = recompute_in_batches(self._sessions, actor, clock.rules, clock.reply,
                                      only_provisional=only_provisional, note=_(note), progress=progress,
                                      within=within)
        if result.moved and within is None:
            analyze(self._sessions.kw["bind"])  # thousands of due dates moved: the planner's picture is stale
        return result

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _record(session: Session, row: Complaint) -> ComplaintRecord:
        agent_name = None
        if row.assigned_agent_id is not None:
            agent_name = session.execute(
                select(User.display_name).where(User.id == row.assigned_agent_id)).scalar_one_or_none()
        linked = session.execute(
            select(Complaint.number).join(ComplaintLink, ComplaintLink.linked_id == Complaint.id)
            .where(ComplaintLink.complaint_id == row.id).order_by(Complaint.number)
        ).scalars().all()
        return ComplaintRecord(
            id=row.id, uuid=row.uuid, number=row.number, version=row.version, received_at=row.received_at,
            channel=row.channel, category=row.category, customer_name=row.customer_name, phone=row.phone,
            contact_phone=row.contact_phone, id_number=row.id_number, address=row.address,
            description=row.description, demand=row.demand, validity=row.validity,
            invalid_reason=row.invalid_reason, status=row.status, status_reason=row.status_reason,
            assigned_agent_id=row.assigned_agent_id, assigned_agent_name=agent_name,
            investigation_notes=row.investigation_notes, resolution=row.resolution,
            compensation=row.compensation, reply_at=row.reply_at, reply_method=row.reply_method,
            followup_at=row.followup_at, satisfaction=row.satisfaction, followup_comment=row.followup_comment,
            appeal_date=row.appeal_date, appeal_reference=row.appeal_reference,
            clock_start_at=row.clock_start_at, reply_due_date=row.reply_due_date,
            reply_due_at=row.reply_due_at, ack_due_at=row.ack_due_at,
            deadline_rule=row.deadline_rule, calendar_provisional=row.calendar_provisional,
            created_at=row.created_at, updated_at=row.updated_at, closed_at=row.closed_at,
            linked_numbers=tuple(linked),
        )

    @guarded("case.read")
    def count(self) -> int:
        """How many complaints the signed-in seat may see."""
        with self._sessions() as session:
            return int(session.execute(self._scoped(select(func.count(Complaint.id)))).scalar_one())


_TRANSITION_FIELDS = ("status", "resolution", "reply_method", "reply_at", "compensation", "satisfaction",
                      "followup_comment", "followup_at", "invalid_reason", "validity", "appeal_date",
                      "appeal_reference", "status_reason", "reply_due_date", "closed_at")
