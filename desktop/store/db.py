"""Engine creation: which database, and the SQLite pragmas every connection needs."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.paths import user_data_dir

DB_ENV_VAR = "COMPLAINT_DESK_DB"


class DatabaseUrlError(ValueError):
    """The configured database address cannot be used."""


def default_sqlite_url() -> str:
    return f"sqlite:///{(user_data_dir() / 'complaints.sqlite3').as_posix()}"


def resolve_url(explicit: str | None = None, configured: str | None = None) -> str:
    """Pick the database: command line, then environment, then settings, then the local default."""
    url = explicit or os.environ.get(DB_ENV_VAR) or configured or default_sqlite_url()
    try:
        make_url(url)
    except ArgumentError as error:
        raise DatabaseUrlError(
            _("The database address {url!r} is not a valid SQLAlchemy URL.").format(url=url)
        ) from error
    return url


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets a reader (the queue) run beside a writer;
    # synchronous=FULL makes a committed complaint survive a power cut.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            from pathlib import Path

            from desktop.private_files import create_private_file

            # Complaints hold customers' personal data: the file (and SQLite's -wal/-shm files,
            # which copy its mode) is readable by this OS user only.
            create_private_file(Path(database))
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
