"""PostgreSQL least privilege: an agent's own login role, refused by the server itself.

The schema is migrated by a separate owner role; seats connect as their own logins
(members of complaint_desk_agent / _supervisor / _admin). Direct SQL through psycopg shows
what the server refuses, and the app's normal work still runs under those roles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy

from desktop.cli.main import main
from desktop.domain.workflow import Action
from desktop.services.audit import AuditService
from desktop.services.errors import NotFoundError
from desktop.store import pg_roles
from tests.accounts import cli_account, open_as
from tests.pg_site import PASSWORD, SEATS, Site, least_privilege_site

pytestmark = pytest.mark.postgres


def complaint(phone: str) -> dict[str, str]:
    return {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "张三", "phone": phone, "description": "账单多扣费58元", "demand": "要求退费"}


@pytest.fixture
def site(postgres_url: str, postgres_server: str) -> Iterator[Site]:
    with least_privilege_site(postgres_url, postgres_server) as created:
        yield created


@pytest.fixture
def cases(site: Site) -> dict[str, str]:
    """One case of alice's team and one of bob's, each created through the app as that agent."""
    numbers = {}
    for login, phone in (("alice", "13800000001"), ("bob", "13800000002")):
        app = open_as(site.url_for(login), login, role="agent", team=SEATS[login][1])
        try:
            number = app.complaints.create(app.actor, complaint(phone)).number
            app.complaints.transition(app.actor, number, Action.ACKNOWLEDGE)
            numbers[login] = number
        finally:
            app.close()
    return numbers


def test_agent_works_own_team_cases_through_the_app(site: Site, cases: dict[str, str]) -> None:
    app = open_as(site.url_for("alice"), "alice", role="agent", team="一班")
    try:
        app.complaints.transition(app.actor, cases["alice"], Action.INVESTIGATE)
        assert app.complaints.get(cases["alice"]).status == "investigating"
        assert [e.kind for e in app.complaints.events(cases["alice"])] == ["created", "transition", "transition"]
        with pytest.raises(NotFoundError):
            app.complaints.get(cases["bob"])  # another team's case does not exist for her
        assert app.complaints.count() == 1
    finally:
        app.close()


@pytest.mark.parametrize("statement", [
    "UPDATE complaint_events SET note = 'x'",
    "DELETE FROM complaint_events",
    "TRUNCATE complaint_events",
    "TRUNCATE complaints CASCADE",
    "ALTER TABLE complaint_events DISABLE TRIGGER ALL",
    "DROP TRIGGER complaint_events_append_only ON complaint_events",
    "ALTER TABLE complaints DISABLE ROW LEVEL SECURITY",
    "DELETE FROM complaints",
    "DELETE FROM chain_checkpoints",
    "INSERT INTO chain_checkpoints (seq, hash, signed_at, signer, certificate, signature) "
    "VALUES (1, 'x', now(), 'alice', 'x', 'x')",
    "UPDATE users SET role = 'admin' WHERE login = 'alice'",
    "CREATE TABLE mine (id int)",
    "DROP TABLE complaint_events",
])
def test_agent_login_is_refused_by_the_server(site: Site, cases: dict[str, str], statement: str) -> None:
    with site.psycopg("alice") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)


def test_agent_cannot_write_history_in_someone_elses_name(site: Site, cases: dict[str, str]) -> None:
    with site.psycopg("alice") as connection:
        bob_id = connection.execute("SELECT id FROM users WHERE login = 'bob'").fetchone()
        case_id = connection.execute("SELECT id FROM complaints").fetchone()
        assert bob_id is not None and case_id is not None
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security: WITH CHECK
            connection.execute("INSERT INTO complaint_events (complaint_id, at, actor_id, kind, changes) "
                               "VALUES (%s, now(), %s, 'updated', '{}')", (case_id[0], bob_id[0]))


def test_row_level_security_hides_other_teams(site: Site, cases: dict[str, str]) -> None:
    def visible(login: str) -> set[str]:
        with site.psycopg(login) as connection:
            return {row[0] for row in connection.execute("SELECT number FROM complaints")}

    def events_of(login: str, number: str) -> int:
        with site.psycopg(login) as connection:
            row = connection.execute("SELECT count(*) FROM complaint_events e JOIN complaints c "
                                     "ON c.id = e.complaint_id WHERE c.number = %s", (number,)).fetchone()
            raw = connection.execute("SELECT count(*) FROM complaint_events").fetchone()
            assert row is not None and raw is not None
            return int(raw[0]) if number == "*" else int(row[0])

    assert visible("alice") == {cases["alice"]}
    assert visible("bob") == {cases["bob"]}
    assert visible("lead") == {cases["alice"]}  # the supervisor of 一班
    assert visible("root_admin") == set(cases.values())
    assert events_of("alice", cases["bob"]) == 0
    assert events_of("alice", "*") == 2  # only her own case's history, even without a join
    with site.psycopg("alice") as connection:
        assert connection.execute("UPDATE complaints SET demand = 'x' WHERE number = %s",
                                  (cases["bob"],)).rowcount == 0


def test_admin_login_verifies_the_whole_chain(site: Site, cases: dict[str, str]) -> None:
    app = open_as(site.url_for("root_admin"), "root_admin", role="admin", team=None)
    try:
        report = AuditService(app.engine, app.sessions).verify(roots=[])
        assert report.chain.intact and report.chain.entries == 4
    finally:
        app.close()


def test_login_roles_change_group_and_are_disabled(site: Site, cases: dict[str, str]) -> None:
    admin = sqlalchemy.create_engine(site.url_for("root_admin"))
    try:
        with admin.begin() as connection:  # an admin login manages logins without being a superuser
            connection.execute(sqlalchemy.text(
                "INSERT INTO users (login, display_name, role, team, active, created_at) "
                "VALUES ('carol', 'carol', 'agent', '二班', true, now())"))
            pg_roles.drop_or_disable(connection, "carol", drop=True)
            pg_roles.create_login_role(connection, "carol", PASSWORD, "agent")
        with site.psycopg("carol") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE qa_reviews SET month = month")
        with admin.begin() as connection:
            pg_roles.set_login_group(connection, "carol", "supervisor")
        with site.psycopg("carol") as connection:
            connection.execute("UPDATE qa_reviews SET month = month")  # allowed now
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # the site's settings stay the admin's
                connection.execute("UPDATE site_settings SET value = value")
        with admin.begin() as connection:
            pg_roles.set_login_group(connection, "carol", "admin")
        with site.psycopg("carol") as connection:
            connection.execute("UPDATE site_settings SET value = value")
        with admin.begin() as connection:
            pg_roles.drop_or_disable(connection, "carol")
        with pytest.raises(psycopg.OperationalError):
            site.psycopg("carol")
        with admin.begin() as connection:
            pg_roles.drop_or_disable(connection, "carol", drop=True)
    finally:
        admin.dispose()


SITE_WRITES = [
    "UPDATE site_settings SET value = value",
    "INSERT INTO site_settings (key, value, updated_at) VALUES ('idle_lock_minutes', '240', now())",
    "UPDATE calendar_years SET data = data",
    "INSERT INTO calendar_years (year, data, imported_by_id, imported_at) "
    "VALUES (2031, '{}', (SELECT id FROM users WHERE login = 'lead'), now())",
]


@pytest.mark.parametrize("statement", SITE_WRITES)
def test_supervisor_login_cannot_write_site_settings_or_calendars(site: Site, statement: str) -> None:
    """Issue 8: site settings and holiday calendars are the admin's, on the server too."""
    with site.psycopg("lead") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    with site.psycopg("root_admin") as connection, connection.transaction(force_rollback=True):
        connection.execute(statement)


def test_supervisor_is_refused_site_settings_through_the_app(site: Site) -> None:
    from desktop.services.errors import PermissionDeniedError

    app = open_as(site.url_for("lead"), "lead", role="supervisor", team="一班")
    try:
        with pytest.raises(PermissionDeniedError, match="无权执行此操作：修改本单位设置"):
            app.site.set(app.actor, "idle_lock_minutes", 240)
        assert app.site.get("idle_lock_minutes") == 10  # and reading still works for every seat
    finally:
        app.close()


def test_migration_moves_the_site_grants_to_the_admin_group(site: Site) -> None:
    """0018 takes INSERT/UPDATE on site_settings and calendar_years from the supervisor group (as the owner)."""
    from alembic import command

    from desktop.store.db import create_db_engine
    from desktop.store.migrate import alembic_config, upgrade_to_head
    from tests.pg_site import OWNER

    def may_write(group: str) -> set[bool]:
        with site.psycopg("root_admin") as connection:
            return {bool(row[0]) for row in connection.execute(
                "SELECT has_table_privilege(%s, t, p) FROM unnest(ARRAY['site_settings', 'calendar_years']) t, "
                "unnest(ARRAY['INSERT', 'UPDATE']) p", (group,))}

    assert may_write(pg_roles.SUPERVISOR) == {False} and may_write(pg_roles.ADMIN) == {True}
    owner = create_db_engine(site.url_for(OWNER))
    try:
        config = alembic_config()
        with owner.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0015_open_queue_sorts")
        assert may_write(pg_roles.SUPERVISOR) == {True}  # how a site set up before issue 8 was granted
        with site.psycopg("lead") as connection:
            connection.execute("UPDATE site_settings SET value = value")
        assert upgrade_to_head(owner)
    finally:
        owner.dispose()
    assert may_write(pg_roles.SUPERVISOR) == {False} and may_write(pg_roles.ADMIN) == {True}
    with site.psycopg("lead") as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute("UPDATE site_settings SET value = value")


def test_grant_setup_command(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", site.superuser_url, "db", "grant-setup"]) == 0
    assert "complaint_desk_agent" in capsys.readouterr().out
    assert main(["--db", site.url_for("alice"), "db", "grant-setup"]) == 2
    assert "CREATEROLE" in capsys.readouterr().err


def test_rejects_logins_that_cannot_be_roles() -> None:
    with pytest.raises(pg_roles.RoleError):
        pg_roles._identifier('x"; DROP TABLE users; --')


def test_verify_command_needs_an_admin_seat(site: Site, cases: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cli_account(monkeypatch, site.url_for("alice"), "alice", role="agent", display_name="alice")
    assert main(["audit", "verify"]) == 2
    assert "管理员" in capsys.readouterr().err
    cli_account(monkeypatch, site.url_for("root_admin"), "root_admin", role="admin", display_name="root_admin")
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("历史记录完整：共 4 条")


@pytest.mark.parametrize("login", ["alice", "root_admin"])
def test_staged_import_runs_under_the_seat_roles(site: Site, login: str, tmp_path: Path) -> None:
    """The import journal and staging tables are granted like every other table (least privilege)."""
    from sqlalchemy import func, select

    from desktop.services.import_journal import Batching, count_pending
    from desktop.services.transfer import import_file
    from desktop.store.models import ImportStagedRow

    path = tmp_path / "in.csv"
    path.write_text("received_at,channel,category,customer_name,phone,description,demand\n"
                    + "".join(f"2025-09-28 10:{i:02d},hotline,billing,张三,1380000{i:04d},多扣费,退费\n"
                              for i in range(40)), encoding="utf-8")
    role, team = SEATS[login]
    app = open_as(site.url_for(login), login, role=role, team=team)
    try:
        summary = import_file(app.sessions, app.complaints, app.actor, path,
                              batching=Batching(first_stage=10, first_publish=10, target_seconds=0.05))
        assert len(summary.numbers) == 40 and summary.transactions > 4
        assert app.complaints.count() == 40
        assert count_pending(app.sessions) == 0
        with app.sessions() as session:
            assert session.execute(select(func.count(ImportStagedRow.id))).scalar_one() == 0
    finally:
        app.close()


def test_a_batched_recompute_runs_under_the_admins_login(site: Site) -> None:
    """Its batches, history entries, summary and the half-way marker need only the admin group's grants."""
    from desktop.services.complaints import RULES_CHANGED_NOTE
    from desktop.services.demo import generate
    from desktop.services.recompute import pending_recompute, recompute_in_batches

    role, team = SEATS["root_admin"]
    app = open_as(site.url_for("root_admin"), "root_admin", role=role, team=team)
    try:
        generate(app.sessions, app.complaints, app.actor, 200, seed=15)
        app.site.set(app.actor, "deadline_rules", {"reply": 8})
        app.reload_clock()
        clock = app.complaints._clock
        result = recompute_in_batches(app.sessions, app.actor, clock.rules, clock.reply, only_provisional=False,
                                      note=RULES_CHANGED_NOTE, first_batch=10, pause=0)
        assert result.moved > 10 and result.transactions >= 2
        assert pending_recompute(app.sessions) is None  # marked before the first batch, cleared with the last
        assert app.complaints.recompute_deadlines(app.actor) == 0
    finally:
        app.close()
