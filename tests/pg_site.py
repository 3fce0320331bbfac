"""A least-privilege PostgreSQL site for tests: a schema owner, the group roles, and seats with own logins.

The schema is migrated by a separate owner role that may not create roles; the superuser then does
what ``complaint-desk db grant-setup`` does and gives each seat its login role. Roles are shared by
the whole server, so every login a test creates is dropped again (``Site.extra_logins``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
import sqlalchemy
from sqlalchemy.engine import make_url

from desktop.store import pg_roles
from desktop.store.db import create_db_engine
from desktop.store.migrate import upgrade_to_head
from tests import accounts

PASSWORD = "Zuoxi-Mima-2026!"
SEATS = {"alice": ("agent", "一班"), "bob": ("agent", "二班"), "lead": ("supervisor", "一班"),
         "root_admin": ("admin", None)}
OWNER = "cd_owner"


@dataclass
class Site:
    superuser_url: str
    extra_logins: list[str] = field(default_factory=list)  # created by a test: dropped afterwards

    def url_for(self, login: str) -> str:
        return make_url(self.superuser_url).set(username=login, password=PASSWORD).render_as_string(
            hide_password=False)

    def psycopg(self, login: str) -> psycopg.Connection:
        url = make_url(self.superuser_url)
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database, user=login, password=PASSWORD,
                               autocommit=True)


def _drop_roles(connection: sqlalchemy.Connection, logins: list[str]) -> None:
    for login in logins:
        connection.execute(sqlalchemy.text(f'DROP ROLE IF EXISTS "{login}"'))


@contextmanager
def least_privilege_site(postgres_url: str, postgres_server: str) -> Iterator[Site]:
    database = make_url(postgres_url).database
    superuser = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with superuser.connect() as connection:
        _drop_roles(connection, [OWNER, *SEATS])
        connection.execute(sqlalchemy.text(f"CREATE ROLE {OWNER} LOGIN PASSWORD '{PASSWORD}'"))
        connection.execute(sqlalchemy.text(f'ALTER DATABASE "{database}" OWNER TO {OWNER}'))
        connection.execute(sqlalchemy.text(f"ALTER SCHEMA public OWNER TO {OWNER}"))
    owner = create_db_engine(Site(postgres_url).url_for(OWNER))
    upgrade_to_head(owner)  # as the owner, who may not create roles: policies yes, roles later
    owner.dispose()
    with superuser.begin() as connection:
        pg_roles.apply_grants(connection)  # what `complaint-desk db grant-setup` does
        for login, (role, team) in SEATS.items():
            connection.execute(sqlalchemy.text(
                "INSERT INTO users (login, display_name, role, team, active, created_at, password_hash, "
                "failed_attempts, must_change_password) "
                "VALUES (:login, :login, :role, :team, true, :at, :hash, 0, false)"),
                {"login": login, "role": role, "team": team, "at": datetime.now(UTC),
                 "hash": accounts.test_password_hash()})
            pg_roles.create_login_role(connection, login, PASSWORD, role)
    superuser.dispose()
    site = Site(postgres_url)
    try:
        yield site
    finally:
        cleanup = sqlalchemy.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
        with cleanup.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            _drop_roles(connection, [OWNER, *SEATS, *site.extra_logins])
        cleanup.dispose()
