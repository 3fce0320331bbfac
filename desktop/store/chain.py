"""One hash chain over every append-only table: each entry names its predecessor's hash.

Every chained row carries ``chain_seq`` (a global sequence shared by all chained tables),
``prev_hash`` (the hash of the entry with ``chain_seq - 1``) and ``hash`` = SHA-256 of a
canonical JSON encoding of ``[table, chain_seq, prev_hash, *content]``. Editing, removing,
inserting or moving any entry — or swapping two cases' histories, since the content names the
case by its uuid — breaks the chain at that place, and :func:`verify_chain` says where.

The head of the chain (last sequence number and hash) lives in the one-row ``chain_head``
table. Appending updates that row first, so the database serialises appenders: PostgreSQL by
the row lock (held to commit), SQLite by its single write lock. Services never append
directly: they queue rows with :func:`queue_row` and the rows are chained and inserted in
one statement just before the transaction commits — the head is the last lock a transaction
takes, so it can never be part of a deadlock cycle.

A new append-only table joins the chain by (1) having the three columns
(:func:`chain_columns` in the model, the same three in its migration), (2) registering a
:class:`ChainedTable` with :func:`register` that says how to read its content back in the
canonical order, and (3) writing through :func:`queue_row` (or :func:`link_rows` for bulk
loads) with the same content in the same order.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeAlias

from sqlalchemy import Connection, Select, event, insert, text
from sqlalchemy.orm import Session

GENESIS_HASH = "0" * 64
# Any select, whatever its columns.
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
HEAD_TABLE = "chain_head"


@lru_cache(maxsize=64)  # a bulk write chains thousands of entries stamped with the same moment
def _instant(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(value: Any) -> Any:
    """The form a content value takes in the hash: instants as UTC ISO text with microseconds."""
    if isinstance(value, datetime):
        return _instant(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


# One encoder for every hash: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_PLAIN = (str, int, bool, type(None))  # already canonical; the common case, checked first


def entry_hash(table: str, seq: int, prev_hash: str, content: Sequence[Any]) -> str:
    payload = [table, seq, prev_hash, *(value if type(value) in _PLAIN else canonical(value) for value in content)]
    return hashlib.sha256(_ENCODER.encode(payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Link:
    seq: int
    prev_hash: str
    hash: str

    def columns(self) -> dict[str, Any]:
        return {"chain_seq": self.seq, "prev_hash": self.prev_hash, "hash": self.hash}


# -- appending --------------------------------------------------------------------------------------

def link_rows(connection: Connection | Session, entries: Sequence[tuple[str, Sequence[Any]]]) -> list[Link]:
    """Reserve places at the head of the chain for ``(table, content)`` entries; their links, in order.

    Must run inside the transaction that inserts the rows; the head row stays locked until commit.
    """
    if not entries:
        return []
    reserved = connection.execute(
        text(f"UPDATE {HEAD_TABLE} SET seq = seq + :n WHERE id = 1 RETURNING seq, hash"), {"n": len(entries)}
    ).one()
    seq = int(reserved[0]) - len(entries)
    prev = str(reserved[1])
    links = []
    for table, content in entries:
        seq += 1
        digest = entry_hash(table, seq, prev, content)
        links.append(Link(seq, prev, digest))
        prev = digest
    connection.execute(text(f"UPDATE {HEAD_TABLE} SET hash = :h WHERE id = 1"), {"h": prev})
    return links


@dataclass
class _Pending:
    table: str
    row: dict[str, Any]
    content: Callable[[Session], Sequence[Any]]


def queue_row(session: Session, table: str, row: dict[str, Any],
              content: Callable[[Session], Sequence[Any]]) -> None:
    """Insert ``row`` into ``table`` when the session commits, chained; ``content`` gives its hashed content."""
    session.info.setdefault("chain_pending", []).append(_Pending(table, row, content))


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    pending: list[_Pending] = session.info.pop("chain_pending", [])
    if not pending:
        return
    session.flush()  # everything else first: the rows the entries point at, and every other lock
    links = link_rows(session, [(item.table, item.content(session)) for item in pending])
    by_table: dict[str, list[dict[str, Any]]] = {}
    for item, link in zip(pending, links, strict=True):
        by_table.setdefault(item.table, []).append({**item.row, **link.columns()})
    from desktop.store.models import Base

    for table, rows in by_table.items():
        session.execute(insert(Base.metadata.tables[table]), rows)
    events = by_table.get("complaint_events")
    if events:
        # Written after the last flush: tell the change feed which cases moved, and how (a
        # "transition" is what another seat's queue and open case refresh on).
        from desktop.store.changes import record_event_kinds

        record_event_kinds(session, [(row["complaint_id"], row["kind"]) for row in events])


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, _previous: Any) -> None:
    session.info.pop("chain_pending", None)


# -- reading back -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainedTable:
    """How to read a chained table back: ``select`` yields, in ``chain_seq`` order, the columns
    ``chain_seq, prev_hash, hash, id, label`` followed by the content in canonical order
    (``label`` is what a person recognises the row by, e.g. the case number)."""

    table: str
    select: Callable[[], AnySelect]
    unchained: Callable[[], AnySelect]  # ``id, label`` of rows that bypassed the chain


_REGISTRY: dict[str, ChainedTable] = {}


def register(spec: ChainedTable) -> None:
    _REGISTRY[spec.table] = spec


def chained_tables() -> list[ChainedTable]:
    return list(_REGISTRY.values())


@dataclass(frozen=True)
class Entry:
    table: str
    seq: int
    prev_hash: str | None
    hash: str | None
    row_id: int
    label: str | None
    content: tuple[Any, ...]


def stream_entries(connection: Connection, batch: int = 20_000) -> Iterator[Entry]:
    """Every chained row of every table, merged in ``chain_seq`` order (constant memory)."""

    def rows(spec: ChainedTable) -> Iterator[Entry]:
        result = connection.execution_options(stream_results=True, yield_per=batch).execute(spec.select())
        for row in result:
            yield Entry(spec.table, int(row[0]), row[1], row[2], int(row[3]), row[4], tuple(row[5:]))

    streams = [rows(spec) for spec in chained_tables()]
    if len(streams) == 1:
        yield from streams[0]
    else:
        yield from heapq.merge(*streams, key=lambda entry: entry.seq)


def read_head(connection: Connection) -> tuple[int, str]:
    row = connection.execute(text(f"SELECT seq, hash FROM {HEAD_TABLE} WHERE id = 1")).one()
    return int(row[0]), str(row[1])


# -- verifying --------------------------------------------------------------------------------------

# How far back/forward a moved entry is looked for: a row whose hash matches its content at a
# nearby sequence number was moved (reordered), not edited.
REORDER_WINDOW = 64


@dataclass(frozen=True)
class Finding:
    """One break in the chain. ``kind``: changed, removed, inserted, reordered, rewritten, head."""

    kind: str
    seq: int | None
    last_seq: int | None = None  # a removed range ends here
    table: str | None = None
    row_id: int | None = None
    label: str | None = None
    detail: str | None = None
    origin: int | None = None  # a reordered entry's own place

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if value is not None}


@dataclass
class ChainReport:
    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    findings: list[Finding] = field(default_factory=list)
    total_findings: int = 0
    limit: int = 1000
    hashes: dict[int, str] = field(default_factory=dict)  # the checkpointed seqs asked about → hash seen

    @property
    def intact(self) -> bool:
        return self.total_findings == 0

    def add(self, finding: Finding) -> None:
        self.total_findings += 1
        if len(self.findings) < self.limit:
            self.findings.append(finding)


def _self_consistent(entry: Entry, seq: int) -> bool:
    return entry.prev_hash is not None and entry_hash(entry.table, seq, entry.prev_hash, entry.content) == entry.hash


def _moved_from(entry: Entry) -> int | None:
    for offset in range(1, REORDER_WINDOW + 1):
        for candidate in (entry.seq - offset, entry.seq + offset):
            if candidate > 0 and _self_consistent(entry, candidate):
                return candidate
    return None


class CheckStoppedError(Exception):
    """The caller asked the walk to stop (the desk is closing)."""


def verify_chain(connection: Connection, *, watch: Sequence[int] = (), limit: int = 1000,
                 progress: Callable[[int], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> ChainReport:
    """Walk the whole chain once, in order; report every break. ``watch``: seqs whose hash to record."""
    report = ChainReport(limit=limit)
    head_seq, head_hash = read_head(connection)
    watched = set(watch)
    expected_seq = 1
    running = GENESIS_HASH  # the hash the next entry should name as its predecessor
    previous: Entry | None = None
    previous_flagged = False
    within = (0, GENESIS_HASH)  # the last entry the head covers
    for entry in stream_entries(connection):
        report.entries += 1
        if stop is not None and report.entries % 10_000 == 1 and stop():
            raise CheckStoppedError
        if progress is not None and report.entries % 200_000 == 0:
            progress(report.entries)
        flagged = False
        if previous is not None and entry.seq == previous.seq:
            report.add(Finding("inserted", entry.seq, None, entry.table, entry.row_id, entry.label,
                               "duplicate sequence number"))
            continue  # keep checking the rest of the chain against the first of the two
        if entry.seq > expected_seq:
            report.add(Finding("removed", expected_seq, entry.seq - 1))
            flagged = True
        if not _self_consistent(entry, entry.seq):
            origin = _moved_from(entry)
            if origin is not None:
                report.add(Finding("reordered", entry.seq, None, entry.table, entry.row_id, entry.label,
                                   origin=origin))
            elif entry.seq > head_seq:
                report.add(Finding("inserted", entry.seq, None, entry.table, entry.row_id, entry.label,
                                   "beyond the chain head"))
            else:
                report.add(Finding("changed", entry.seq, None, entry.table, entry.row_id, entry.label))
            flagged = True
        elif entry.prev_hash != running and not flagged and previous is not None and not previous_flagged:
            # This entry is intact but does not follow its predecessor: the predecessor was
            # rewritten (its hash recomputed after an edit) or this entry was inserted before it.
            report.add(Finding("rewritten", previous.seq, None, previous.table, previous.row_id, previous.label))
            flagged = True
        elif entry.prev_hash != running and previous is None and entry.seq == 1:
            report.add(Finding("changed", entry.seq, None, entry.table, entry.row_id, entry.label))
            flagged = True
        if entry.seq in watched and entry.hash is not None:
            report.hashes[entry.seq] = entry.hash
        if entry.seq <= head_seq:
            within = (entry.seq, entry.hash or "")
        running = entry.hash or ""
        expected_seq = entry.seq + 1
        previous, previous_flagged = entry, flagged
    for spec in chained_tables():
        for row_id, label in connection.execute(spec.unchained()):
            report.add(Finding("inserted", None, None, spec.table, int(row_id), label, "not in the chain"))
    report.head_seq, report.head_hash = head_seq, head_hash
    if head_seq > within[0]:
        report.add(Finding("removed", within[0] + 1, head_seq, detail="after the last entry"))
    elif head_hash != within[1]:
        report.add(Finding("head", head_seq, detail="the chain head does not match the last entry"))
    return report
