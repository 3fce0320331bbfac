"""The tables in the history hash chain, and how each reads back in its canonical order.

Importing this module registers them with :mod:`desktop.store.chain`. A new append-only
table (e.g. ``audit_events``) joins by adding its own ``register(ChainedTable(...))`` here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from desktop.store.bulk import insert_rows
from desktop.store.chain import AnySelect, ChainedTable, link_rows, queue_row, register
from desktop.store.models import AuditEvent, Complaint, ComplaintEvent, KeyEvent, PersonalDataAccess, User

EVENTS = "complaint_events"


def _events() -> AnySelect:
    return (
        select(ComplaintEvent.chain_seq, ComplaintEvent.prev_hash, ComplaintEvent.hash, ComplaintEvent.id,
               Complaint.number, *event_content_columns())
        .select_from(ComplaintEvent)
        .outerjoin(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .outerjoin(User, User.id == ComplaintEvent.actor_id)
        .where(ComplaintEvent.chain_seq.is_not(None))
        .order_by(ComplaintEvent.chain_seq)
    )


def event_content_columns() -> tuple[Any, ...]:
    """What an event's hash covers, in order: the case by uuid (not id), when, who, what."""
    return (Complaint.uuid, ComplaintEvent.at, User.login, ComplaintEvent.kind, ComplaintEvent.action,
            ComplaintEvent.from_status, ComplaintEvent.to_status, ComplaintEvent.changes, ComplaintEvent.note)


def event_content(case_uuid: str, login: str, row: Mapping[str, Any]) -> tuple[Any, ...]:
    """The hashed content of an event row about to be written, in :func:`event_content_columns` order."""
    return (case_uuid, row["at"], login, row["kind"], row["action"], row["from_status"], row["to_status"],
            row["changes"], row["note"])


def _unchained_events() -> AnySelect:
    return (
        select(ComplaintEvent.id, Complaint.number)
        .select_from(ComplaintEvent)
        .outerjoin(Complaint, Complaint.id == ComplaintEvent.complaint_id)
        .where(ComplaintEvent.chain_seq.is_(None))
        .order_by(ComplaintEvent.id)
    )


register(ChainedTable(EVENTS, _events, _unchained_events))


def append_events(session: Session, login: str, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Chain and insert many history rows now (the bulk writers: an import's publishing, a recompute).

    ``events`` pairs each case's uuid with its event row (every ``complaint_events`` column but
    the id and the chain's three); all are written by ``login``. The rows take their places in the
    hash chain in the given order, exactly as :func:`add_event`'s queued ones do at commit.
    """
    links = link_rows(session, [(EVENTS, event_content(case_uuid, login, row)) for case_uuid, row in events])
    rows = [{**row, **link.columns()} for (_uuid, row), link in zip(events, links, strict=True)]
    connection: Connection = session.connection()
    insert_rows(connection, cast(Table, ComplaintEvent.__table__), rows)


# -- the audit logs: accounts, personal-data access, keys -----------------------------------------
AUDIT = "audit_events"
ACCESS = "personal_data_access"
KEYS = "key_events"
# What each row's hash covers, in order (the row's own columns: these logs are self-contained).
AUDIT_CONTENT = ("at", "actor_login", "action", "target", "details", "host")
ACCESS_CONTENT = ("at", "actor_id", "host", "action", "complaint_id", "field", "reason", "details")
KEYS_CONTENT = ("at", "actor_id", "action", "subject", "fingerprint", "detail")


_CONTENT = {AUDIT: AUDIT_CONTENT, ACCESS: ACCESS_CONTENT, KEYS: KEYS_CONTENT}


def row_content(names: tuple[str, ...], row: Mapping[str, Any]) -> tuple[Any, ...]:
    """The hashed content of a log row about to be written."""
    return tuple(row[name] for name in names)


def queue_log_row(session: Session, table: str, row: dict[str, Any]) -> None:
    """Append one row to an audit log, chained, when the session commits (never a plain INSERT)."""
    names = _CONTENT[table]
    queue_row(session, table, row, lambda _session: row_content(names, row))


def _log_selects(model: Any, names: tuple[str, ...]) -> tuple[Any, Any]:
    def chained() -> AnySelect:
        return (select(model.chain_seq, model.prev_hash, model.hash, model.id, model.action,
                       *(getattr(model, name) for name in names))
                .where(model.chain_seq.is_not(None)).order_by(model.chain_seq))

    def unchained() -> AnySelect:
        return select(model.id, model.action).where(model.chain_seq.is_(None)).order_by(model.id)

    return chained, unchained


for _table, _model, _names in ((AUDIT, AuditEvent, AUDIT_CONTENT), (ACCESS, PersonalDataAccess, ACCESS_CONTENT),
                               (KEYS, KeyEvent, KEYS_CONTENT)):
    register(ChainedTable(_table, *_log_selects(_model, _names)))
