"""The supervisor's desk: approvals, returns for rework, reassignment and the team board.

Every permission decision goes through ``approvals.require_supervisor_of``.
Every operation takes the acting ``Actor`` and the case's ``expected_version`` (the bundle import
replays them), runs in one transaction and writes one history event per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.approval import approval_basis
from desktop.domain.codes import OPEN_STATUSES, Status
from desktop.domain.deadlines import BEIJING
from desktop.domain.validation import FieldError
from desktop.domain.workflow import Action
from desktop.i18n import _
from desktop.services.approvals import awaiting_approval_condition, owner_team, require_supervisor_of
from desktop.services.case_rows import add_event, load_complaint
from desktop.services.complaints import ComplaintService
from desktop.services.errors import ConcurrentEditError, ServiceError
from desktop.services.permissions import allowed, guarded
from desktop.services.records import Actor, ComplaintRecord
from desktop.store.models import Complaint, User

DUE_SOON_DAYS = 3
@dataclass(frozen=True)
class TeamLoad:
    """One team-board row: an agent's workload now."""

    agent_id: int
    login: str
    name: str
    team: str | None
    open: int
    due_today: int
    due_soon: int  # due within the next three days (after today)
    overdue: int
    awaiting_follow_up: int

    def to_json(self) -> dict[str, Any]:
        return {"agent_id": self.agent_id, "login": self.login, "name": self.name, "team": self.team,
                "open": self.open, "due_today": self.due_today, "due_soon": self.due_soon,
                "overdue": self.overdue, "awaiting_follow_up": self.awaiting_follow_up}


def _day_start(now: datetime, days: int) -> datetime:
    day = now.astimezone(BEIJING).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING).astimezone(UTC)


class SupervisionService:
    def __init__(self, sessions: sessionmaker[Session], complaints: ComplaintService) -> None:
        self._sessions = sessions
        self._complaints = complaints

    # -- approvals ---------------------------------------------------------------------------------
    @guarded("case.approve")
    def approve(self, actor: Actor, number: str, note: str | None = None, *,
                expected_version: int | None = None) -> ComplaintRecord:
        """Approve the proposed resolution and compensation of a case awaiting approval."""
        with self._sessions.begin() as session:
            row = self._locked(session, number, expected_version, "approve")
            require_supervisor_of(actor, owner_team(session, row))
            if row.status != Status.PENDING_APPROVAL:
                raise ServiceError(_("Complaint {number} is not awaiting approval.").format(number=row.number))
            now = datetime.now(UTC)
            row.approved_at = now
            row.approved_by_id = actor.id
            row.approval_basis = approval_basis(row.resolution, row.compensation)
            row.updated_at = now
            session.flush()
            add_event(session, row.id, actor, "approval", action="approve", note=(note or "").strip() or None,
                      changes={"resolution": [None, row.resolution],
                               "compensation": [None, None if row.compensation is None else str(row.compensation)]})
            return ComplaintService._record(session, row)

    @guarded("case.approve")
    def return_for_rework(self, actor: Actor, number: str, reason: str, *,
                          expected_version: int | None = None) -> ComplaintRecord:
        """Send a case awaiting approval back to its owner; the reason is required."""
        if not (reason or "").strip():
            raise FieldError("reason", _("Say why the case goes back for rework."))
        return self._complaints.transition(actor, number, Action.RETURN_FOR_REWORK,
                                           expected_version=expected_version, reason=reason.strip())

    @guarded("case.read")
    def awaiting_approval(self, actor: Actor) -> list[str]:
        """Numbers of the cases waiting for this supervisor's decision, nearest deadline first
        (none for someone who may not approve)."""
        if not allowed(actor.role, "case.approve"):
            return []
        query = (select(Complaint.number).where(awaiting_approval_condition(actor))
                 .order_by(Complaint.reply_due_at, Complaint.id))
        with self._sessions() as session:
            return list(session.execute(query).scalars())

    # -- reassignment ------------------------------------------------------------------------------
    @guarded("case.approve")
    def reassign(self, actor: Actor, number: str, to_login: str, reason: str, *,
                 expected_version: int | None = None) -> ComplaintRecord:
        """Give one case to another agent of the team (the bundle import replays this)."""
        with self._sessions.begin() as session:
            target = self._target_agent(session, actor, to_login, reason)
            row = self._locked(session, number, expected_version, "reassign")
            self._move(session, actor, row, target, reason)
            return ComplaintService._record(session, row)

    @guarded("case.approve")
    def reassign_many(self, actor: Actor, numbers: Sequence[str], to_login: str, reason: str) -> list[str]:
        """Give a selection of cases to one agent: all or none."""
        if not numbers:
            raise FieldError("numbers", _("Choose at least one complaint to reassign."))
        with self._sessions.begin() as session:
            target = self._target_agent(session, actor, to_login, reason)
            moved = []
            for number in numbers:
                row = load_complaint(session, number, for_update=True)
                self._move(session, actor, row, target, reason)
                moved.append(row.number)
            return moved

    def _target_agent(self, session: Session, actor: Actor, to_login: str, reason: str) -> User:
        if not (reason or "").strip():
            raise FieldError("reason", _("Say why the case is reassigned."))
        target = session.execute(select(User).where(User.login == to_login.strip())).scalar_one_or_none()
        if target is None or not target.active:
            raise ServiceError(_("No active user signs in as “{login}”.").format(login=to_login))
        require_supervisor_of(actor, target.team)
        return target

    @staticmethod
    def _move(session: Session, actor: Actor, row: Complaint, target: User, reason: str) -> None:
        require_supervisor_of(actor, owner_team(session, row))
        if not row.is_open:
            raise ServiceError(_("Complaint {number} is finished; only open cases are reassigned.")
                               .format(number=row.number))
        if row.assigned_agent_id == target.id:
            return
        old_name = None
        if row.assigned_agent_id is not None:
            old_name = session.execute(select(User.display_name).where(User.id == row.assigned_agent_id)).scalar()
        row.assigned_agent_id = target.id
        row.updated_at = datetime.now(UTC)
        session.flush()
        add_event(session, row.id, actor, "reassigned", note=reason.strip(),
                  changes={"assigned_agent": [old_name, target.display_name]})

    def _locked(self, session: Session, number: str, expected_version: int | None, what: str) -> Complaint:
        row = load_complaint(session, number, for_update=True)
        if expected_version is not None and row.version != expected_version:
            raise ConcurrentEditError(ComplaintService._record(session, row), {"action": what}, expected_version)
        return row

    # -- team board --------------------------------------------------------------------------------
    @guarded("case.approve")
    def team_board(self, actor: Actor, now: datetime | None = None) -> list[TeamLoad]:
        """Per agent of the supervisor's team (or the whole site): open cases and how urgent they are."""
        require_supervisor_of(actor, None)
        now = now or datetime.now(UTC)
        today_end, soon_end = _day_start(now, 1), _day_start(now, 1 + DUE_SOON_DAYS)
        c = Complaint
        is_open = c.is_open.is_(True)

        def count_if(*conditions: Any) -> Any:
            return func.count(case((and_(*conditions), 1)))

        users = select(User).where(User.active.is_(True), User.role == "agent").order_by(User.login)
        if actor.role == "supervisor" and actor.team is not None:
            users = users.where(User.team == actor.team)
        loads = (select(
            c.assigned_agent_id,
            count_if(is_open),
            count_if(is_open, c.reply_due_at > now, c.reply_due_at < today_end),
            count_if(is_open, c.reply_due_at >= today_end, c.reply_due_at < soon_end),
            count_if(is_open, c.reply_due_at <= now),
            count_if(c.status == Status.REPLIED.value),
        ).where(c.assigned_agent_id.is_not(None), c.status.in_([s.value for s in (*OPEN_STATUSES, Status.REPLIED)]))
            .group_by(c.assigned_agent_id))
        with self._sessions() as session:
            counts = {row[0]: row[1:] for row in session.execute(loads)}
            people = list(session.execute(users).scalars())
            return [TeamLoad(u.id, u.login, u.display_name, u.team, *[int(n) for n in counts.get(u.id, (0,) * 5)])
                    for u in people]
