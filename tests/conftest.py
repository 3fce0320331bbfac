"""Shared fixtures: isolated data folders, an offscreen Qt, a real SQLite store per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real profile: data and settings go to per-test folders."""
    base = tmp_path_factory.mktemp("profile")
    monkeypatch.setenv("COMPLAINT_DESK_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("COMPLAINT_DESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("COMPLAINT_DESK_DB", raising=False)


@pytest.fixture(autouse=True)
def _chinese_by_default() -> Iterator[None]:
    """Tests start in the product's default language and may switch; restore it afterwards."""
    from desktop.i18n import DEFAULT_LANGUAGE, current_language, set_language

    if current_language() != DEFAULT_LANGUAGE:
        set_language(DEFAULT_LANGUAGE)
    yield
    if current_language() != DEFAULT_LANGUAGE:
        set_language(DEFAULT_LANGUAGE)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'store.sqlite3').as_posix()}"


@pytest.fixture
def services(db_url: str) -> Iterator[object]:
    """A migrated store on a real SQLite file, signed in as 测试员 (role admin, so every supervisor action too)."""
    from tests.accounts import open_as

    app = open_as(db_url, "tester", role="admin", display_name="测试员")
    yield app
    app.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Like qutebrowser: anything that needs a QApplication is a GUI test, so
    # `pytest -m "not gui"` runs the logic suite alone.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "qtmodeltester" in fixtures:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL server for multi-seat tests (skips, visibly, where none is installed)."""
    from tests.pg_server import find_bindir, running_server

    if find_bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: install Debian's postgresql package (bootstrap does)")
        pytest.skip("PostgreSQL server binaries not installed (run: python packaging/bootstrap.py test)")
    import shutil
    import tempfile

    # Not below pytest's temporary folder: that is private to root, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="complaint-desk-pg-"))
    try:
        with running_server(base) as url:
            yield url
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the shared server for one test."""
    import re

    import sqlalchemy

    name = "t_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:50]
    engine = sqlalchemy.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return postgres_server.rsplit("/", 1)[0] + "/" + name
