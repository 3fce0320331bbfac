"""A large import in short transactions that is still all or nothing: staged, then published.

One transaction for a 100,000-row import held SQLite's write lock for ~25 s, and every other
seat's save waited or failed. Instead (the ``imports`` journal and ``import_staging``):

1. *Start*: one short transaction checks the numbers against the store, allocates the new ones
   (the day counters move, so intake never hands out a staged number) and opens the journal
   entry in state ``staging``.
2. *Stage*: the checked rows, numbered, go to ``import_staging`` in batches, each its own short
   transaction. Nobody sees them. If the process dies here, or the import is cancelled, the
   staged rows are deleted (:func:`recover_imports` at the next store open or import).
3. *Publish*: the entry turns ``publishing``; batches move rows from staging into ``complaints``
   with their "created" history entries (hash-chained) and delete them from staging, each batch
   one transaction. If the process dies here, the import is rolled forward to the end.

So the end state is every row or none, and no transaction holds the write lock much longer
than ``target_seconds``: batch sizes adapt to how long the last batch took. On SQLite the loop
also leaves the lock free for a moment between batches, long enough that a seat waiting on
its busy timeout polls while it is free.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, Date, Table, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.services.write_batches import TARGET_SECONDS, BatchSizer, WriteClock, pause_between
from desktop.store.chained import append_events
from desktop.store.changes import SHARED, record_bulk_change
from desktop.store.maintenance import bulk_page_cache
from desktop.store.models import Complaint, ImportJob, ImportStagedRow, User
from desktop.store.types import MoneyFen, UtcDateTime

log = logging.getLogger(__name__)

STAGING, PUBLISHING, DONE, DISCARDED = "staging", "publishing", "done", "discarded"
FIRST_STAGE_BATCH = 2000
FIRST_PUBLISH_BATCH = 500
# A journal entry whose process cannot be checked (another PC) is abandoned after this long
# without a heartbeat (each batch beats).
STALE_AFTER = timedelta(minutes=10)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportCancelledError(Exception):
    """The import was stopped before publishing; nothing was stored."""

    def __init__(self) -> None:
        super().__init__(_("The import was cancelled; nothing was stored."))


class ImportInterruptedError(Exception):
    """Publishing failed part-way (the database went away, the disk filled): finished at the next open."""

    def __init__(self, reason: str) -> None:
        super().__init__(_("The import stopped while adding the complaints ({reason}). It is completed "
                           "automatically the next time the store is opened.").format(reason=reason))


class ImportLostError(Exception):
    """Another process discarded this import as abandoned (e.g. the PC slept for a long time)."""

    def __init__(self) -> None:
        super().__init__(_("The import was discarded as abandoned; nothing was stored. Import the file again."))


@dataclass
class Batching:
    target_seconds: float = TARGET_SECONDS
    first_stage: int = FIRST_STAGE_BATCH
    first_publish: int = FIRST_PUBLISH_BATCH
    pause: float | None = None  # None: SQLITE_PAUSE on SQLite, none on PostgreSQL (its lock waits queue)


@dataclass
class StoredImport:
    numbers: list[str]
    clock: WriteClock = field(default_factory=WriteClock)
    seconds: dict[str, float] = field(default_factory=dict)  # prepare, stage, publish: wall-clock time


# -- the staged payload --------------------------------------------------------------------------

def _decoders() -> dict[str, Callable[[Any], Any]]:
    """How each complaints column comes back from JSON (instants and dates as ISO text, money as text)."""
    decoders: dict[str, Callable[[Any], Any]] = {}
    for column in cast(Table, Complaint.__table__).c:
        if isinstance(column.type, UtcDateTime):
            decoders[column.key] = datetime.fromisoformat
        elif isinstance(column.type, Date):
            decoders[column.key] = date.fromisoformat
        elif isinstance(column.type, MoneyFen):
            decoders[column.key] = Decimal
    return decoders


_DECODERS = _decoders()


def _encode_value(value: Any) -> str:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def encode_row(values: dict[str, Any]) -> str:
    return json.dumps(values, default=_encode_value, ensure_ascii=False, separators=(",", ":"))


def decode_row(payload: str) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(payload)
    for key, decoder in _DECODERS.items():
        if values.get(key) is not None:
            values[key] = decoder(values[key])
    return values


# -- whether the importing process still lives ----------------------------------------------------

def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


# Imports this process is running right now (the desk runs them on a worker thread): any other
# entry of this process was left by an import that failed part-way, and may be finished.
_RUNNING: set[int] = set()


def _abandoned(job: ImportJob, now: datetime) -> bool:
    if job.host == socket.gethostname():
        if job.pid == os.getpid():
            return job.id not in _RUNNING
        if not _process_alive(job.pid):
            return True
    return now - job.heartbeat_at > STALE_AFTER


@contextmanager
def running(job_id: int) -> Iterator[None]:
    """Mark ``job_id`` as being worked on by this process (recovery leaves it alone meanwhile)."""
    _RUNNING.add(job_id)
    try:
        yield
    finally:
        _RUNNING.discard(job_id)


@contextmanager
def _publishing_connection(sessions: sessionmaker[Session]) -> Iterator[Connection]:
    """The one connection the batches are published on, tuned for it (SQLite), restored after.

    * A larger page cache, kept between its transactions: each batch inserts into every index
      of ``complaints`` (about twenty, plus the full-text index), and with the default 2 MB the
      same index pages are read back from the file in every batch.
    * ``synchronous=NORMAL``: a batch's commit does not wait for the disk. A power cut may lose
      the last batches, but each batch deletes its staged rows in the same transaction, so they
      come back with it and are published again (roll-forward). The switch to ``publishing``
      before and the final ``done`` after are committed with ``FULL``, so the user is told
      "imported" only once everything is on disk.
    """
    engine = sessions.kw["bind"]
    with engine.connect() as connection, bulk_page_cache(connection):
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        connection.commit()
        try:
            yield connection
        finally:
            if sqlite:  # the connection goes back to the pool as every other one is
                connection.rollback()
                connection.exec_driver_sql("PRAGMA synchronous=FULL")
                connection.commit()


def _pause(sessions: sessionmaker[Session], batching: Batching) -> None:
    pause_between(sessions.kw["bind"].dialect.name, batching.pause)


# -- staging -------------------------------------------------------------------------------------

def open_journal(session: Session, actor_id: int, file_name: str, note: str, rows: int, now: datetime) -> int:
    """The journal entry of a new import (inside the transaction that allocated its numbers)."""
    job = ImportJob(state=STAGING, actor_id=actor_id, file_name=file_name[:255], note=note, row_count=rows,
                    published=0, host=socket.gethostname()[:255], pid=os.getpid(), started_at=now,
                    heartbeat_at=now)
    session.add(job)
    session.flush()
    return job.id


def stage_rows(sessions: sessionmaker[Session], job_id: int, values: list[dict[str, Any]], *, clock: WriteClock,
               batching: Batching, progress: Progress | None = None,
               should_stop: Callable[[], bool] | None = None) -> None:
    """Write the numbered rows to staging in short transactions; discards everything on any failure."""
    batches = BatchSizer(batching.first_stage, batching.target_seconds)
    done = 0
    try:
        while done < len(values):
            if should_stop is not None and should_stop():
                raise ImportCancelledError
            chunk = values[done:done + batches.size]
            staged = [{"import_id": job_id, "position": done + i, "number": value["number"],
                       "payload": encode_row(value)} for i, value in enumerate(chunk)]
            started = time.perf_counter()
            with clock.transaction(sessions) as session:
                session.execute(insert(ImportStagedRow), staged)
                _beat(session, job_id, STAGING)
            batches.adjust(len(chunk), time.perf_counter() - started)
            done += len(chunk)
            if progress is not None:
                progress("stage", done, len(values))
            _pause(sessions, batching)
        if should_stop is not None and should_stop():
            raise ImportCancelledError
    except BaseException:
        # Cancelled, refused or failed (disk full, lost connection): staged rows go; the numbers
        # allocated stay used (a gap in the day's sequence, never a number handed out twice).
        try:
            discard(sessions, job_id, clock=clock)
        except SQLAlchemyError:  # the next open or import discards it (its process is gone by then)
            log.exception("could not discard import %s now", job_id)
        raise


def _beat(session: Session, job_id: int, expected: str, **values: Any) -> None:
    """Heartbeat (and any other change) on the journal entry, refused if it is no longer ``expected``."""
    result = session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.state == expected)
                             .values(heartbeat_at=datetime.now(UTC), **values))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ImportLostError


def discard(sessions: sessionmaker[Session], job_id: int, *, clock: WriteClock | None = None,
            batch: int = 5000) -> None:
    """Mark a staging import discarded, then delete its staged rows in short transactions."""
    clock = clock or WriteClock()
    with clock.transaction(sessions) as session:
        session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.state == STAGING)
                        .values(state=DISCARDED, finished_at=datetime.now(UTC)))
    _delete_staged(sessions, job_id, clock, batch)


def _delete_staged(sessions: sessionmaker[Session], job_id: int, clock: WriteClock, batch: int) -> None:
    while True:
        with clock.transaction(sessions) as session:
            ids = select(ImportStagedRow.id).where(ImportStagedRow.import_id == job_id).limit(batch)
            deleted = session.execute(delete(ImportStagedRow).where(ImportStagedRow.id.in_(ids.scalar_subquery())))
        if not deleted.rowcount:  # type: ignore[attr-defined]
            return


# -- publishing ----------------------------------------------------------------------------------

def begin_publishing(sessions: sessionmaker[Session], job_id: int, clock: WriteClock) -> None:
    """From here on the import is rolled forward, whatever happens to this process."""
    with clock.transaction(sessions) as session:
        _beat(session, job_id, STAGING, state=PUBLISHING)


def publish(sessions: sessionmaker[Session], job_id: int, *, clock: WriteClock, batching: Batching,
            progress: Progress | None = None) -> int:
    """Move the staged rows into ``complaints`` in short transactions; returns how many were published."""
    with sessions() as session:
        job = session.get_one(ImportJob, job_id)
        total, note, actor_id = job.row_count, job.note, job.actor_id
        login = session.execute(select(User.login).where(User.id == actor_id)).scalar_one()
    with _publishing_connection(sessions) as connection:
        published = _publish_batches(sessions, connection, job_id, total, note, actor_id, login, clock=clock,
                                     batching=batching, progress=progress)
    with clock.transaction(sessions) as session:  # FULL: on disk before anyone is told "imported"
        _beat(session, job_id, PUBLISHING, state=DONE, finished_at=datetime.now(UTC))
    return published


def _publish_batches(sessions: sessionmaker[Session], connection: Connection, job_id: int, total: int, note: str,
                     actor_id: int, login: str, *, clock: WriteClock, batching: Batching,
                     progress: Progress | None) -> int:
    complaint_table = cast(Table, Complaint.__table__)
    batches = BatchSizer(batching.first_publish, batching.target_seconds)
    published = 0
    while True:
        with sessions(bind=connection) as session:  # read and decode before the write transaction
            staged = session.execute(
                select(ImportStagedRow.id, ImportStagedRow.payload).where(ImportStagedRow.import_id == job_id)
                .order_by(ImportStagedRow.position).limit(batches.size)).all()
            done_before = session.execute(select(ImportJob.published).where(ImportJob.id == job_id)).scalar_one()
        if not staged:
            return published
        rows = [decode_row(payload) for _id, payload in staged]
        now = rows[0]["created_at"]
        started = time.perf_counter()
        with clock.transaction(sessions, connection) as session:
            _beat(session, job_id, PUBLISHING, published=ImportJob.published + len(rows))
            session.execute(insert(complaint_table), rows)
            ids = {number: complaint_id for number, complaint_id in session.execute(
                select(Complaint.number, Complaint.id).where(Complaint.number.in_([row["number"] for row in rows])))}
            # Each "created" entry takes its place in the history's hash chain, as intake's do.
            append_events(session, login, [
                (row["uuid"], {"complaint_id": ids[row["number"]], "at": now, "actor_id": actor_id,
                               "kind": "created", "action": None, "from_status": None, "to_status": None,
                               "changes": "{}", "note": note})
                for row in rows])
            session.execute(delete(ImportStagedRow).where(ImportStagedRow.id.in_([i for i, _p in staged])))
            record_bulk_change(session, SHARED, "import")  # every seat's queue re-reads
        batches.adjust(len(rows), time.perf_counter() - started)
        published += len(rows)
        if progress is not None:
            progress("publish", done_before + len(rows), total)
        _pause(sessions, batching)


# -- recovery ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recovered:
    import_id: int
    file_name: str
    outcome: str  # "discarded" or "published"
    rows: int


def pending_imports(sessions: sessionmaker[Session]) -> list[ImportJob]:
    with sessions() as session:
        return list(session.execute(select(ImportJob).where(ImportJob.state.in_((STAGING, PUBLISHING)))
                                    .order_by(ImportJob.id)).scalars())


def _take_over(sessions: sessionmaker[Session], job: ImportJob) -> bool:
    """Claim an abandoned entry for this process (only one recoverer wins)."""
    with sessions.begin() as session:
        result = session.execute(
            update(ImportJob).where(ImportJob.id == job.id, ImportJob.pid == job.pid, ImportJob.host == job.host,
                                    ImportJob.state == job.state)
            .values(host=socket.gethostname()[:255], pid=os.getpid(), heartbeat_at=datetime.now(UTC)))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _recover(sessions: sessionmaker[Session], job: ImportJob, batching: Batching, progress: Progress | None,
             done: list[Recovered]) -> None:
    if job.state == STAGING:
        discard(sessions, job.id)
        done.append(Recovered(job.id, job.file_name, DISCARDED, job.row_count))
        log.warning("import %s (%s) was cut off while staging: discarded", job.id, job.file_name)
    else:
        publish(sessions, job.id, clock=WriteClock(), batching=batching, progress=progress)
        done.append(Recovered(job.id, job.file_name, "published", job.row_count))
        log.warning("import %s (%s) was cut off while publishing: completed", job.id, job.file_name)


def recover_imports(sessions: sessionmaker[Session], *, batching: Batching | None = None,
                    progress: Progress | None = None) -> list[Recovered]:
    """Finish what dead imports left: discard those still staging, roll forward those publishing."""
    batching = batching or Batching()
    done: list[Recovered] = []
    now = datetime.now(UTC)
    for job in pending_imports(sessions):
        if not _abandoned(job, now) or not _take_over(sessions, job):
            continue
        _RUNNING.add(job.id)
        try:
            _recover(sessions, job, batching, progress, done)
        finally:
            _RUNNING.discard(job.id)
    # Rows a discard left behind (its process died while deleting them).
    with sessions() as session:
        leftovers = session.execute(
            select(ImportStagedRow.import_id).join(ImportJob, ImportJob.id == ImportStagedRow.import_id)
            .where(ImportJob.state == DISCARDED).group_by(ImportStagedRow.import_id)).scalars().all()
    for job_id in leftovers:
        _delete_staged(sessions, job_id, WriteClock(), 5000)
    return done


def count_pending(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.execute(select(func.count(ImportJob.id)).where(
            ImportJob.state.in_((STAGING, PUBLISHING)))).scalar_one())
