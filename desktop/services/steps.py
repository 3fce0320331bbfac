"""What each workflow step records on the case besides its new status (no session, no Qt)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.domain.codes import InvalidReason
from desktop.domain.deadlines import BEIJING
from desktop.domain.validation import FieldError
from desktop.domain.workflow import Action
from desktop.i18n import _
from desktop.store.models import Complaint

REPLY_METHODS = ("phone", "sms", "letter", "in_person", "email", "online")


def parse_compensation(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise FieldError("compensation", _("“{value}” is not an amount in yuan.").format(value=value)) from None
    if amount < 0:
        raise FieldError("compensation", _("Compensation cannot be negative."))
    if amount != amount.quantize(Decimal("0.01")):
        raise FieldError("compensation", _("Amounts are kept to the fen (two decimal places)."))
    if amount > Decimal("1000000"):
        raise FieldError("compensation", _("Compensation above 1,000,000 yuan needs the finance system."))
    return amount.quantize(Decimal("0.01"))


def apply_step(row: Complaint, action: Action, details: dict[str, Any], reason: str | None,
               now: datetime) -> datetime | None:
    """Record the step's details on ``row``; returns when the reply clock restarts, if it does."""
    if action == Action.REPLY:
        _record_reply(row, details, now)
    elif action == Action.FOLLOW_UP:
        if details.get("satisfaction") in (None, ""):
            # Never a default: the score is the customer's answer, asked and chosen by the agent.
            raise FieldError("satisfaction", _("Ask the customer and choose a satisfaction score from 1 to 5 "
                                               "before recording the follow-up."))
        try:
            satisfaction = int(details.get("satisfaction", 0))
        except (TypeError, ValueError):
            satisfaction = 0
        if not 1 <= satisfaction <= 5:
            raise FieldError("satisfaction", _("Satisfaction is a whole number from 1 to 5."))
        row.satisfaction = satisfaction
        row.followup_comment = (str(details.get("comment") or "").strip() or None)
        row.followup_at = details.get("followup_at") or now
    elif action == Action.MARK_INVALID:
        code = details.get("invalid_reason") or reason
        try:
            row.invalid_reason = InvalidReason(str(code)).value
        except ValueError:
            raise FieldError("invalid_reason", _("Choose why the complaint is invalid: {codes}.").format(
                codes=", ".join(r.value for r in InvalidReason))) from None
        row.validity = "invalid"
        row.closed_at = now
    elif action == Action.RECORD_APPEAL:
        # The regulator's transfer starts its own clock, counted in working days from the transfer.
        appeal_date = details.get("appeal_date") or now.astimezone(BEIJING).date()
        row.appeal_date = appeal_date
        row.appeal_reference = (str(details.get("appeal_reference") or "").strip() or None)
        row.deadline_rule = "regulator"
        return datetime.combine(appeal_date, datetime.min.time(), BEIJING) if "appeal_date" in details else now
    elif action == Action.REOPEN:
        row.status_reason = reason
        row.closed_at = None
        row.validity = "valid"
        row.invalid_reason = None
        return now  # a reopened complaint is owed a new reply within the full period
    elif action in (Action.WITHDRAW, Action.RETURN_FOR_REWORK):
        row.status_reason = reason
        if action == Action.WITHDRAW:
            row.closed_at = now
    elif action == Action.CLOSE:
        row.closed_at = now
    return None


def _record_reply(row: Complaint, details: dict[str, Any], now: datetime) -> None:
    resolution = str(details.get("resolution") or row.resolution or "").strip()
    if not resolution:
        raise FieldError("resolution", _("Record the resolution before replying to the customer."))
    method = str(details.get("reply_method") or "")
    if method not in REPLY_METHODS:
        raise FieldError("reply_method", _("Choose how the customer was answered: {methods}.").format(
            methods=", ".join(REPLY_METHODS)))
    row.resolution = resolution
    row.reply_method = method
    row.reply_at = details.get("reply_at") or now
    if "compensation" in details:
        row.compensation = parse_compensation(details["compensation"])
