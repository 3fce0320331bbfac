"""Approval rules the workflow enforces, and the one supervisor check (no Qt).

Every permission decision of the supervisor's desk goes through ``require_supervisor_of`` (a
supervisor of the case's team, or an admin) so the site's permission table can replace it in one
place. ``enforce_step`` is called by ``ComplaintService.transition`` inside its transaction.
"""

from __future__ import annotations

import json

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.orm import Session

from desktop.domain.approval import ApprovalPolicy, PolicyError, approval_basis
from desktop.domain.codes import Status
from desktop.domain.validation import FieldError
from desktop.domain.workflow import Action
from desktop.i18n import _
from desktop.services.errors import PermissionDeniedError, ServiceError
from desktop.services.permissions import require
from desktop.services.records import Actor
from desktop.store.models import Complaint, SiteSetting, User

APPROVAL_POLICY_KEY = "approval_policy"


class ApprovalRequiredError(ServiceError):
    """The step needs a supervisor's approval that the case does not (or no longer) have."""


# -- permission --------------------------------------------------------------------------------
def require_supervisor_of(actor: Actor, case_team: str | None) -> None:
    """The one check behind every supervisor-only step: an admin, or a supervisor of the case's team.

    A supervisor with no team recorded supervises the whole site.
    """
    require(actor, "case.approve")  # the permission table's row: supervisors and admins
    if actor.role == "admin":
        return
    if actor.teams and case_team is not None and case_team not in actor.teams:
        raise PermissionDeniedError(_("{name} supervises team “{mine}”; this case belongs to team “{theirs}”.")
                                    .format(name=actor.display_name, mine=actor.team, theirs=case_team))


def owner_team(session: Session, row: Complaint) -> str | None:
    if row.assigned_agent_id is None:
        return None
    team: str | None = session.execute(select(User.team).where(User.id == row.assigned_agent_id)).scalar_one_or_none()
    return team


def load_policy(session: Session) -> ApprovalPolicy:
    row = session.get(SiteSetting, APPROVAL_POLICY_KEY)
    try:
        return ApprovalPolicy.from_json(json.loads(row.value) if row is not None else None)
    except (PolicyError, ValueError):
        return ApprovalPolicy.from_json(None)  # a damaged setting falls back to the strict defaults


def approval_is_current(row: Complaint) -> bool:
    return row.approved_at is not None and row.approval_basis == approval_basis(row.resolution, row.compensation)


def enforce_step(session: Session, actor: Actor, row: Complaint, action: Action, before: Status) -> None:
    """Called by ``ComplaintService.transition`` after the step's details are on ``row``, before saving.

    Refuses (rolling the step back) what the approval policy and the supervisor rules forbid, and
    clears an approval that a new round of work makes stale.
    """
    if action == Action.RETURN_FOR_REWORK:
        require_supervisor_of(actor, owner_team(session, row))
    if (before == Status.PENDING_APPROVAL and action in (Action.REPLY, Action.MARK_INVALID)
            and not actor.is_supervisor and row.assigned_agent_id != actor.id):
        raise PermissionDeniedError(_("Complaint {number} awaits approval; only its owner or a supervisor may "
                                      "answer it.").format(number=row.number))
    if action in (Action.REPLY, Action.MARK_INVALID) and not actor.is_supervisor:
        reasons = load_policy(session).reasons(action, channel=row.channel, category=row.category,
                                               deadline_rule=row.deadline_rule, compensation=row.compensation)
        if reasons and not approval_is_current(row):
            why = "、".join(reasons)
            if row.approved_at is not None:
                message = _("The approval of complaint {number} no longer counts: the resolution or compensation "
                            "changed after it was approved ({why}). Submit it for approval again.")
            elif before == Status.PENDING_APPROVAL:
                message = _("Complaint {number} needs a supervisor's approval first ({why}); it is waiting "
                            "for one.")
            else:
                message = _("Complaint {number} needs a supervisor's approval first ({why}): submit it for "
                            "approval.")
            raise ApprovalRequiredError(message.format(number=row.number, why=why))
    if action == Action.SUBMIT_FOR_APPROVAL and not (row.resolution or "").strip():
        # What a supervisor approves is a proposal: without one there is nothing to decide.
        raise FieldError("resolution", _("Record the proposed resolution (or why the complaint is invalid) "
                                         "before submitting it for approval."))
    if action in (Action.SUBMIT_FOR_APPROVAL, Action.RETURN_FOR_REWORK, Action.REOPEN, Action.RECORD_APPEAL):
        row.approved_at = None
        row.approved_by_id = None
        row.approval_basis = None


def awaiting_approval_condition(actor: Actor) -> ColumnElement[bool]:
    """Cases waiting for ``actor``'s decision: pending, not yet approved, in a team they supervise."""
    if not actor.is_supervisor:
        return false()
    condition = and_(Complaint.status == Status.PENDING_APPROVAL.value, Complaint.approved_at.is_(None))
    if actor.role == "supervisor" and actor.team is not None:
        condition = and_(condition, Complaint.assigned_agent_id.in_(select(User.id).where(User.team == actor.team)))
    return condition
