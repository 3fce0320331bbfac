"""The complaint workflow as an explicit state machine.

registered → acknowledged → investigating → (pending approval) → replied → followed up → closed,
plus invalid, withdrawn, reopened (with a reason) and appealed (the customer went to the regulator).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.codes import Status, status_label
from desktop.i18n import N_, _


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    INVESTIGATE = "investigate"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    RETURN_FOR_REWORK = "return_for_rework"
    REPLY = "reply"
    FOLLOW_UP = "follow_up"
    CLOSE = "close"
    MARK_INVALID = "mark_invalid"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"
    RECORD_APPEAL = "record_appeal"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status
    label: str  # N_-marked; translate at display time
    irreversible: bool = False  # the desk asks for confirmation first
    needs_reason: bool = False


_S = Status
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.ACKNOWLEDGE, frozenset({_S.REGISTERED}), _S.ACKNOWLEDGED, N_("Acknowledge")),
        Transition(
            Action.INVESTIGATE,
            frozenset({_S.ACKNOWLEDGED, _S.REOPENED, _S.APPEALED}),
            _S.INVESTIGATING,
            N_("Start investigation"),
        ),
        Transition(
            Action.SUBMIT_FOR_APPROVAL, frozenset({_S.INVESTIGATING}), _S.PENDING_APPROVAL,
            N_("Submit for approval"),
        ),
        Transition(
            Action.RETURN_FOR_REWORK, frozenset({_S.PENDING_APPROVAL}), _S.INVESTIGATING,
            N_("Return for rework"), needs_reason=True,
        ),
        Transition(
            Action.REPLY, frozenset({_S.INVESTIGATING, _S.PENDING_APPROVAL}), _S.REPLIED,
            N_("Record reply to customer"),
        ),
        Transition(Action.FOLLOW_UP, frozenset({_S.REPLIED}), _S.FOLLOWED_UP, N_("Record follow-up")),
        Transition(
            Action.CLOSE, frozenset({_S.FOLLOWED_UP}), _S.CLOSED, N_("Close the case"), irreversible=True,
        ),
        Transition(
            Action.MARK_INVALID,
            # From pending approval: the site's policy may require a supervisor to approve it first.
            frozenset({_S.REGISTERED, _S.ACKNOWLEDGED, _S.INVESTIGATING, _S.PENDING_APPROVAL}),
            _S.INVALID,
            N_("Mark invalid"),
            irreversible=True,
            needs_reason=True,
        ),
        Transition(
            Action.WITHDRAW,
            frozenset({_S.REGISTERED, _S.ACKNOWLEDGED, _S.INVESTIGATING, _S.PENDING_APPROVAL, _S.REOPENED}),
            _S.WITHDRAWN,
            N_("Customer withdrew"),
            irreversible=True,
            needs_reason=True,
        ),
        Transition(
            Action.REOPEN,
            frozenset({_S.REPLIED, _S.FOLLOWED_UP, _S.CLOSED, _S.INVALID}),
            _S.REOPENED,
            N_("Reopen"),
            needs_reason=True,
        ),
        Transition(
            Action.RECORD_APPEAL,
            frozenset(
                {_S.ACKNOWLEDGED, _S.INVESTIGATING, _S.PENDING_APPROVAL, _S.REPLIED, _S.FOLLOWED_UP,
                 _S.CLOSED, _S.REOPENED, _S.REGISTERED}
            ),
            _S.APPEALED,
            N_("Record appeal to the regulator"),
        ),
    )
}


class IllegalTransitionError(Exception):
    """The requested step is not allowed from the complaint's current status."""

    def __init__(self, action: Action, current: Status) -> None:
        self.action = action
        self.current = current
        transition = TRANSITIONS[action]
        allowed = "、".join(status_label(s) for s in sorted(transition.sources))
        super().__init__(
            _("Cannot “{action}” a complaint that is “{status}”; this is possible only when it is: {allowed}.").format(
                action=_(transition.label), status=status_label(current), allowed=allowed
            )
        )


class MissingReasonError(ValueError):
    def __init__(self, action: Action) -> None:
        self.action = action
        super().__init__(
            _("“{action}” needs a reason.").format(action=_(TRANSITIONS[action].label))
        )


def allowed_actions(current: Status) -> list[Action]:
    """Actions legal from ``current``, in workflow order (drives the case view's buttons)."""
    return [action for action, t in TRANSITIONS.items() if current in t.sources]


def apply(action: Action, current: Status, reason: str | None = None) -> Status:
    """Return the status after ``action``, or raise a typed error an agent understands."""
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise IllegalTransitionError(action, current)
    if transition.needs_reason and not (reason and reason.strip()):
        raise MissingReasonError(action)
    return transition.target
