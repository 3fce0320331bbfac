"""Personal data: masked by default, revealed only with a reason, every access on record.

MIIT Order 24 (电信和互联网用户个人信息保护规定) art. 13 and PIPL art. 51: who handled which
personal information, when, on which PC and why. Every reveal, clipboard copy, export and bulk
read goes through :class:`PersonalDataService`, which checks the permission and appends one row to
``personal_data_access`` (the database refuses to change or delete rows there).
"""

from __future__ import annotations

import dataclasses
import json
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import BEIJING
from desktop.domain.masking import PERSONAL_FIELDS, mask_field, mask_text
from desktop.i18n import N_, _
from desktop.services.case_rows import load_case
from desktop.services.errors import ServiceError
from desktop.services.permissions import allowed, guarded
from desktop.services.records import Actor, ComplaintRecord, ComplaintSummary
from desktop.store.chained import ACCESS, queue_log_row
from desktop.store.models import Complaint, PersonalDataAccess, User

_T = TypeVar("_T")
REVEAL, COPY, EXPORT, BULK_READ = "reveal", "copy", "export", "bulk_read"
ACTION_LABELS = {
    REVEAL: N_("Revealed"),
    COPY: N_("Copied without showing"),
    EXPORT: N_("Exported"),
    BULK_READ: N_("Bulk read"),
}
# Offered in the reveal dialog; any other reason may be typed.
REASON_PRESETS = (
    N_("Call back the customer"),
    N_("Verify the customer's identity"),
    N_("Send a letter to the customer"),
    N_("Regulator inquiry"),
)
MIN_REASON_LENGTH = 2


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def this_host() -> str:
    """Which PC: the network name of this seat."""
    try:
        return socket.gethostname() or "unknown"
    except OSError:
        return "unknown"


# -- permissions: rows of the one permission table (desktop/services/permissions.py) ---------------
def may_bulk_read(actor: Actor) -> bool:
    """Unmasked lists of many cases (``personal.bulk_read``)."""
    return allowed(actor.role, "personal.bulk_read")


def may_read_access_log(actor: Actor) -> bool:
    """Who accessed personal data (``audit.read``: admins)."""
    return allowed(actor.role, "audit.read")


def clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) < MIN_REASON_LENGTH:
        raise ServiceError(_("Give a reason (at least {count} characters); it is kept in the access log.").format(
            count=MIN_REASON_LENGTH))
    return text


# -- masking of whole records --------------------------------------------------------------------
def mask_record(record: ComplaintRecord) -> ComplaintRecord:
    """The record as everyone sees it by default: personal fields partly hidden, and any phone or
    ID number an agent typed into a free-text field masked too."""
    def text(value: str | None) -> str | None:
        return mask_text(value) if value else value

    return dataclasses.replace(
        record, description=mask_text(record.description), demand=mask_text(record.demand),
        investigation_notes=text(record.investigation_notes), resolution=text(record.resolution),
        followup_comment=text(record.followup_comment),
        customer_name=mask_field("customer_name", record.customer_name) or "",
        phone=mask_field("phone", record.phone) or "", contact_phone=mask_field("contact_phone", record.contact_phone),
        id_number=mask_field("id_number", record.id_number), address=mask_field("address", record.address))


def mask_summary(summary: ComplaintSummary) -> ComplaintSummary:
    return summary._replace(customer_name=mask_field("customer_name", summary.customer_name) or "",
                            phone=mask_field("phone", summary.phone) or "")


@dataclass(frozen=True)
class AccessQuery:
    """Filters of the access log; days are Beijing dates, both ends included."""

    from_day: date | None = None
    to_day: date | None = None
    login: str | None = None
    number: str | None = None


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: datetime
    login: str
    actor_name: str
    host: str
    action: str
    number: str | None
    field: str | None
    reason: str
    details: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["at"] = self.at.isoformat()
        return data


ACCESS_COLUMNS = ("id", "at", "login", "actor_name", "host", "action", "number", "field", "reason", "details")


class PersonalDataService:
    def __init__(self, sessions: sessionmaker[Session], host: str | None = None) -> None:
        self._sessions = sessions
        self._host = host or this_host()

    # -- one case ------------------------------------------------------------------------------
    @guarded("personal.reveal")
    def reveal(self, actor: Actor, number: str, field: str, reason: str | None) -> str | None:
        """The stored, unmasked value of ``field``; refused without a reason or the permission. Recorded."""
        return self._take(actor, number, field, reason, REVEAL)

    @guarded("personal.reveal")
    def use_without_showing(self, actor: Actor, number: str, field: str, reason: str | None) -> str | None:
        """The value for a call-back or the clipboard (never put on screen); recorded as a copy."""
        return self._take(actor, number, field, reason, COPY)

    def may_reveal(self, actor: Actor, number: str) -> bool:
        """Whether ``actor`` may reveal on this case: the permission and the case within their scope."""
        if not allowed(actor.role, "personal.reveal"):
            return False
        with self._sessions() as session:
            try:
                load_case(session, actor, number)
            except ServiceError:
                return False
            return True

    def _take(self, actor: Actor, number: str, field: str, reason: str | None, action: str) -> str | None:
        if field not in PERSONAL_FIELDS:
            raise ServiceError(_("“{field}” is not a personal data field; choose one of: {fields}.").format(
                field=field, fields=", ".join(PERSONAL_FIELDS)))
        text = clean_reason(reason)
        with self._sessions.begin() as session:
            row = load_case(session, actor, number)  # another team's case: "not found or not permitted"
            self._append(session, actor, action, text, complaint_id=row.id, field=field, details={})
            value: str | None = getattr(row, field)
            return value

    # -- many cases ----------------------------------------------------------------------------
    @guarded("personal.bulk_read")
    def bulk_read(self, actor: Actor, reason: str | None, read: Callable[[], Sequence[_T]], *,
                  what: str) -> Sequence[_T]:
        """Run ``read`` (a list of cases shown unmasked) for a supervisor with a reason; recorded with its size."""
        text = clean_reason(reason)
        rows = read()
        self.record(actor, BULK_READ, text, {"rows": len(rows), "masked": False, "what": what})
        return rows

    @guarded("case.read")
    def record(self, actor: Actor, action: str, reason: str, details: dict[str, Any]) -> None:
        """Append an export or bulk read (``details``: row count, masked or not, format …)."""
        if action not in ACTION_LABELS:
            raise ValueError(action)
        with self._sessions.begin() as session:
            self._append(session, actor, action, reason, complaint_id=None, field=None, details=details)

    def _append(self, session: Session, actor: Actor, action: str, reason: str, *, complaint_id: int | None,
                field: str | None, details: dict[str, Any]) -> None:
        queue_log_row(session, ACCESS, {
            "at": datetime.now(UTC), "actor_id": actor.id, "host": self._host, "action": action,
            "complaint_id": complaint_id, "field": field, "reason": reason,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True)})

    # -- the log (admins) ----------------------------------------------------------------------
    @guarded("audit.read")
    def count(self, actor: Actor, query: AccessQuery) -> int:  # noqa: ARG002 - checked by @guarded
        with self._sessions() as session:
            filtered = (select(func.count(PersonalDataAccess.id)).select_from(PersonalDataAccess)
                        .join(User, User.id == PersonalDataAccess.actor_id)
                        .outerjoin(Complaint, Complaint.id == PersonalDataAccess.complaint_id)
                        .where(*_conditions(query)))
            return int(session.execute(filtered).scalar_one())

    @guarded("audit.read")
    def entries(self, actor: Actor, query: AccessQuery, *,  # noqa: ARG002 - checked by @guarded
                limit: int = 200, offset: int = 0) -> list[AccessEntry]:
        """Newest first, one page."""
        statement = (select(PersonalDataAccess, User.login, User.display_name, Complaint.number)
                     .join(User, User.id == PersonalDataAccess.actor_id)
                     .outerjoin(Complaint, Complaint.id == PersonalDataAccess.complaint_id)
                     .where(*_conditions(query))
                     .order_by(PersonalDataAccess.at.desc(), PersonalDataAccess.id.desc())
                     .limit(limit).offset(offset))
        with self._sessions() as session:
            return [
                AccessEntry(id=row.id, at=row.at, login=login, actor_name=name, host=row.host, action=row.action,
                            number=number, field=row.field, reason=row.reason, details=json.loads(row.details))
                for row, login, name, number in session.execute(statement).all()
            ]


def _beijing_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BEIJING).astimezone(UTC)


def _conditions(query: AccessQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.from_day is not None:
        conditions.append(PersonalDataAccess.at >= _beijing_midnight(query.from_day))
    if query.to_day is not None:
        conditions.append(PersonalDataAccess.at < _beijing_midnight(query.to_day + timedelta(days=1)))
    if query.login:
        conditions.append(User.login == query.login.strip())
    if query.number:
        conditions.append(Complaint.number == query.number.strip().upper())
    return conditions
