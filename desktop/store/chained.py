"""The tables in the history hash chain, and how each reads back in its canonical order.

Importing this module registers them with :mod:`desktop.store.chain`. A new append-only
table (e.g. ``audit_events``) joins by adding its own ``register(ChainedTable(...))`` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from desktop.store.chain import AnySelect, ChainedTable, register
from desktop.store.models import Complaint, ComplaintEvent, User

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
