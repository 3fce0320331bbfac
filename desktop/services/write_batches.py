"""Bulk writes as a run of short transactions, so another seat never waits long for the write lock.

An import's staging and publishing and a deadline recompute each write hundreds of thousands of
rows. In one transaction that holds SQLite's single write lock (or PostgreSQL's row locks) for
tens of seconds, and every other seat's save waits or fails. Here each batch is sized to take
about ``TARGET_SECONDS``, and on SQLite the lock is left free for a moment between batches.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

TARGET_SECONDS = 0.4  # what one batch's transaction should take; the brief allows ~1 s
MAX_BATCH = 20_000
# Between two batches on SQLite the write lock stays free this long: SQLite's busy handler polls
# every 100 ms once it has waited a third of a second, so a shorter gap could be missed.
SQLITE_PAUSE = 0.11


@dataclass
class WriteClock:
    """How long each write transaction took, from BEGIN to the end of COMMIT."""

    longest: float = 0.0
    transactions: int = 0
    total: float = 0.0

    @contextmanager
    def transaction(self, sessions: sessionmaker[Session], bind: Connection | None = None) -> Iterator[Session]:
        started = time.perf_counter()
        with (sessions() if bind is None else sessions(bind=bind)) as session, session.begin():
            yield session
        elapsed = time.perf_counter() - started
        self.longest = max(self.longest, elapsed)
        self.transactions += 1
        self.total += elapsed


@dataclass
class BatchSizer:
    """Batch sizes that keep each transaction near ``target`` seconds (at most doubling per step)."""

    size: int
    target: float = TARGET_SECONDS
    limit: int = MAX_BATCH

    def adjust(self, rows: int, elapsed: float) -> None:
        if rows < self.size or elapsed <= 0:
            return  # a short last batch says nothing about the rate
        wanted = int(rows * self.target / elapsed)
        self.size = max(50, min(wanted, self.size * 2, self.limit))


def pause_between(dialect: str, pause: float | None = None) -> None:
    """Leave the write lock free for a moment (``None``: SQLITE_PAUSE on SQLite; PostgreSQL's lock
    waits queue, so nothing there)."""
    if pause is None:
        pause = SQLITE_PAUSE if dialect == "sqlite" else 0.0
    if pause:
        time.sleep(pause)
