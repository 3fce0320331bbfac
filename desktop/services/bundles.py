"""Offline review bundles: export what a supervisor needs to review on a laptop, bring the decisions back.

Export: the chosen cases (personal data masked), their history, citations and letters, the agents
a case may be reassigned to, and each case's version, encrypted and signed (``desktop.bundle.file``);
recorded as a ``review_bundles`` row and a history entry on every case.

Import: each decision goes through the same service operations the desk uses (``APPLY``), checked
against the case's version at export. A case changed meanwhile is not overwritten: the decision is a
conflict, kept with both sides (in the import record and as a note on the case) unless the
supervisor chooses to apply it anyway. A bundle is applied once.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.bundle.file import BundleError, Decision, OpenBundle, PrivateKey, read_bundle, write_bundle
from desktop.domain.codes import Status
from desktop.domain.masking import mask_id_number, mask_name, mask_phone
from desktop.domain.validation import FieldError
from desktop.domain.workflow import IllegalTransitionError, MissingReasonError
from desktop.i18n import N_, _
from desktop.services.case_rows import add_event, load_case
from desktop.services.complaints import ComplaintService
from desktop.services.errors import ConcurrentEditError, ServiceError
from desktop.services.permissions import guarded
from desktop.services.records import Actor, ComplaintRecord, EventRecord
from desktop.services.supervision import SupervisionService
from desktop.store.models import (
    Complaint,
    ComplaintCitation,
    ComplaintEvent,
    Letter,
    ReviewBundleRecord,
    User,
)

PERSONAL_FIELDS = {"customer_name": mask_name, "phone": mask_phone, "contact_phone": mask_phone,
                   "id_number": mask_id_number}
CASE_FIELDS = ("number", "version", "status", "received_at", "channel", "category", "customer_name", "phone",
               "contact_phone", "id_number", "address", "description", "demand", "validity", "assigned_agent_name",
               "investigation_notes", "resolution", "compensation", "reply_method", "reply_due_date",
               "reply_due_at", "status_reason", "satisfaction", "followup_comment")
EXPORTED_NOTE = N_("Exported for offline review in bundle {bundle}.")
CONFLICT_NOTE = N_("Offline review decision not applied: the case changed since the bundle was exported "
                   "(version {exported} then, {current} now). The decision was: {decision}")


def mask_address(text: str | None) -> str | None:
    """Keep the district-level start (first 6 characters): enough to review, not to visit."""
    if not text:
        return text
    return text[:6] + "*" * max(0, len(text) - 6)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row_fields(row: Complaint, agent_names: dict[int, str]) -> dict[str, Any]:
    data = {key: _plain(getattr(row, key)) for key in CASE_FIELDS if key != "assigned_agent_name"}
    data["assigned_agent_name"] = agent_names.get(row.assigned_agent_id) if row.assigned_agent_id else None
    return mask_fields(data)


def mask_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The case fields a review needs, with the customer's personal data masked."""
    for key, mask in PERSONAL_FIELDS.items():
        if fields.get(key):
            fields[key] = mask(str(fields[key]))
    fields["address"] = mask_address(fields.get("address"))
    return fields


def _masked_changes(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    masked: dict[str, list[Any]] = {}
    for key, values in changes.items():
        if key in PERSONAL_FIELDS:
            masked[key] = [PERSONAL_FIELDS[key](str(v)) if v else v for v in values]
        elif key == "address":
            masked[key] = [mask_address(v) for v in values]
        else:
            masked[key] = values
    return masked


def parse_expiry(text: str) -> timedelta:
    """``7d``, ``12h`` or a plain number of days."""
    value = text.strip().lower()
    try:
        if value.endswith("d"):
            delta = timedelta(days=float(value[:-1]))
        elif value.endswith("h"):
            delta = timedelta(hours=float(value[:-1]))
        else:
            delta = timedelta(days=float(value))
    except ValueError:
        raise ServiceError(_("Give the expiry as days or hours, for example 7d or 12h.")) from None
    if delta <= timedelta(0) or delta > timedelta(days=90):
        raise ServiceError(_("A review bundle must expire within 90 days."))
    return delta


@dataclass(frozen=True)
class ExportResult:
    bundle_id: str
    path: Path
    case_count: int
    size: int
    expires_at: datetime


@dataclass(frozen=True)
class Conflict:
    """A decision on a case changed since export: both sides, for the supervisor to choose."""

    decision: Decision
    current: ComplaintRecord
    changes_since: tuple[str, ...]  # how the case changed meanwhile (history lines)


@dataclass
class ImportResult:
    bundle_id: str
    already_applied: bool = False
    applied: list[Decision] = field(default_factory=list)
    forced: list[Decision] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    failed: list[tuple[Decision, str]] = field(default_factory=list)


def describe_decision(decision: Decision) -> str:
    payload = decision.payload
    if decision.kind == "approve":
        return _("approve") + (f" — {payload['comment']}" if payload.get("comment") else "")
    if decision.kind == "return":
        return _("return for rework: {reason}").format(reason=payload.get("reason", ""))
    if decision.kind == "reassign":
        return _("reassign to {agent}").format(agent=payload.get("display_name") or payload.get("login"))
    if decision.kind == "qa_score":
        return _("QA score {score}").format(score=payload.get("score")) + (
            f" — {payload['comment']}" if payload.get("comment") else "")
    return _("comment: {text}").format(text=payload.get("text", ""))


class ReviewNoteService:
    """History entries a supervisor's review adds without changing the case (approval note, QA, comment)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @guarded("bundle.review")
    def add(self, actor: Actor, number: str, action: str, note: str | None,
            changes: dict[str, Any] | None = None) -> None:
        with self._sessions.begin() as session:
            row = load_case(session, actor, number)
            add_event(session, row.id, actor, "review", action=action, changes=changes or {}, note=note)


# -- applying one decision: ONE table; point entries at the review operations once they exist -------------

ApplyFn = Callable[["BundleService", Actor, Decision, int], None]


def _approve(service: BundleService, actor: Actor, decision: Decision, version: int) -> None:
    service.supervision.approve(actor, decision.number, str(decision.payload.get("comment") or "") or None,
                                expected_version=version)


def _return(service: BundleService, actor: Actor, decision: Decision, version: int) -> None:
    service.supervision.return_for_rework(actor, decision.number, str(decision.payload.get("reason") or ""),
                                          expected_version=version)


def _reassign(service: BundleService, actor: Actor, decision: Decision, version: int) -> None:
    reason = str(decision.payload.get("reason") or "") or _("Reassigned in an offline review")
    service.supervision.reassign(actor, decision.number, str(decision.payload["login"]), reason,
                                 expected_version=version)


def _qa_score(service: BundleService, actor: Actor, decision: Decision, _version: int) -> None:
    score = int(decision.payload["score"])
    service.notes.add(actor, decision.number, "qa_score", decision.payload.get("comment") or None,
                      {"qa_score": [None, score]})


def _comment(service: BundleService, actor: Actor, decision: Decision, _version: int) -> None:
    service.notes.add(actor, decision.number, "comment", str(decision.payload.get("text") or ""))


APPLY: dict[str, ApplyFn] = {
    "approve": _approve,      # SupervisionService.approve, as in the desk's approval window
    "return": _return,        # SupervisionService.return_for_rework (reason required)
    "reassign": _reassign,    # SupervisionService.reassign (to an agent of the case's team)
    # The offline form gives one overall score, the desk's quality form scores each checklist item:
    # the offline score is kept as a history note for the supervisor to enter on the checklist.
    "qa_score": _qa_score,
    "comment": _comment,      # a history note
}
CHANGES_VERSION = {"approve", "return", "reassign"}  # decisions whose operation bumps the case version


class BundleService:
    def __init__(self, sessions: sessionmaker[Session], complaints: ComplaintService, actor: Actor) -> None:
        self.sessions = sessions
        self.complaints = complaints
        self.actor = actor
        self.notes = ReviewNoteService(sessions)
        self.supervision = SupervisionService(sessions, complaints)

    # -- export --------------------------------------------------------------------------------
    @guarded("bundle.review")
    def select_numbers(self, *, numbers: list[str] | None = None, queue: str | None = None,
                       team: str | None = None) -> list[str]:
        with self.sessions() as session:
            if numbers:
                found = []
                for number in numbers:
                    found.append(load_case(session, self.actor, number).number)
                return found
            query = select(Complaint.number).order_by(Complaint.reply_due_at, Complaint.id)
            if queue == "approval":
                query = query.where(Complaint.status == Status.PENDING_APPROVAL.value)
            elif queue is not None:
                raise ServiceError(_("Unknown queue {queue}; use: approval.").format(queue=queue))
            if team is not None:
                query = query.join(User, User.id == Complaint.assigned_agent_id).where(
                    User.team == team, Complaint.is_open.is_(True))
            return list(session.execute(query).scalars())

    @guarded("bundle.review")
    def export(self, actor: Actor, numbers: list[str], path: Path, *, passphrase: str, expires_in: timedelta,
               key: PrivateKey, certificate: x509.Certificate, team: str | None = None) -> ExportResult:
        if not numbers:
            raise ServiceError(_("No complaints match; nothing to export."))
        bundle_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        expires_at = now + expires_in
        cases = self._cases_payload(numbers)
        payload = {"bundle_id": bundle_id, "exported_at": now.isoformat(),
                   "exported_by": {"login": actor.login, "display_name": actor.display_name},
                   "cases": cases, "agents": self._agents(team)}
        size = write_bundle(path, payload, bundle_id=bundle_id, expires_at=expires_at, passphrase=passphrase,
                            key=key, certificate=certificate,
                            header_extra={"case_count": len(cases), "exported_by": actor.display_name})
        with self.sessions.begin() as session:
            session.add(ReviewBundleRecord(bundle_id=bundle_id, exported_by_id=actor.id, exported_at=now,
                                           expires_at=expires_at, case_count=len(cases)))
            ids = {number: complaint_id for number, complaint_id in session.execute(
                select(Complaint.number, Complaint.id).where(Complaint.number.in_(numbers)))}
            for number in numbers:
                add_event(session, ids[number], actor, "bundle_export", changes={},
                          note=_(EXPORTED_NOTE).format(bundle=bundle_id), at=now)
        return ExportResult(bundle_id, path, len(cases), size, expires_at)

    def _cases_payload(self, numbers: list[str]) -> list[dict[str, Any]]:
        """Every case with its history, citations and letters, read in a few queries per 500 cases."""
        by_number: dict[str, dict[str, Any]] = {}
        with self.sessions() as session:
            names = {uid: name for uid, name in session.execute(select(User.id, User.display_name))}
            for start in range(0, len(numbers), 500):
                chunk = numbers[start:start + 500]
                rows = session.execute(select(Complaint).where(Complaint.number.in_(chunk))).scalars().all()
                ids = {row.id: row.number for row in rows}
                for row in rows:
                    by_number[row.number] = {"number": row.number, "version": row.version,
                                             "fields": _row_fields(row, names), "history": [], "citations": [],
                                             "letters": []}
                events = session.execute(select(ComplaintEvent).where(ComplaintEvent.complaint_id.in_(ids))
                                         .order_by(ComplaintEvent.complaint_id, ComplaintEvent.at,
                                                   ComplaintEvent.id)).scalars()
                for e in events:
                    by_number[ids[e.complaint_id]]["history"].append({
                        "at": e.at.isoformat(), "actor": names.get(e.actor_id, ""), "kind": e.kind,
                        "action": e.action, "from": e.from_status, "to": e.to_status, "note": e.note,
                        "changes": _masked_changes(EventRecord.decode_changes(e.changes))})
                citations = session.execute(select(ComplaintCitation).where(ComplaintCitation.complaint_id.in_(ids))
                                            .order_by(ComplaintCitation.id)).scalars()
                for c in citations:
                    by_number[ids[c.complaint_id]]["citations"].append({
                        "statute": c.statute_title, "article": c.article, "paragraph": c.paragraph, "item": c.item,
                        "text": c.text, "grade": c.grade, "pack_version": c.pack_version})
                letters = session.execute(select(Letter).where(Letter.complaint_id.in_(ids))
                                          .order_by(Letter.complaint_id, Letter.revision)).scalars()
                for letter in letters:
                    by_number[ids[letter.complaint_id]]["letters"].append({
                        "revision": letter.revision, "language": letter.language, "signed": letter.signed,
                        "signer": letter.signer, "sha256": letter.sha256,
                        "created_at": letter.created_at.isoformat(),
                        "pdf": base64.b64encode(letter.pdf).decode("ascii")})
        return [by_number[number] for number in numbers]

    def _agents(self, team: str | None) -> list[dict[str, Any]]:
        query = select(User).where(User.active.is_(True)).order_by(User.team, User.display_name)
        if team is not None:
            query = query.where(User.team == team)
        with self.sessions() as session:
            return [{"login": u.login, "display_name": u.display_name, "team": u.team, "role": u.role}
                    for u in session.execute(query).scalars()]

    # -- import --------------------------------------------------------------------------------
    def open_for_import(self, path: Path, passphrase: str, trust_roots: list[x509.Certificate]) -> OpenBundle:
        return read_bundle(path, trust_roots).open(passphrase)

    @guarded("bundle.review")
    def apply(self, actor: Actor, bundle: OpenBundle, resolve: Callable[[Conflict], bool] | None = None, *,
              check_only: bool = False) -> ImportResult:
        """Apply every decision once; ``resolve(conflict)`` returns True to apply it anyway.

        ``check_only`` changes nothing: it reports what would apply and what conflicts.
        """
        result = ImportResult(bundle.bundle_id)
        with self.sessions() as session:
            record = session.get(ReviewBundleRecord, bundle.bundle_id)
            if record is None:
                raise BundleError(_("This review bundle was not exported from this database."))
            if record.imported_at is not None:
                result.already_applied = True
                return result
            exported_at = record.exported_at
        expected: dict[str, int] = {}
        for decision in bundle.decisions:
            apply = APPLY.get(decision.kind)
            if apply is None:
                result.failed.append((decision, _("Unknown decision {kind}.").format(kind=decision.kind)))
                continue
            version = expected.get(decision.number, decision.version)
            try:
                current_version = self._version(decision.number)
                if current_version != version:
                    current = self.complaints.get(decision.number)
                    conflict = Conflict(decision, current, self._changes_since(decision.number, exported_at))
                    if check_only:
                        result.conflicts.append(conflict)
                        continue
                    if resolve is not None and resolve(conflict):
                        apply(self, actor, decision, current.version)
                        result.forced.append(decision)
                    else:
                        self._keep_conflict(actor, conflict)
                        result.conflicts.append(conflict)
                        continue
                else:
                    if not check_only:
                        apply(self, actor, decision, version)
                    result.applied.append(decision)
                if decision.kind in CHANGES_VERSION:
                    expected[decision.number] = version + 1 if check_only else self._version(decision.number)
            except ConcurrentEditError as error:  # changed between our check and the operation
                conflict = Conflict(decision, error.current, ())
                self._keep_conflict(actor, conflict)
                result.conflicts.append(conflict)
            except (ServiceError, IllegalTransitionError, MissingReasonError, FieldError, ValueError) as error:
                result.failed.append((decision, str(error)))  # e.g. return a case no longer pending approval
        if not check_only:
            self._record_import(actor, result)
        return result

    def _version(self, number: str) -> int:
        with self.sessions() as session:
            return load_case(session, self.actor, number).version

    def _changes_since(self, number: str, exported_at: datetime) -> tuple[str, ...]:
        with self.sessions() as session:
            row = load_case(session, self.actor, number)
            rows = session.execute(
                select(ComplaintEvent, User.display_name).join(User, User.id == ComplaintEvent.actor_id)
                .where(ComplaintEvent.complaint_id == row.id, ComplaintEvent.at > exported_at,
                       ComplaintEvent.kind.notin_(("bundle_export", "review")))
                .order_by(ComplaintEvent.at, ComplaintEvent.id)).all()
        lines = []
        for event, name in rows:
            what = event.action or event.kind
            changed = ", ".join(sorted(json.loads(event.changes or "{}")))
            lines.append(f"{event.at.astimezone().strftime('%Y-%m-%d %H:%M')} {name}: {what}"
                         + (f" ({changed})" if changed else ""))
        return tuple(lines)

    def _keep_conflict(self, actor: Actor, conflict: Conflict) -> None:
        """Nothing is lost: the unapplied decision goes on the case's history for everyone to see."""
        self.notes.add(actor, conflict.decision.number, "offline_conflict",
                       _(CONFLICT_NOTE).format(exported=conflict.decision.version, current=conflict.current.version,
                                               decision=describe_decision(conflict.decision)),
                       {"decision": [None, conflict.decision.to_json()]})

    def _record_import(self, actor: Actor, result: ImportResult) -> None:
        outcome = {
            "applied": [d.to_json() for d in result.applied],
            "forced": [d.to_json() for d in result.forced],
            "conflicts": [{"decision": c.decision.to_json(), "current_version": c.current.version,
                           "current_status": c.current.status, "changes_since": list(c.changes_since)}
                          for c in result.conflicts],
            "failed": [{"decision": d.to_json(), "error": message} for d, message in result.failed],
        }
        with self.sessions.begin() as session:
            record = session.get(ReviewBundleRecord, result.bundle_id)
            assert record is not None
            record.imported_at = datetime.now(UTC)
            record.imported_by_id = actor.id
            record.outcome = json.dumps(outcome, ensure_ascii=False)
