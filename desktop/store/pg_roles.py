"""PostgreSQL least privilege: group roles, grants and row-level security.

The schema belongs to an owner role that only runs migrations. Seats connect as their own
login role, a member of one group role:

* ``complaint_desk_agent`` — reads and works the cases of their team; history, audit
  checkpoints and the chain are INSERT-only (plus SELECT); no DELETE, TRUNCATE, DDL or ownership.
* ``complaint_desk_supervisor`` — the agent's rights plus review bundles and quality reviews.
* ``complaint_desk_admin`` — all of that, sees every team, manages users, the site's settings and
  holiday calendars, and signs checkpoints.

Row-level security maps the session's login (``session_user``) to the ``users`` row with that
login: agents and supervisors see the complaints assigned to someone of their team (or created by or
assigned to themselves); admins see all. History, citations, letters, signatures and links follow
their complaint. The table owner and superusers are not subject to the policies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from desktop.i18n import _

AGENT, SUPERVISOR, ADMIN = "complaint_desk_agent", "complaint_desk_supervisor", "complaint_desk_admin"
GROUPS = {"agent": AGENT, "supervisor": SUPERVISOR, "admin": ADMIN}
_LOGIN = re.compile(r"^[A-Za-z0-9_.@-]{1,63}$")

# Tables every group reads; what each may add to or change (never DELETE, TRUNCATE or DDL).
READ_ALL = ("users", "user_teams", "complaints", "complaint_links", "complaint_events", "complaint_citations",
            "letters", "customer_signatures", "number_sequences", "calendar_years", "site_settings", "chain_head",
            "chain_checkpoints", "alembic_version", "case_terms", "change_log", "law_packs", "review_bundles",
            "qa_reviews", "stats_daily", "stats_open_due", "phone_counts", "imports", "import_staging")
# Sign-in keeps its lock-out counters and a changed password on the user's own row.
_SIGN_IN_COLUMNS = "UPDATE (failed_attempts, locked_until, password_hash, must_change_password, password_changed_at)"
WRITES: dict[str, dict[str, str]] = {
    AGENT: {
        "complaints": "INSERT, UPDATE", "complaint_links": "INSERT", "complaint_events": "INSERT",
        "complaint_citations": "INSERT, UPDATE, DELETE", "letters": "INSERT", "customer_signatures": "INSERT",
        "number_sequences": "INSERT, UPDATE", "chain_head": "UPDATE", "users": _SIGN_IN_COLUMNS,
        # Append-only records every seat writes: who did what (no UPDATE, no DELETE).
        # (SELECT of the id only: an INSERT … RETURNING id needs it; the records stay unreadable.)
        "audit_events": "INSERT, SELECT (id)", "personal_data_access": "INSERT, SELECT (id)",
        "key_events": "INSERT, SELECT (id)",
        "change_log": "INSERT", "case_terms": "INSERT",
        # The per-day statistics summary is kept by triggers in the transaction of each case change.
        "stats_daily": "INSERT, UPDATE, DELETE", "stats_open_due": "INSERT, UPDATE, DELETE",
        "phone_counts": "INSERT, UPDATE, DELETE",
        # An import's journal and its staged rows (deleted as they are published or discarded).
        "imports": "INSERT, UPDATE", "import_staging": "INSERT, DELETE",
    },
    SUPERVISOR: {"review_bundles": "INSERT, UPDATE", "qa_reviews": "INSERT, UPDATE"},
    # The site's settings and holiday calendars are the admin's (permissions.py: site.edit, calendar.import).
    ADMIN: {"calendar_years": "INSERT, UPDATE", "site_settings": "INSERT, UPDATE",
            "users": "INSERT, UPDATE", "user_teams": "INSERT, UPDATE, DELETE", "chain_checkpoints": "INSERT",
            "law_packs": "INSERT, UPDATE", "audit_events": "SELECT", "personal_data_access": "SELECT",
            "key_events": "SELECT", "change_log": "DELETE"},
}
# Tables whose rows belong to a complaint and are visible exactly when the complaint is.
CHILD_TABLES = ("complaint_links", "complaint_citations", "letters", "customer_signatures")


class RoleError(ValueError):
    """A login or group that cannot become a database role, or a login role the server would not make."""


def _identifier(login: str) -> Any:
    """``login`` as a quoted SQL identifier (``psycopg.sql.Identifier``), after checking it can be a role.

    The characters are the app's own login rule (letters, digits, ``. _ @ -``); the length is PostgreSQL's
    63 bytes, beyond which the server would silently cut the name and ``session_user`` would no longer
    match the account's login (row-level security maps one to the other).
    """
    from psycopg import sql

    if not _LOGIN.match(login) or len(login.encode()) > 63:
        raise RoleError(_("“{login}” cannot be a database login (letters, digits, . _ @ - only, at most 63)."
                          ).format(login=login))
    return sql.Identifier(login)


def _group(group: str) -> str:
    if group in GROUPS:
        return GROUPS[group]
    if group in GROUPS.values():
        return group
    raise RoleError(_("Unknown group “{group}”; choose agent, supervisor or admin.").format(group=group))


# -- schema objects (run by the owner, in the migration) ---------------------------------------------

def install_policies(connection: Connection) -> None:
    """Functions that say who the session is, and the row-level security policies built on them."""
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    for name, column, result in (("id", "id", "integer"), ("role", "role", "text"), ("team", "team", "text")):
        connection.execute(text(
            f"CREATE OR REPLACE FUNCTION complaint_desk_user_{name}() RETURNS {result} "
            f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_catalog AS "
            f"$$ SELECT {column}::{result} FROM users WHERE login = session_user AND active $$"
        ))
        connection.execute(text(f"REVOKE ALL ON FUNCTION complaint_desk_user_{name}() FROM PUBLIC"))
    me, role, team = ("(SELECT complaint_desk_user_id())", "(SELECT complaint_desk_user_role())",
                      "(SELECT complaint_desk_user_team())")
    visible = (f"{role} = 'admin' OR assigned_agent_id = {me} OR created_by_id = {me} OR EXISTS "
               f"(SELECT 1 FROM users u WHERE u.id = complaints.assigned_agent_id AND u.team = {team})")
    of_visible_case = "complaint_id IN (SELECT id FROM complaints)"
    statements = [
        "ALTER TABLE complaints ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY complaints_read ON complaints FOR SELECT USING ({visible})",
        f"CREATE POLICY complaints_add ON complaints FOR INSERT WITH CHECK (created_by_id = {me} OR {role} = 'admin')",
        # A case may be handed to another team (a transfer); which cases one may touch is the USING part.
        f"CREATE POLICY complaints_change ON complaints FOR UPDATE USING ({visible}) WITH CHECK (true)",
        "ALTER TABLE complaint_events ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY complaint_events_read ON complaint_events FOR SELECT USING ({of_visible_case})",
        # Nobody writes history in someone else's name (admins load demo data and imports).
        f"CREATE POLICY complaint_events_add ON complaint_events FOR INSERT "
        f"WITH CHECK ((actor_id = {me} OR {role} = 'admin') AND {of_visible_case})",
    ]
    for table in CHILD_TABLES:
        statements += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                       f"CREATE POLICY {table}_of_case ON {table} USING ({of_visible_case}) "
                       f"WITH CHECK ({of_visible_case})"]
    for statement in statements:
        connection.execute(text(statement))


def remove_policies(connection: Connection) -> None:
    for table in ("complaints", "complaint_events", *CHILD_TABLES):
        connection.execute(text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))
    for policy, table in (("complaints_read", "complaints"), ("complaints_add", "complaints"),
                          ("complaints_change", "complaints"), ("complaint_events_read", "complaint_events"),
                          ("complaint_events_add", "complaint_events"),
                          *((f"{t}_of_case", t) for t in CHILD_TABLES)):
        connection.execute(text(f"DROP POLICY IF EXISTS {policy} ON {table}"))
    for name in ("id", "role", "team"):
        connection.execute(text(f"DROP FUNCTION IF EXISTS complaint_desk_user_{name}()"))


# -- roles and grants (the migration when it may create roles, else `complaint-desk db grant-setup`) ---

def can_create_roles(connection: Connection) -> bool:
    return bool(connection.execute(text(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).scalar())


def groups_exist(connection: Connection) -> bool:
    found = connection.execute(text("SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :s, :d)"),
                               {"a": AGENT, "s": SUPERVISOR, "d": ADMIN}).scalar_one()
    return int(found) == len(GROUPS)


def apply_grants(connection: Connection) -> list[str]:
    """Create the group roles (when missing) and give each exactly its grants; returns what was done."""
    done = []
    existing = {row[0] for row in connection.execute(text("SELECT rolname FROM pg_roles"))}
    for group in (AGENT, SUPERVISOR, ADMIN):
        if group not in existing:
            connection.execute(text(f"CREATE ROLE {group} NOLOGIN"))
            done.append(f"CREATE ROLE {group}")
    groups = ", ".join((AGENT, SUPERVISOR, ADMIN))
    tables = [row[0] for row in connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    connection.execute(text(f"GRANT USAGE ON SCHEMA {schema} TO {groups}"))
    for table in tables:
        connection.execute(text(f"REVOKE ALL ON TABLE {table} FROM {groups}"))
    for table in READ_ALL:
        if table in tables:
            connection.execute(text(f"GRANT SELECT ON TABLE {table} TO {groups}"))
    cumulative: dict[str, list[str]] = {AGENT: [AGENT, SUPERVISOR, ADMIN], SUPERVISOR: [SUPERVISOR, ADMIN],
                                        ADMIN: [ADMIN]}
    for level, writes in WRITES.items():
        for table, privileges in writes.items():
            if table in tables:
                connection.execute(text(f"GRANT {privileges} ON TABLE {table} TO {', '.join(cumulative[level])}"))
    connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {groups}"))
    for name in ("id", "role", "team"):
        connection.execute(text(f"GRANT EXECUTE ON FUNCTION complaint_desk_user_{name}() TO {groups}"))
    done.append(f"GRANT … TO {groups}")
    return done


# -- login roles (user management on a PostgreSQL store: desktop/services/users.py) --------------------
# Built with psycopg.sql (quoted identifiers, quoted literals) and run on the caller's connection, so a
# role changes in the same transaction as the account row it belongs to.

def _run(connection: Connection, statement: Any) -> None:
    """Run a role statement; the server's refusal becomes a ``RoleError`` saying what it refused."""
    import psycopg

    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor:
            cursor.execute(statement)
    except psycopg.Error as error:
        raise RoleError(_("The database server refused to change the login role: {error}").format(
            error=str(error).strip())) from error


def _password_clause(connection: Connection, login: str, password: str | None) -> Any:
    """`` PASSWORD '<verifier>'``: hashed here by libpq (as psql's \\password does), so the password
    itself never reaches the server, its statement log or ``pg_stat_activity``."""
    from psycopg import sql

    if not password:
        return sql.SQL("")
    raw = connection.connection.driver_connection
    assert raw is not None
    verifier = raw.pgconn.encrypt_password(password.encode(), login.encode()).decode()
    return sql.SQL(" PASSWORD {}").format(sql.Literal(verifier))


def login_role_exists(connection: Connection, login: str) -> bool:
    found = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login}).first()
    return found is not None


def create_login_role(connection: Connection, login: str, password: str | None, group: str) -> None:
    """A seat's own database login, member of one group. Admin logins may create and manage logins.

    ``password`` is the login's *database* password (libpq reads it from the connection string, the
    ``pgpass`` file or ``PGPASSWORD``); ``None`` makes a login without one, for sites whose
    ``pg_hba.conf`` signs seats in another way (GSSAPI/SSPI single sign-on, certificates).
    """
    from psycopg import sql

    name, target = _identifier(login), _group(group)
    extra = sql.SQL(" CREATEROLE" if target == ADMIN else "")
    _run(connection, sql.SQL("CREATE ROLE {} LOGIN{}{} IN ROLE {}").format(
        name, extra, _password_clause(connection, login, password), sql.Identifier(target)))


def set_login_group(connection: Connection, login: str, group: str) -> None:
    from psycopg import sql

    name, target = _identifier(login), _group(group)
    others: Iterable[str] = (g for g in GROUPS.values() if g != target)
    for other in others:
        _run(connection, sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), name))
    _run(connection, sql.SQL("GRANT {} TO {}").format(sql.Identifier(target), name))
    _run(connection, sql.SQL("ALTER ROLE {} {}").format(
        name, sql.SQL("CREATEROLE" if target == ADMIN else "NOCREATEROLE")))


def set_login_password(connection: Connection, login: str, password: str) -> None:
    """A new database password for ``login`` (hashed on this side, like ``create_login_role``)."""
    from psycopg import sql

    clause = _password_clause(connection, login, password)
    _run(connection, sql.SQL("ALTER ROLE {}{}").format(_identifier(login), clause))


def set_login_allowed(connection: Connection, login: str, allowed: bool) -> None:
    """LOGIN or NOLOGIN: a deactivated account's role stays (with what the server logged about it)."""
    from psycopg import sql

    _run(connection, sql.SQL("ALTER ROLE {} {}").format(_identifier(login), sql.SQL("LOGIN" if allowed else "NOLOGIN")))


def drop_or_disable(connection: Connection, login: str, *, drop: bool = False) -> None:
    """Stop a login: NOLOGIN keeps the role (and what the server logged about it); ``drop`` removes it."""
    from psycopg import sql

    if drop:
        _run(connection, sql.SQL("DROP ROLE IF EXISTS {}").format(_identifier(login)))
    else:
        set_login_allowed(connection, login, False)
