"""Human names for stored fields and codes, so the timeline reads “状态：已登记 → 已确认”."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from desktop.domain.codes import category_label, channel_label, invalid_reason_label, status_label
from desktop.domain.exchange import REPLY_METHOD_LABELS, VALIDITY_LABELS
from desktop.domain.masking import PERSONAL_FIELDS, mask_field, mask_text
from desktop.formatting import fmt_date, fmt_datetime
from desktop.i18n import N_, _
from desktop.ui.intake.fields import FIELD_LABELS

EMPTY = "—"
_MORE_LABELS = {
    "status": N_("Status"),
    "investigation_notes": N_("Investigation notes"),
    "resolution": N_("Resolution"),
    "compensation": N_("Compensation (yuan)"),
    "assigned_agent_id": N_("Assigned agent"),
    "followup_comment": N_("Follow-up comment"),
    "reply_method": N_("Reply method"),
    "reply_at": N_("Replied at"),
    "satisfaction": N_("Satisfaction"),
    "followup_at": N_("Followed up at"),
    "invalid_reason": N_("Reason for invalidity"),
    "validity": N_("Validity"),
    "appeal_date": N_("Appeal date"),
    "appeal_reference": N_("Appeal reference"),
    "status_reason": N_("Reason"),
    "reply_due_date": N_("Reply due date"),
    "closed_at": N_("Closed at"),
    "linked": N_("Linked complaint"),
    "citation": N_("Citation"),
    "letter_revision": N_("Letter revision"),
}


def _reply_method(code: str) -> str:
    return _(REPLY_METHOD_LABELS[code])


def _validity(code: str) -> str:
    return _(VALIDITY_LABELS[code])


_CODE_LABELS: dict[str, Callable[[str], str]] = {
    "status": status_label,
    "channel": channel_label,
    "category": category_label,
    "invalid_reason": invalid_reason_label,
    "reply_method": _reply_method,
    "validity": _validity,
}


def field_name(field: str) -> str:
    msgid = FIELD_LABELS.get(field) or _MORE_LABELS.get(field)
    return _(msgid) if msgid else field


def reply_method_label(code: str) -> str:
    return _(REPLY_METHOD_LABELS[code]) if code in REPLY_METHOD_LABELS else code


def value_text(field: str, value: Any, *, limit: int | None = 60, masked: bool = True) -> str:
    """A stored value as an agent reads it; long texts are cut (the tooltip has them whole).

    Personal fields are masked unless ``masked`` is False (what the agent typed themself).
    """
    if value is None or value == "":
        return EMPTY
    if masked and field in PERSONAL_FIELDS:  # the history never shows a phone or ID number whole
        return mask_field(field, str(value)) or EMPTY
    labeller = _CODE_LABELS.get(field)
    if labeller is not None:
        try:
            return labeller(str(value))
        except (KeyError, ValueError):
            return str(value)
    text = str(value)
    if field.endswith("_at") or field == "received_at":
        try:
            return fmt_datetime(datetime.fromisoformat(text))
        except ValueError:
            pass
    if field.endswith("_date"):
        try:
            return fmt_date(date.fromisoformat(text))
        except ValueError:
            pass
    if masked:  # a number typed into a description or a note
        text = mask_text(text)
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text
