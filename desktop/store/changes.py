"""What changed, for every seat: the change log every write appends to, and the feed that reads it.

Every flush that touches a case (any history event, any edit of the complaint row) or a piece of
shared state (site settings, holiday calendars, law packs) appends rows to ``change_log`` in the
same transaction. On PostgreSQL the same transaction also sends ``NOTIFY complaint_desk`` with the
entry, delivered only when it commits. Other seats learn about it through a :class:`ChangeFeed`:

* PostgreSQL: a listening connection (``LISTEN complaint_desk``) on a background thread, which also
  connects, so starting the feed never waits for the server; once it listens (and again after each
  reconnect) it delivers one :attr:`OpChanges.refresh`, since whatever was committed before could
  not be heard;
* SQLite: ``PRAGMA data_version`` polled on a dedicated connection (it changes whenever another
  connection commits) and, when it moved, the new ``change_log`` rows.

The seat's own commits are delivered at once (``after_commit``), so the desk refreshes from one
signal carrying local and remote changes alike (the anki ``OpChanges`` model).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, event, func, insert, select, text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.store.models import (
    CalendarYearRecord,
    ChangeLogEntry,
    Complaint,
    ComplaintEvent,
    LawPackRecord,
    SiteSetting,
)

log = logging.getLogger(__name__)
CHANNEL = "complaint_desk"
RETRY_SECONDS = 2.0
CONNECT_TIMEOUT = 10  # seconds the feed's thread waits for a PostgreSQL server that does not answer
KEEP_CHANGES = timedelta(days=30)
SHARED = "shared"  # the kind of a change to state every seat computes with
RECORDER_KEY = "change_recorder"  # Session.info key of the recorder installed on its factory
SHARED_SUBJECTS: dict[type, str] = {SiteSetting: "site_settings", CalendarYearRecord: "calendar",
                                     LawPackRecord: "law_pack"}


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    subject: str | None
    origin: str


@dataclass(frozen=True)
class OpChanges:
    """What one or more committed operations changed; ``local`` when this seat made them."""

    changes: tuple[Change, ...]
    local: bool
    # Anything may have changed (the feed has just begun listening): every view re-reads once.
    refresh: bool = False

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(c.subject for c in self.changes if c.kind != SHARED and c.subject)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.changes)

    @property
    def shared(self) -> frozenset[str]:
        """Which shared state changed (site_settings, calendar, law_pack)."""
        return frozenset(c.subject for c in self.changes if c.kind == SHARED and c.subject)

    def touches(self, number: str) -> bool:
        return self.refresh or number in self.numbers


def new_origin() -> str:
    """A name for one seat (process and store), written with each change it makes."""
    return f"{socket.gethostname()[:16]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class ChangeRecorder:
    """Installed on a session factory: appends to the change log and tells local listeners after commit."""

    origin: str
    listeners: list[Callable[[OpChanges], None]] = field(default_factory=list)

    def install(self, sessions: sessionmaker[Session]) -> None:
        event.listen(sessions, "after_flush", self._after_flush)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_soft_rollback", self._after_rollback)
        # Bulk SQL (set-based recomputes) bypasses the ORM's flush: it records through ``record``.
        sessions.kw.setdefault("info", {})[RECORDER_KEY] = self

    def _after_flush(self, session: Session, _context: Any) -> None:
        entries = _entries(session)
        if entries:
            self.record(session, entries)

    def record(self, session: Session, entries: list[tuple[str, str | None]]) -> None:
        """Append ``(kind, subject)`` changes in the session's transaction; listeners hear after commit."""
        connection = session.connection()
        now = datetime.now(UTC)
        rows = [{"at": now, "kind": kind, "subject": subject, "origin": self.origin} for kind, subject in entries]
        seqs = connection.execute(insert(ChangeLogEntry).returning(ChangeLogEntry.seq), rows).scalars().all()
        changes = [Change(seq, kind, subject, self.origin) for seq, (kind, subject) in zip(seqs, entries, strict=True)]
        if connection.dialect.name == "postgresql":
            for change in changes:
                connection.execute(text("SELECT pg_notify(:channel, :payload)"),
                                   {"channel": CHANNEL, "payload": _payload(change)})
        session.info.setdefault("pending_changes", []).extend(changes)

    def _after_commit(self, session: Session) -> None:
        changes = session.info.pop("pending_changes", None)
        if changes:
            done = OpChanges(tuple(changes), local=True)
            for listener in list(self.listeners):
                listener(done)

    @staticmethod
    def _after_rollback(session: Session, _previous: Any) -> None:
        session.info.pop("pending_changes", None)


def record_bulk_change(session: Session, kind: str, subject: str | None) -> None:
    """A change written with bulk SQL (no ORM flush): in the change log like any other."""
    recorder = session.info.get(RECORDER_KEY)
    if isinstance(recorder, ChangeRecorder):
        recorder.record(session, [(kind, subject)])


def record_event_kinds(session: Session, events: list[tuple[int, str]]) -> None:
    """History entries appended at commit (the hash chain's queue): ``(complaint id, kind)`` as changes."""
    recorder = session.info.get(RECORDER_KEY)
    if not isinstance(recorder, ChangeRecorder) or not events:
        return
    kinds = dict(events)  # the last entry of each case names the change
    numbers = session.connection().execute(
        select(Complaint.id, Complaint.number).where(Complaint.id.in_(kinds))).all()
    recorder.record(session, sorted((kinds[complaint_id], number) for complaint_id, number in numbers))


def _entries(session: Session) -> list[tuple[str, str | None]]:
    """(kind, subject) of each case or shared thing this flush writes, in a stable order."""
    by_number: dict[str, str] = {}
    ids: dict[int, str] = {}
    for obj in session.new:
        if isinstance(obj, ComplaintEvent):
            ids.setdefault(obj.complaint_id, obj.kind)
    touched = list(session.new) + [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in touched:
        if isinstance(obj, Complaint) and obj.number:
            kind = ids.pop(obj.id, None) if obj.id is not None else None
            if kind is None:
                kind = "created" if obj in session.new else "updated"
            by_number[obj.number] = kind
    if ids:
        numbers = session.connection().execute(
            select(Complaint.id, Complaint.number).where(Complaint.id.in_(ids))).all()
        for complaint_id, number in numbers:
            by_number.setdefault(number, ids[complaint_id])
    entries: list[tuple[str, str | None]] = [(kind, number) for number, kind in sorted(by_number.items())]
    shared = {SHARED_SUBJECTS[type(obj)] for obj in touched if type(obj) in SHARED_SUBJECTS}
    entries.extend((SHARED, subject) for subject in sorted(shared))
    return entries


def _payload(change: Change) -> str:
    return json.dumps({"seq": change.seq, "kind": change.kind, "subject": change.subject,
                       "origin": change.origin}, ensure_ascii=False)


def prune_change_log(engine: Engine, keep: timedelta = KEEP_CHANGES) -> int:
    """Forget entries older than ``keep`` (a seat offline that long re-reads everything anyway).

    Skipped when there is nothing old (one primary-key lookup) or another seat holds the write lock.
    """
    cutoff = datetime.now(UTC) - keep
    try:
        with engine.begin() as connection:
            oldest = connection.execute(select(ChangeLogEntry.at).order_by(ChangeLogEntry.seq).limit(1)).scalar()
            if oldest is None or oldest >= cutoff:
                return 0
            newest_shared = shared_revision(connection)
            result = connection.execute(delete(ChangeLogEntry).where(
                ChangeLogEntry.at < cutoff, ChangeLogEntry.seq != newest_shared))
            return int(result.rowcount or 0)
    except (OperationalError, ProgrammingError) as error:
        # Busy, or (PostgreSQL) a seat whose role may not delete: an admin's seat prunes instead.
        log.info("change log not pruned: %s", error)
        return 0


def shared_revision(connection: Connection) -> int:
    """The newest change to shared state (0 if none): a cheap index lookup done per operation."""
    value = connection.execute(
        select(func.max(ChangeLogEntry.seq)).where(ChangeLogEntry.kind == SHARED)).scalar_one_or_none()
    return int(value or 0)


def _rows_after(connection: Connection, seq: int) -> list[Change]:
    rows = connection.execute(
        select(ChangeLogEntry.seq, ChangeLogEntry.kind, ChangeLogEntry.subject, ChangeLogEntry.origin)
        .where(ChangeLogEntry.seq > seq).order_by(ChangeLogEntry.seq)).all()
    return [Change(int(r.seq), r.kind, r.subject, r.origin) for r in rows]


class ChangeFeed:
    """Delivers other seats' changes (and, through the recorder, this seat's own) to subscribers.

    Subscribers are called on the feed's thread for remote changes and on the committing thread for
    local ones; the desk hands both to the GUI thread through one Qt signal.
    """

    def __init__(self, engine: Engine, recorder: ChangeRecorder, *, interval: float = 0.1) -> None:
        self._engine = engine
        self._recorder = recorder
        self._interval = interval
        self._subscribers: list[Callable[[OpChanges], None]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_seq = 0
        self._data_version: int | None = None
        self._poll_connection: Connection | None = None
        self._primed = False
        # Set while other seats' commits are heard: at once on SQLite, once LISTEN is active on PostgreSQL.
        self.listening = threading.Event()
        recorder.listeners.append(self._deliver)

    @property
    def is_postgres(self) -> bool:
        return self._engine.dialect.name == "postgresql"

    def subscribe(self, callback: Callable[[OpChanges], None]) -> None:
        self._subscribers.append(callback)

    def unsubscribe(self, callback: Callable[[OpChanges], None]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def _deliver(self, changes: OpChanges) -> None:
        for callback in list(self._subscribers):
            callback(changes)

    def _remote(self, changes: Iterable[Change]) -> None:
        mine = self._recorder.origin
        remote = tuple(c for c in changes if c.origin != mine)
        if remote:
            self._deliver(OpChanges(remote, local=False))

    def _prime(self, connection: Connection) -> None:
        """Start after the newest entry: only what is committed from now on is news."""
        self._last_seq = int(connection.execute(
            select(func.coalesce(func.max(ChangeLogEntry.seq), 0))).scalar_one())
        connection.commit()
        self._primed = True

    # -- SQLite: data_version polling ----------------------------------------------------------
    def poll(self) -> bool:
        """One SQLite poll (also used by tests): returns whether anything was committed meanwhile."""
        if self._poll_connection is None:
            self._poll_connection = self._engine.connect()
            if not self._primed:
                self._prime(self._poll_connection)
        connection = self._poll_connection
        version = int(connection.exec_driver_sql("PRAGMA data_version").scalar_one())
        if version == self._data_version:
            return False
        self._data_version = version
        changes = _rows_after(connection, self._last_seq)
        connection.commit()  # end the read so the next data_version sees new commits
        if changes:
            self._last_seq = changes[-1].seq
            self._remote(changes)
        return True

    def _poll_loop(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.poll()
                except SQLAlchemyError as error:  # a busy or vanished file: try again, never kill the desk
                    log.warning("change feed poll failed: %s", error)
                    if self._poll_connection is not None:
                        self._poll_connection.close()
                        self._poll_connection = None
                    self._stop.wait(RETRY_SECONDS)
                self._stop.wait(self._interval)
        finally:
            if self._poll_connection is not None:
                self._poll_connection.close()
                self._poll_connection = None

    # -- PostgreSQL: LISTEN / NOTIFY -----------------------------------------------------------
    def _listen_loop(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    # Changes committed before LISTEN took effect were never heard: re-read once.
                    self._deliver(OpChanges((), local=False, refresh=True))
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=self._interval):
                            data = json.loads(notice.payload)
                            self._remote([Change(int(data["seq"]), data["kind"], data["subject"], data["origin"])])
            except psycopg.Error as error:  # the server restarted or the network dropped: listen again
                log.warning("change feed lost its connection: %s", error)
                self.listening.clear()
                self._stop.wait(RETRY_SECONDS)
        self.listening.clear()

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        """Begin delivering other seats' changes. On PostgreSQL this returns at once: the connecting
        and ``LISTEN`` happen on the feed's thread, which then delivers one refresh (see the module)."""
        if self._thread is not None:
            return
        self._stop.clear()
        if self.is_postgres:
            self._thread = threading.Thread(target=self._listen_loop, name="change-feed", daemon=True)
            self._thread.start()
        else:
            with self._engine.connect() as connection:
                self._prime(connection)  # note where the log stands before returning
            self.listening.set()  # every commit after the primed position is polled
            self._thread = threading.Thread(target=self._poll_loop, name="change-feed", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.listening.clear()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        elif self._poll_connection is not None:
            self._poll_connection.close()
            self._poll_connection = None
        if self._deliver in self._recorder.listeners:
            self._recorder.listeners.remove(self._deliver)


def wait_for(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until ``condition`` held (tests and figures); raises ``TimeoutError`` after ``timeout``."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        time.sleep(0.002)
    return time.perf_counter() - start
