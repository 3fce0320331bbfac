"""Bring a database to the newest schema at start-up (Alembic, shipped in the package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# The SQLite full-text index is a virtual table (with shadow tables) created by hand in a
# migration; autogenerate must not try to drop it.
_UNMANAGED_PREFIXES = ("complaints_fts",)
# PostgreSQL-only GIN trigram indexes (migration 0013) have no SQLite counterpart in the models.
_UNMANAGED_INDEX_PREFIXES = ("ix_complaints_trgm_",)


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(_UNMANAGED_PREFIXES)
    if type_ == "index":
        return not name.startswith(_UNMANAGED_INDEX_PREFIXES)
    return True


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> bool:
    """Upgrade when behind; returns whether anything ran. Cheap when already current."""
    if current_revision(engine) == head_revision():
        return False
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True
