"""How tests get a signed-in seat: the one place that knows how accounts are created and signed in.

Every test that needs a store acting as someone goes through ``open_as`` (or the ``services`` /
``agent_services`` fixtures built on it), and every CLI test that needs a signed-in user goes through
``cli_account``. Accounts are real rows with a real Argon2id hash of ``TEST_PASSWORD`` and every seat
comes from a real sign-in; only the hash's cost parameters are the minimum (1 pass, 1 MiB), so the
hundreds of sign-ins of the suite take milliseconds instead of minutes.
"""

from __future__ import annotations

from functools import cache

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from desktop.services.app import AppServices, Store
from desktop.services.identity import new_user
from desktop.store.models import User

TEST_PASSWORD = "Ceshi-Mima-2026!"


@cache
def test_password_hash() -> str:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(TEST_PASSWORD)


def ensure_account(store: Store, login: str, *, role: str = "agent", display_name: str | None = None,
                   team: str | None = "一班") -> None:
    """The account exists with ``role``, ``team`` and the password ``TEST_PASSWORD``."""
    with store.sessions.begin() as session:
        user = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
        if user is None:
            new_user(session, login, display_name or login, role, team, test_password_hash())
        else:
            user.role, user.team = role, team
            if display_name:
                user.display_name = display_name


def open_as(url: str, login: str, *, role: str = "agent", display_name: str | None = None,
            team: str | None = "一班") -> AppServices:
    """A seat on ``url`` signed in (with a password) as ``login`` with ``role`` (created if missing)."""
    store = Store.open(url)
    try:
        ensure_account(store, login, role=role, display_name=display_name, team=team)
        return store.sign_in(login, TEST_PASSWORD)
    except BaseException:
        store.close()
        raise


def cli_account(monkeypatch: pytest.MonkeyPatch, url: str, login: str = "tester", *, role: str = "admin",
                display_name: str = "测试员", others: dict[str, str] | None = None) -> None:
    """Make ``complaint-desk`` commands (in-process and subprocesses) sign in as ``login`` on ``url``.

    ``others`` (login -> role) are further accounts with the same password, for ``--user LOGIN``.
    """
    store = Store.open(url)
    try:
        ensure_account(store, login, role=role, display_name=display_name)
        for other, other_role in (others or {}).items():
            ensure_account(store, other, role=other_role)
    finally:
        store.close()
    monkeypatch.setenv("COMPLAINT_DESK_DB", url)
    monkeypatch.setenv("COMPLAINT_DESK_USER", login)
    monkeypatch.setenv("USER", login)
    monkeypatch.setenv("LOGNAME", login)
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", TEST_PASSWORD)
