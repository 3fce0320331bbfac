"""Accounts on PostgreSQL are also the seats' own database logins (issue 8), on a real server.

The admin manages accounts from a seat connected as their own login (CREATEROLE); each account
change moves the login role in the same transaction. What a new login may then do is asked of the
server directly through psycopg, as in tests/store/test_pg_roles.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy

from desktop.cli.main import main
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.store import pg_roles
from tests.accounts import cli_account, open_as
from tests.pg_site import OWNER, PASSWORD, Site, least_privilege_site

INITIAL = "Chushi-Mima-2026"  # the account's first sign-in password (the app's, Argon2id)
DB_PASSWORD = "Shujuku-Kouling-2026 'quoted' $$ --;"  # the login role's, with SQL metacharacters


@pytest.fixture
def site(postgres_url: str, postgres_server: str) -> Iterator[Site]:
    with least_privilege_site(postgres_url, postgres_server) as created:
        yield created


@pytest.fixture
def admin(site: Site) -> Iterator[AppServices]:
    """The admin's seat, connected as the admin's own login role."""
    seat = open_as(site.url_for("root_admin"), "root_admin", role="admin", team=None)
    yield seat
    seat.close()


def role_facts(site: Site, login: str) -> dict[str, object]:
    """What the server knows about ``login`` (asked as the superuser)."""
    engine = sqlalchemy.create_engine(site.superuser_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(sqlalchemy.text(
                "SELECT rolcanlogin, rolcreaterole, rolsuper, rolpassword FROM pg_authid WHERE rolname = :login"),
                {"login": login}).one_or_none()
            if row is None:
                return {}
            groups = {name for name in pg_roles.GROUPS.values() if connection.execute(sqlalchemy.text(
                "SELECT pg_has_role(:login, :group, 'MEMBER')"), {"login": login, "group": name}).scalar()}
            return {"login": row[0], "createrole": row[1], "super": row[2], "password": row[3], "groups": groups}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_user_add_creates_the_login_role_and_it_is_held_to_its_group(
        site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site.extra_logins.append("li.na@gz-1")
    (tmp_path / "initial.txt").write_text(INITIAL + "\n", encoding="utf-8")
    (tmp_path / "db.txt").write_text(DB_PASSWORD + "\n", encoding="utf-8")
    cli_account(monkeypatch, site.url_for("root_admin"), "root_admin", role="admin", display_name="root_admin")
    # A login that must be quoted as an identifier (. @ -) and a password full of SQL metacharacters.
    assert main(["user", "add", "li.na@gz-1", "--name", "李娜", "--team", "一班", "--initial-password-file",
                 str(tmp_path / "initial.txt"), "--db-password-file", str(tmp_path / "db.txt")]) == 0
    assert "已创建数据库登录名“li.na@gz-1”，属于 complaint_desk_agent。" in capsys.readouterr().out

    facts = role_facts(site, "li.na@gz-1")
    assert facts["groups"] == {pg_roles.AGENT} and facts["login"] and not facts["createrole"] and not facts["super"]
    stored = str(facts["password"])
    assert stored.startswith("SCRAM-SHA-256$") and "Shujuku" not in stored  # hashed before it left the seat
    with site.psycopg("li.na@gz-1") as connection:
        assert connection.execute("SELECT session_user, complaint_desk_user_role()").fetchone() == (
            "li.na@gz-1", "agent")  # row-level security knows her as the account
        for statement in ("UPDATE site_settings SET value = value", "DELETE FROM complaint_events",
                          "UPDATE users SET role = 'admin' WHERE login = 'li.na@gz-1'", "CREATE ROLE mine LOGIN"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    assert main(["audit", "accounts", "--json"]) == 0
    assert '"db_role": "complaint_desk_agent"' in capsys.readouterr().out


@pytest.mark.postgres
def test_role_change_and_deactivation_follow_the_account(site: Site, admin: AppServices) -> None:
    site.extra_logins.append("zhou")
    admin.users.add(admin.actor, "zhou", "周杰", "agent", "二班", password=INITIAL, db_password=PASSWORD)
    admin.users.set_role(admin.actor, "zhou", "supervisor")
    assert role_facts(site, "zhou")["groups"] == {pg_roles.SUPERVISOR}
    with site.psycopg("zhou") as connection:
        connection.execute("UPDATE qa_reviews SET month = month")  # the supervisor group's right
    admin.users.set_role(admin.actor, "zhou", "admin")
    facts = role_facts(site, "zhou")
    assert facts["groups"] == {pg_roles.ADMIN} and facts["createrole"]  # may manage logins in turn

    admin.users.set_active(admin.actor, "zhou", False)
    assert role_facts(site, "zhou")["login"] is False
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        site.psycopg("zhou")
    admin.users.set_active(admin.actor, "zhou", True)
    with site.psycopg("zhou") as connection:
        assert connection.execute("SELECT session_user").fetchone() == ("zhou",)


@pytest.mark.postgres
def test_a_reset_can_give_the_login_a_new_database_password(
        site: Site, admin: AppServices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    site.extra_logins.append("wu")
    admin.users.add(admin.actor, "wu", "吴敏", password=INITIAL)  # no database password yet (SSO sites)
    assert role_facts(site, "wu")["password"] is None
    (tmp_path / "db.txt").write_text(DB_PASSWORD, encoding="utf-8")
    cli_account(monkeypatch, site.url_for("root_admin"), "root_admin", role="admin", display_name="root_admin")
    monkeypatch.setenv("COMPLAINT_DESK_NEW_PASSWORD", "Linshi-Mima-2026")
    assert main(["user", "reset-password", "wu", "--db-password-file", str(tmp_path / "db.txt")]) == 0
    assert "“wu”的数据库口令也已修改。" in capsys.readouterr().out
    assert str(role_facts(site, "wu")["password"]).startswith("SCRAM-SHA-256$")


@pytest.mark.postgres
def test_accounts_without_an_own_login_are_managed_as_before(site: Site, admin: AppServices) -> None:
    """Accounts from before their seat had an own login: the account changes, no role is invented."""
    with admin.sessions.begin() as session:
        session.execute(sqlalchemy.text(
            "INSERT INTO users (login, display_name, role, team, active, created_at, failed_attempts, "
            "must_change_password) VALUES ('old_hand', '老员工', 'agent', '一班', true, now(), 0, false)"))
    assert admin.users.set_role(admin.actor, "old_hand", "supervisor").role == "supervisor"
    assert admin.users.set_active(admin.actor, "old_hand", False)
    with pytest.raises(ServiceError, match="“old_hand”没有自己的数据库登录名，因此没有可设置的数据库口令"):
        admin.users.reset_password(admin.actor, "old_hand", INITIAL, db_password=PASSWORD)
    assert role_facts(site, "old_hand") == {}


@pytest.mark.postgres
def test_a_seat_that_may_not_create_roles_is_told_and_nothing_changes(
        site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # An admin account on a seat connected as the schema owner, which has no CREATEROLE.
    cli_account(monkeypatch, site.url_for(OWNER), "owner_admin", role="admin", display_name="所有者")
    monkeypatch.setenv("COMPLAINT_DESK_NEW_PASSWORD", INITIAL)
    assert main(["user", "add", "sun", "--name", "孙丽"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error  # one line, no traceback
    assert "本席位以“cd_owner”连接数据库，该角色无权创建或修改登录角色（需要 CREATEROLE）" in error
    assert role_facts(site, "sun") == {}
    assert main(["user", "list", "--json"]) == 0
    assert '"sun"' not in capsys.readouterr().out  # the account was not added without its login


@pytest.mark.postgres
def test_a_login_that_is_already_a_database_role_is_refused(site: Site, admin: AppServices) -> None:
    with pytest.raises(ServiceError, match="数据库中已有名为“cd_owner”的角色"):
        admin.users.add(admin.actor, OWNER, "所有者", "agent", password=INITIAL)
    assert OWNER not in {account.login for account in admin.users.accounts(admin.actor)}
    assert role_facts(site, OWNER)["groups"] == set()  # the owner was not pulled into a group


def test_a_database_password_on_sqlite_is_refused(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    cli_account(monkeypatch, db_url)
    (tmp_path / "db.txt").write_text(DB_PASSWORD, encoding="utf-8")
    monkeypatch.setenv("COMPLAINT_DESK_NEW_PASSWORD", INITIAL)
    assert main(["user", "add", "sun", "--name", "孙丽", "--db-password-file", str(tmp_path / "db.txt")]) == 2
    assert "SQLite 数据库没有数据库登录名" in capsys.readouterr().err
    assert main(["user", "add", "sun", "--name", "孙丽"]) == 0  # on SQLite an account is only an account
    assert "数据库登录名" not in capsys.readouterr().out
    assert main(["user", "reset-password", "sun", "--db-password-file", str(tmp_path / "db.txt")]) == 2
    assert "SQLite 数据库没有数据库登录名" in capsys.readouterr().err
