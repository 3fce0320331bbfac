"""Which details each workflow step takes, checked by name and type before the step runs.

A detail the step does not use is refused by name (it would otherwise be silently dropped), and
dates typed as text are parsed here so ``followup_at=yesterday`` is one clear error, not a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import desktop.domain.exchange  # noqa: F401 - names the work fields in messages
from desktop.domain.datetimes import parse_date, parse_datetime
from desktop.domain.validation import FieldError, clean_text
from desktop.domain.workflow import Action
from desktop.i18n import _

STEP_DETAILS: dict[Action, tuple[str, ...]] = {
    Action.REPLY: ("resolution", "reply_method", "compensation", "reply_at"),
    Action.FOLLOW_UP: ("satisfaction", "comment", "followup_at"),
    Action.MARK_INVALID: ("invalid_reason",),
    Action.RECORD_APPEAL: ("appeal_date", "appeal_reference"),
}
_DATETIMES = ("reply_at", "followup_at")
_TEXTS = ("resolution", "comment", "appeal_reference")
_TEXT_LIMIT = 4000


def check_step_details(action: Action, details: Mapping[str, Any], *,
                       now: datetime | None = None) -> dict[str, Any]:
    """The details with dates parsed; ``FieldError`` for an unknown key, a wrong type or a bad date."""
    allowed = STEP_DETAILS.get(action, ())
    unknown = sorted(set(details) - set(allowed))
    if unknown:
        if allowed:
            problem = _("The step “{action}” does not take {names}; it takes: {allowed}.").format(
                action=action.value, names=", ".join(unknown), allowed=", ".join(allowed))
        else:
            problem = _("The step “{action}” takes no details (got {names}); edit the case with "
                        "“complaint update” instead.").format(action=action.value, names=", ".join(unknown))
        raise FieldError("input", problem)
    result: dict[str, Any] = {}
    for key, value in details.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal | datetime | date):
            raise FieldError(key, _("Expected text, got a {kind}.").format(kind=type(value).__name__))
        if key in _DATETIMES:
            parsed = parse_datetime(value, key)
            if now is not None and parsed > now + timedelta(minutes=5):
                raise FieldError(key, _("This time lies in the future."))
            result[key] = parsed
        elif key == "appeal_date":
            result[key] = parse_date(value, key)
        elif key in _TEXTS and isinstance(value, str):
            result[key] = clean_text(value, key, max_length=_TEXT_LIMIT)
        else:
            result[key] = value
    return result


def check_work_text(key: str, value: Any) -> str | None:
    """A free-text work field (notes, resolution, comment) as stored; ``None`` clears it."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError(key, _("Expected text, got a {kind}.").format(kind=type(value).__name__))
    return clean_text(value, key, max_length=_TEXT_LIMIT) or None


def check_agent_id(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise FieldError("assigned_agent_id", _("“{value}” is not a user.").format(value=value))
    return int(value)
