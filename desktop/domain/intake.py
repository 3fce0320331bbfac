"""What an agent types at intake, checked and normalised before anything is stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.domain.codes import Category, Channel
from desktop.domain.datetimes import parse_datetime
from desktop.domain.validation import (
    FieldError,
    clean_text,
    normalize_phone,
    validate_id_number,
)
from desktop.i18n import _

NAME_MAX = 64
ADDRESS_MAX = 200
DESCRIPTION_MAX = 4000
DEMAND_MAX = 1000

INPUT_FIELDS = (
    "received_at",
    "channel",
    "category",
    "customer_name",
    "phone",
    "contact_phone",
    "id_number",
    "address",
    "description",
    "demand",
)
REQUIRED_FIELDS = ("received_at", "channel", "category", "customer_name", "phone", "description", "demand")


@dataclass(frozen=True)
class ComplaintInput:
    received_at: datetime
    channel: Channel
    category: Category
    customer_name: str
    phone: str
    description: str
    demand: str
    contact_phone: str | None = None
    id_number: str | None = None
    address: str | None = None


class IntakeError(ValueError):
    """One or more fields are wrong; ``errors`` lists every one, in form order."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.message for e in errors))


def parse_received_at(value: Any, field: str = "received_at") -> datetime:
    """Accept a datetime or an ISO 8601 string; a time without a zone is Beijing time."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError(field, _("Enter when the complaint was received."))
    return parse_datetime(value, field)


def _scalar_text(raw: Mapping[str, Any], key: str) -> FieldError | None:
    """A field read from JSON must be text (or a number for phones); a list or object is refused."""
    value = raw.get(key)
    if value is None or isinstance(value, str | datetime):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key in ("phone", "contact_phone"):
        return None
    return FieldError(key, _("Expected text, got a {kind}.").format(kind=type(value).__name__))


def _code(enum_type: type[Channel] | type[Category], value: Any, field: str) -> Any:
    try:
        return enum_type(str(value).strip())
    except ValueError:
        choices = ", ".join(member.value for member in enum_type)
        raise FieldError(
            field, _("“{value}” is not a known code; choose one of: {choices}.").format(value=value, choices=choices)
        ) from None


def _optional(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_input(raw: Mapping[str, Any], *, now: datetime | None = None) -> ComplaintInput:
    """Validate every field and collect all problems at once, so the agent fixes them in one go."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    unknown = sorted(set(raw) - set(INPUT_FIELDS))
    if unknown:
        errors.append(
            FieldError("input", _("Unknown field(s): {names}.").format(names=", ".join(unknown)))
        )

    wrong_types = [e for e in (_scalar_text(raw, k) for k in INPUT_FIELDS) if e is not None]
    if wrong_types:
        raise IntakeError(wrong_types)

    def attempt(key: str, func: Any, *args: Any, **kwargs: Any) -> None:
        try:
            values[key] = func(*args, **kwargs)
        except FieldError as error:
            errors.append(error)

    for key in REQUIRED_FIELDS:
        if key in ("received_at",):
            continue
        if raw.get(key) in (None, ""):
            errors.append(FieldError(key, _("This field is required.")))
    attempt("received_at", parse_received_at, raw.get("received_at"))
    if "received_at" in values and now is not None and values["received_at"] > now:
        errors.append(FieldError("received_at", _("The receipt time lies in the future.")))
        values.pop("received_at")
    if raw.get("channel"):
        attempt("channel", _code, Channel, raw["channel"], "channel")
    if raw.get("category"):
        attempt("category", _code, Category, raw["category"], "category")
    if raw.get("customer_name"):
        attempt("customer_name", clean_text, str(raw["customer_name"]), "customer_name",
                max_length=NAME_MAX, required=True, multiline=False)
    if raw.get("phone"):
        attempt("phone", normalize_phone, str(raw["phone"]), "phone")
    contact = _optional(raw, "contact_phone")
    if contact:
        attempt("contact_phone", normalize_phone, contact, "contact_phone")
    id_number = _optional(raw, "id_number")
    if id_number:
        attempt("id_number", validate_id_number, id_number, "id_number")
    address = _optional(raw, "address")
    if address:
        attempt("address", clean_text, address, "address", max_length=ADDRESS_MAX, multiline=False)
    if raw.get("description"):
        attempt("description", clean_text, str(raw["description"]), "description",
                max_length=DESCRIPTION_MAX, required=True)
    if raw.get("demand"):
        attempt("demand", clean_text, str(raw["demand"]), "demand", max_length=DEMAND_MAX, required=True)

    if errors:
        order = {name: index for index, name in enumerate(("input", *INPUT_FIELDS))}
        errors.sort(key=lambda e: order.get(e.field, len(order)))
        raise IntakeError(errors)
    return ComplaintInput(
        received_at=values["received_at"],
        channel=values["channel"],
        category=values["category"],
        customer_name=values["customer_name"],
        phone=values["phone"],
        description=values["description"],
        demand=values["demand"],
        contact_phone=values.get("contact_phone"),
        id_number=values.get("id_number"),
        address=values.get("address"),
    )
