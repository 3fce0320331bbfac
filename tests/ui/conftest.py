"""GUI fixtures shared by the desk's widget tests (kept small on purpose)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.app import AppServices
from desktop.services.demo import generate
from desktop.settings import Settings
from tests.accounts import open_as


@pytest.fixture
def desk_services(services: AppServices) -> AppServices:
    """The lead's ``services`` store filled with 120 demo complaints (seeded, so rows are stable)."""
    generate(services.sessions, services.complaints, services.actor, 120, seed=7)
    return services


@pytest.fixture
def agent_services(services: AppServices, db_url: str) -> Iterator[AppServices]:
    """A second seat on the same store, signed in as a plain agent (``services``' user is its admin)."""
    agent = open_as(db_url, "clerk", role="agent", display_name="王芳")
    assert not agent.actor.is_supervisor
    yield agent
    agent.close()


@pytest.fixture
def desk_settings(tmp_path: Path) -> Iterator[Settings]:
    """Per-test settings file (the config folder is already isolated by tests/conftest.py)."""
    yield Settings(tmp_path / "settings.ini")
