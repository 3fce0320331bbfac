"""Plain, immutable values that services hand to the CLI and the Qt layer (never ORM objects)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# The queue/history row is a store shape (its fields are the columns the store selects); services
# hand it on with the other records, so it is re-exported here.
from desktop.store.summary import ComplaintSummary as ComplaintSummary


@dataclass(frozen=True)
class Actor:
    """The signed-in user on whose behalf a service call runs."""

    id: int
    login: str
    display_name: str
    role: str
    team: str | None = None
    other_teams: tuple[str, ...] = ()  # further teams a supervisor leads
    must_change_password: bool = False

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")

    @property
    def teams(self) -> tuple[str, ...]:
        """Every team whose cases are in scope (home team first)."""
        home = (self.team,) if self.team else ()
        return home + tuple(t for t in self.other_teams if t != self.team)


@dataclass(frozen=True)
class ComplaintRecord:
    id: int
    uuid: str
    number: str
    version: int
    received_at: datetime
    channel: str
    category: str
    customer_name: str
    phone: str
    contact_phone: str | None
    id_number: str | None
    address: str | None
    description: str
    demand: str
    validity: str
    invalid_reason: str | None
    status: str
    status_reason: str | None
    assigned_agent_id: int | None
    assigned_agent_name: str | None
    investigation_notes: str | None
    resolution: str | None
    compensation: Decimal | None
    reply_at: datetime | None
    reply_method: str | None
    followup_at: datetime | None
    satisfaction: int | None
    followup_comment: str | None
    appeal_date: date | None
    appeal_reference: str | None
    clock_start_at: datetime
    reply_due_date: date
    reply_due_at: datetime
    ack_due_at: datetime
    deadline_rule: str
    calendar_provisional: bool
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    linked_numbers: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime | date):
                data[key] = value.isoformat()
            elif isinstance(value, Decimal):
                data[key] = str(value)
            elif isinstance(value, tuple):
                data[key] = list(value)
        return data


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: datetime
    actor_name: str
    kind: str
    action: str | None
    from_status: str | None
    to_status: str | None
    changes: dict[str, list[Any]]
    note: str | None

    @staticmethod
    def decode_changes(raw: str) -> dict[str, list[Any]]:
        loaded = json.loads(raw or "{}")
        assert isinstance(loaded, dict)
        return loaded
