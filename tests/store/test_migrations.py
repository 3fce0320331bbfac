"""The Alembic chain: one head, applied from scratch, models and migrations in agreement."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from desktop.store.db import create_db_engine
from desktop.store.migrate import (
    alembic_config,
    current_revision,
    head_from_files,
    head_revision,
    include_name,
    stored_revision,
    upgrade_to_head,
)
from desktop.store.models import Base


def test_revision_chain_is_linear_with_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None  # exactly one root
    for newer, older in pairwise(revisions):
        assert newer.down_revision == older.revision


def test_upgrade_creates_schema_and_is_idempotent(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert current_revision(engine) is None
    assert upgrade_to_head(engine) is True
    assert current_revision(engine) == head_revision()
    assert upgrade_to_head(engine) is False
    tables = set(inspect(engine).get_table_names())
    assert {"complaints", "complaint_events", "users", "letters", "complaint_citations"} <= tables
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    engine.dispose()


def test_the_head_read_from_the_files_is_alembics(tmp_path: Path) -> None:
    """Start-up compares the stored version with the files' head without loading Alembic."""
    assert head_from_files() == head_revision()
    engine = create_db_engine(f"sqlite:///{tmp_path / 'v.sqlite3'}")
    assert stored_revision(engine) is None  # a new store has no version table
    upgrade_to_head(engine)
    assert stored_revision(engine) == head_revision()
    engine.dispose()


def test_opening_a_current_store_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    # A fresh interpreter: this one has imported Alembic already.
    check = ("import sys\n"
             "from desktop.store.db import create_db_engine\n"
             "from desktop.store.migrate import upgrade_to_head\n"
             f"assert upgrade_to_head(create_db_engine({url!r})) is False\n"
             "assert 'alembic' not in sys.modules, 'alembic was imported'\n")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr


def test_models_match_migrations(tmp_path: Path) -> None:
    """What `alembic check` verifies: autogenerate finds nothing to do after upgrading."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": include_name, "compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    engine = create_db_engine(url)
    upgrade_to_head(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert "complaints" not in inspect(engine).get_table_names()
    assert upgrade_to_head(engine) is True
    engine.dispose()


def test_history_is_append_only(services: object) -> None:
    import pytest
    from sqlalchemy.exc import DatabaseError

    from desktop.services.app import AppServices

    assert isinstance(services, AppServices)
    number = services.complaints.create(services.actor, {
        "received_at": "2025-06-03T09:00:00+08:00", "channel": "hotline", "category": "billing",
        "customer_name": "王五", "phone": "13700001234", "description": "多扣费", "demand": "退费"}).number
    assert services.complaints.events(number)
    for statement in ("UPDATE complaint_events SET note = 'x'", "DELETE FROM complaint_events"):
        with pytest.raises(DatabaseError, match="append-only"), services.engine.begin() as connection:
            connection.execute(text(statement))
    assert len(services.complaints.events(number)) == 1
