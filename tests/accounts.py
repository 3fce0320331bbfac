"""How tests get a signed-in seat: the one place that knows how accounts are created and signed in.

Every test that needs a store acting as someone goes through ``open_as`` (or the ``services`` /
``agent_services`` fixtures built on it), and every CLI test that needs a signed-in user goes through
``cli_account``. When sign-in changes, only this module changes.
"""

from __future__ import annotations

import pytest

from desktop.services.app import AppServices

TEST_PASSWORD = "Ceshi-Mima-2026!"


def open_as(url: str, login: str, *, role: str = "agent", display_name: str | None = None,
            team: str | None = "一班") -> AppServices:
    """A seat on ``url`` signed in as ``login`` with ``role`` (the account is created if missing)."""
    app = AppServices.open(url, user_login=login, display_name=display_name)
    if app.actor.role != role or app.actor.team != team:
        from sqlalchemy import update

        from desktop.store.models import User

        with app.sessions.begin() as session:
            session.execute(update(User).where(User.login == login).values(role=role, team=team))
        app.close()
        app = AppServices.open(url, user_login=login, display_name=display_name)
    return app


def cli_account(monkeypatch: pytest.MonkeyPatch, url: str, login: str = "tester", *, role: str = "admin",
                display_name: str = "测试员") -> None:
    """Make ``complaint-desk`` commands (in-process and subprocesses) act as ``login`` on ``url``."""
    open_as(url, login, role=role, display_name=display_name).close()
    monkeypatch.setenv("COMPLAINT_DESK_DB", url)
    monkeypatch.setenv("USER", login)
    monkeypatch.setenv("LOGNAME", login)
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", TEST_PASSWORD)
