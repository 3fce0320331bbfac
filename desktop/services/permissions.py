"""The one permission table: which role may do which action, and on which cases.

Every public service method that acts for a user is decorated with ``@guarded("action")`` (or calls
``require``); methods that need no actor are listed in ``NO_ACTOR`` with the reason. The matrix test
(tests/services/test_permission_matrix.py) walks every service class and fails on a public method
that is in neither place.

Adding an action is one line in ``RULES``.

Scope (which cases a role sees): agents their own and their team's cases, supervisors the cases of
the teams they lead, admins every case. "Own/team" is decided by the assigned agent (or, for an
unassigned case, the agent who registered it). Queue, list, search and statistics queries add
``case_scope(actor)`` to their SQL; a single case outside the scope is "not found or not permitted".
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.i18n import N_, _
from desktop.services.errors import PermissionDeniedError
from desktop.services.records import Actor
from desktop.store.models import Complaint, User

AGENT, SUPERVISOR, ADMIN = "agent", "supervisor", "admin"
ROLES = (AGENT, SUPERVISOR, ADMIN)
_EVERYONE = frozenset(ROLES)
_LEADS = frozenset({SUPERVISOR, ADMIN})
_ADMIN = frozenset({ADMIN})

# action -> (roles allowed, what it is, as a phrase for "… is not allowed" messages)
RULES: dict[str, tuple[frozenset[str], str]] = {
    "case.read": (_EVERYONE, N_("reading complaints")),
    "case.create": (_EVERYONE, N_("registering complaints")),
    "case.edit": (_EVERYONE, N_("editing complaints")),
    "case.transition": (_EVERYONE, N_("moving complaints through the workflow")),
    "case.letter": (_EVERYONE, N_("issuing outcome letters and capturing signatures")),
    "case.export": (_LEADS, N_("exporting complaints")),
    "case.export_unmasked": (_LEADS, N_("exporting complaints with personal data unmasked")),
    "personal.reveal": (_EVERYONE, N_("revealing a customer's personal data")),
    "personal.bulk_read": (_LEADS, N_("listing personal data unmasked")),
    "case.import": (_LEADS, N_("importing complaints from a file")),
    # Admin-only like the changes that call for it (site periods, calendars): on PostgreSQL a
    # supervisor's own login sees only their teams' cases and would move only those.
    "case.recompute": (_ADMIN, N_("recomputing the deadlines of open complaints")),
    "site.edit": (_ADMIN, N_("changing site settings")),
    "calendar.import": (_ADMIN, N_("importing holiday schedules")),
    "lawpack.import": (_ADMIN, N_("importing or signing statute packs")),
    "keys.manage": (_ADMIN, N_("managing signing keys and trusted CAs")),
    "keys.import": (_EVERYONE, N_("importing one's own signing certificate")),
    "stats.own": (_EVERYONE, N_("viewing own statistics")),
    "stats.team": (_LEADS, N_("viewing team statistics")),
    "user.list": (_LEADS, N_("listing accounts")),
    "user.manage": (_ADMIN, N_("managing accounts")),
    "audit.read": (_ADMIN, N_("reading the audit log")),
    "audit.checkpoint": (_ADMIN, N_("signing a checkpoint of the history")),
    "demo.generate": (_ADMIN, N_("adding demo complaints")),
    "bundle.review": (_LEADS, N_("exporting and importing offline review bundles")),
    "case.approve": (_LEADS, N_("approving, returning and reassigning complaints")),
    "qa.review": (_LEADS, N_("quality review of handled complaints")),
    "qa.read": (_EVERYONE, N_("reading quality reviews")),
}

# "Class.method" -> why it needs no signed-in actor (the matrix test reads this too).
NO_ACTOR: dict[str, str] = {
    "ComplaintService.set_clock": "configuration of the deadline clock, no case data",
    "ComplaintService.preview_deadline": "pure date arithmetic for the intake form",
    "ComplaintService.reply_deadline": "recomputes a deadline of a record the caller already holds",
    "CalendarService.imported_years": "public holiday schedules",
    "CalendarService.load": "public holiday schedules",
    "SiteSettingsService.get": "site-wide settings (operator name, idle lock), needed before sign-in",
    "IdentityService.sign_in": "this is how an actor comes to exist",
    "IdentityService.change_password": "checks the current password itself",
    "IdentityService.setup": "creates the first admin of an empty store only",
    "IdentityService.has_accounts": "whether the store is empty (becomes a demo)",
    "IdentityService.is_set_up": "whether setup is still needed",
    "PersonalDataService.may_reveal": "asks the permission table and the case scope; reveals nothing",
    "AuditService.verify": "recomputes the hash chain; reports only positions and case numbers (the desk's "
                           "indicator runs it on every seat)",
    "AuditService.checkpoints": "the signed chain heads: sequence numbers, hashes, signers",
    "QualityService.checklist": "the site's quality checklist (site data, no case data)",
    "QualityService.average_score": "an average for statistics; StatsService.compute is guarded",
    "BundleService.open_for_import": "decrypts and checks a bundle file; applies nothing (apply is guarded)",
}


def allowed(role: str, action: str) -> bool:
    if action not in RULES:
        raise KeyError(f"no permission rule for {action!r}")  # a programming error, not user input
    return role in RULES[action][0]


def require(actor: Actor, action: str) -> None:
    """Refuse with a message naming the action and the actor's role."""
    if not allowed(actor.role, action):
        raise PermissionDeniedError(_("{name} ({role}) is not allowed to do this: {what}.").format(
            name=actor.display_name, role=role_label(actor.role), what=_(RULES[action][1])))


def role_label(role: str) -> str:
    labels = {AGENT: _("agent"), SUPERVISOR: _("supervisor"), ADMIN: _("admin")}
    return labels.get(role, role)


def case_scope(actor: Actor, *, indexed: bool = False) -> ColumnElement[bool] | None:
    """SQL condition for the cases ``actor`` may see (``None``: all of them).

    One term on the case's owner (assigned agent, else who registered it), wrapped in COALESCE on
    purpose: no index serves it, so SQLite keeps walking the queue's sort index and tests each row,
    instead of collecting every team case by agent and sorting them all (0.9 ms instead of 158 ms for
    a first page of 50 000 rows). ``indexed=True`` gives the same set as terms the agent indexes can
    serve, for counts (nothing to sort there).
    """
    if actor.role == ADMIN:
        return None
    if indexed:
        return or_(*case_scope_parts(actor) or ())
    return func.coalesce(Complaint.assigned_agent_id, Complaint.created_by_id).in_(_members(actor))


def _members(actor: Actor) -> Select[int]:
    teams = actor.teams
    return (select(User.id).where(or_(User.team.in_(teams), User.id == actor.id)) if teams
            else select(User.id).where(User.id == actor.id))  # no team recorded: the agent alone


def case_scope_parts(actor: Actor) -> tuple[ColumnElement[bool], ColumnElement[bool]] | None:
    """:func:`case_scope` as two disjoint halves (assigned in scope; unassigned, registered in scope).

    Counted apart, each half is answered from an index on the assigned agent alone; OR-ed in one
    statement, SQLite walks the filter's index and reads every row to test its owner instead.
    """
    if actor.role == ADMIN:
        return None
    members = _members(actor)
    return (Complaint.assigned_agent_id.in_(members),
            and_(Complaint.assigned_agent_id.is_(None), Complaint.created_by_id.in_(members)))


def may_assign_to(session: Session, actor: Actor, user_id: int | None) -> bool:
    """Whether ``actor`` may hand a case to ``user_id``: within their own scope (admins: anyone)."""
    if user_id is None or actor.role == ADMIN or user_id == actor.id:
        return True
    team = session.execute(select(User.team).where(User.id == user_id, User.active.is_(True))).first()
    return team is not None and team[0] is not None and team[0] in actor.teams


P = ParamSpec("P")
R = TypeVar("R")


def guarded(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Check ``action`` for the acting user before the method runs.

    The actor is the method's ``actor`` argument, or else the service's own ``actor`` (services
    bound to the signed-in seat: queue, statistics, letters, citations, reads of complaints).
    """
    if action not in RULES:
        raise KeyError(f"no permission rule for {action!r}")

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        parameters = list(inspect.signature(method).parameters)
        position = parameters.index("actor") if "actor" in parameters else None

        @functools.wraps(method)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            actor: Any
            if position is None:
                actor = getattr(args[0], "actor")  # noqa: B009 - the bound service's seat
            elif "actor" in kwargs:
                actor = kwargs["actor"]
            else:
                actor = args[position]
            if not isinstance(actor, Actor):
                raise TypeError(f"{method.__qualname__} needs an Actor, got {actor!r}")
            require(actor, action)
            return method(*args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked

    return decorate


def required_action(method: object) -> str | None:
    """The action a service method is guarded by (``None`` when it is not)."""
    found = getattr(method, "required_action", None)
    return found if isinstance(found, str) else None
