"""Bring a database to the newest schema at start-up (Alembic, shipped in the package)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    # Alembic (with Mako) takes 0.1-0.3 s to import and its script directory loads every migration:
    # a start on a current store reads the version and the migration files' text instead.
    from alembic.config import Config

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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


_REVISION = re.compile(r"""^revision(?:\s*:[^=\n]+)?\s*=\s*["']([^"'\n]+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=\n]+)?\s*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"'\n]+)["']""")


def head_from_files() -> str | None:
    """The head revision read from the migration files' text (no Alembic), or None when unsure.

    Each file must name exactly one ``revision`` and one ``down_revision`` on their own lines; the
    head is the one revision no file names as its ``down_revision``. Anything else (no files, as in
    a build that ships only byte code, a merge written over several lines, two heads) gives None,
    and the caller asks Alembic. tests/store/test_migrations.py checks it agrees with Alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    files = sorted(MIGRATIONS_DIR.glob("versions/*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.findall(text), _DOWN_REVISION.findall(text)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        parents.update(_QUOTED.findall(down[0]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The store's single ``alembic_version`` row, or None (a new store, or more than one row)."""
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return None  # no version table yet: a new store
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade_to_head(engine: Engine) -> bool:
    """Upgrade when behind; returns whether anything ran. Cheap when already current."""
    stored = stored_revision(engine)
    if stored is not None and stored == head_from_files():
        return False  # the usual start: no Alembic import at all
    if current_revision(engine) == head_revision():
        return False
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True
