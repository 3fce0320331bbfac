"""CLI tests sign in for real: every test with a store gets the accounts it names on the command line."""

from __future__ import annotations

import pytest

from tests.accounts import cli_account

# Logins the CLI tests pass with --user (tester, the default, is the admin 测试员).
CLI_LOGINS = {"boss": "admin", "agent3": "agent", "agent7": "agent", "clerk": "agent", "lead5": "supervisor"}


@pytest.fixture(autouse=True)
def _signed_in_cli(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "db_url" in request.fixturenames:
        cli_account(monkeypatch, request.getfixturevalue("db_url"), others=CLI_LOGINS)
