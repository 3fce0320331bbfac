"""Account management (admins): add, list, change role or teams, (de)activate, reset passwords.

Every change is written to the audit log (``audit_events``) with the acting admin and the computer.

On PostgreSQL each account is also the seat's own database login (desktop/store/pg_roles.py): adding
an account creates its login role in the group of its role, a new role moves it to that group, and
deactivating makes it NOLOGIN — in the same transaction as the account row, so both change or neither.
The acting admin's connection needs CREATEROLE (admins' own logins have it). On SQLite there are no
database roles.
"""

from __future__ import annotations

import getpass
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.identity import (
    actor_of,
    audit,
    check_login,
    check_password_strength,
    hash_password,
    new_user,
)
from desktop.services.permissions import ADMIN, ROLES, guarded
from desktop.services.records import Actor
from desktop.store import pg_roles
from desktop.store.models import AuditEvent, User, UserTeam


def default_login() -> str:
    """The OS login, as a fallback for ``--user`` (it must still sign in with a password)."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (services, some containers)
        login = "agent"
    return re.sub(r"[^A-Za-z0-9_.@-]", "_", login)[:64] or "agent"


@dataclass(frozen=True)
class Account:
    login: str
    display_name: str
    role: str
    team: str | None
    other_teams: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    must_change_password: bool

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.display_name, "role": self.role, "team": self.team,
                "other_teams": list(self.other_teams), "active": self.active,
                "locked_until": self.locked_until.isoformat() if self.locked_until else None,
                "must_change_password": self.must_change_password}


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor_login: str
    action: str
    target: str | None
    details: dict[str, Any]
    host: str

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "actor": self.actor_login, "action": self.action,
                "target": self.target, "details": self.details, "host": self.host}


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ServiceError(_("Unknown role “{role}”; choose one of: {roles}.").format(
            role=role, roles=", ".join(ROLES)))
    return role


def _clean_team(team: str | None) -> str | None:
    return (team or "").strip()[:64] or None


def _login_roles(session: Session, existing: str | None = None) -> Connection | None:
    """The session's connection, to change PostgreSQL login roles with the accounts.

    ``None`` on SQLite, and when ``existing`` (an account's login) has no login role to change. Refuses,
    before anything is written, when roles cannot be changed from this connection.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None
    if existing is not None and not pg_roles.login_role_exists(connection, existing):
        return None  # an account from before its seat had an own login: nothing to follow
    if not pg_roles.groups_exist(connection):
        raise ServiceError(_("This PostgreSQL database has no complaint_desk group roles yet; the database "
                             "administrator runs “complaint-desk db grant-setup” first. Nothing was changed."))
    if not pg_roles.can_create_roles(connection):
        role = connection.execute(text("SELECT current_user")).scalar_one()
        raise ServiceError(_("This seat connects to the database as “{role}”, which may not create or change "
                             "login roles (it needs CREATEROLE). Manage accounts from a seat that connects "
                             "with an administrator's own login. Nothing was changed.").format(role=role))
    return connection


def _role_change(change: Callable[[], None]) -> None:
    """Run a login-role change; the server's refusal becomes a message (the transaction rolls back)."""
    try:
        change()
    except pg_roles.RoleError as error:
        raise ServiceError(_("{error} Nothing was changed.").format(error=error)) from None


class UserService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def _user(self, session: Session, login: str) -> User:
        user = session.execute(select(User).where(User.login == login.strip())).scalar_one_or_none()
        if user is None:
            raise ServiceError(_("No account with the login “{login}”.").format(login=login))
        return user

    @guarded("user.manage")
    def add(self, actor: Actor, login: str, display_name: str, role: str = "agent", team: str | None = None,
            *, password: str, db_password: str | None = None) -> Actor:
        """A new account with an initial password the user must change at first sign-in.

        On PostgreSQL also the seat's login role, in the group of ``role``, with ``db_password`` as its
        database password (``None``: none, for single sign-on or certificates in ``pg_hba.conf``).
        """
        login = check_login(login)
        _check_role(role)
        check_password_strength(password, login)
        if db_password:
            check_password_strength(db_password, login)
        with self._sessions.begin() as session:
            if session.execute(select(User.id).where(User.login == login)).first() is not None:
                raise ServiceError(_("The login “{login}” is already taken.").format(login=login))
            roles = _login_roles(session)
            details: dict[str, Any] = {}
            if roles is not None:
                if pg_roles.login_role_exists(roles, login):
                    raise ServiceError(_("The database already has a role named “{login}”; choose another login "
                                         "or ask the database administrator. Nothing was changed.").format(
                                             login=login))
                _role_change(lambda: pg_roles.create_login_role(roles, login, db_password, role))
                details = {"db_role": pg_roles.GROUPS[role], "db_password": bool(db_password)}
            user = new_user(session, login, display_name.strip() or login, role, _clean_team(team),
                            hash_password(password), must_change_password=True)
            audit(session, actor, "user.add", login, {"role": role, "team": user.team,
                                                       "name": user.display_name, **details})
            return actor_of(session, user)

    @guarded("user.list")
    def accounts(self, actor: Actor) -> list[Account]:  # noqa: ARG002 - the actor is checked by @guarded
        with self._sessions() as session:
            teams: dict[int, list[str]] = {}
            for user_id, team in session.execute(select(UserTeam.user_id, UserTeam.team).order_by(UserTeam.team)):
                teams.setdefault(user_id, []).append(team)
            return [Account(u.login, u.display_name, u.role, u.team, tuple(teams.get(u.id, ())), u.active,
                            u.locked_until, u.must_change_password)
                    for u in session.execute(select(User).order_by(User.login)).scalars()]

    @guarded("user.manage")
    def set_role(self, actor: Actor, login: str, role: str) -> Actor:
        _check_role(role)
        with self._sessions.begin() as session:
            user = self._user(session, login)
            if user.id == actor.id and role != ADMIN:
                raise ServiceError(_("You cannot take the admin role from yourself; ask another admin."))
            before = user.role
            roles = _login_roles(session, user.login)
            if roles is not None:
                _role_change(lambda: pg_roles.set_login_group(roles, user.login, role))
            user.role = role
            audit(session, actor, "user.set_role", user.login, {"role": [before, role]})
            return actor_of(session, user)

    @guarded("user.manage")
    def set_teams(self, actor: Actor, login: str, team: str | None, other_teams: tuple[str, ...] = ()) -> Actor:
        """Home team plus further teams a supervisor leads."""
        with self._sessions.begin() as session:
            user = self._user(session, login)
            home = _clean_team(team)
            others = sorted({t for t in (_clean_team(o) for o in other_teams) if t and t != home})
            before = [user.team, list(session.execute(select(UserTeam.team).where(UserTeam.user_id == user.id)
                                                      .order_by(UserTeam.team)).scalars())]
            user.team = home
            session.execute(delete(UserTeam).where(UserTeam.user_id == user.id))
            session.add_all(UserTeam(user_id=user.id, team=t) for t in others)
            session.flush()
            audit(session, actor, "user.set_teams", user.login, {"team": [before[0], home],
                                                                 "other_teams": [before[1], others]})
            return actor_of(session, user)

    @guarded("user.manage")
    def set_active(self, actor: Actor, login: str, active: bool) -> Actor:
        with self._sessions.begin() as session:
            user = self._user(session, login)
            if user.id == actor.id and not active:
                raise ServiceError(_("You cannot deactivate your own account."))
            roles = _login_roles(session, user.login)
            if roles is not None:
                _role_change(lambda: pg_roles.set_login_allowed(roles, user.login, active))
            user.active = active
            audit(session, actor, "user.activate" if active else "user.deactivate", user.login)
            return actor_of(session, user)

    @guarded("user.manage")
    def reset_password(self, actor: Actor, login: str, password: str, *, db_password: str | None = None) -> Actor:
        """Set a temporary password; the user must choose a new one at the next sign-in. Unlocks.

        ``db_password``: also a new password for the seat's PostgreSQL login role.
        """
        with self._sessions.begin() as session:
            user = self._user(session, login)
            check_password_strength(password, user.login)
            if db_password is not None:
                check_password_strength(db_password, user.login)
                roles = _login_roles(session, user.login)
                if roles is None:
                    raise ServiceError(_("“{login}” has no database login of its own, so it has no database "
                                         "password to set. Nothing was changed.").format(login=user.login))
                _role_change(lambda: pg_roles.set_login_password(roles, user.login, db_password))
            user.password_hash = hash_password(password)
            user.must_change_password = True
            user.failed_attempts = 0
            user.locked_until = None
            audit(session, actor, "user.reset_password", user.login)
            return actor_of(session, user)

    @guarded("audit.read")
    def audit_log(self, actor: Actor, limit: int = 200) -> list[AuditRecord]:  # noqa: ARG002 - @guarded
        with self._sessions() as session:
            rows = session.execute(select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                   .limit(limit)).scalars()
            return [AuditRecord(r.at, r.actor_login, r.action, r.target, json.loads(r.details or "{}"), r.host)
                    for r in rows]

    @guarded("case.read")
    def display_names(self, actor: Actor) -> list[str]:  # noqa: ARG002 - checked by @guarded
        """Names of colleagues (e.g. to pick whose signing key to issue), without account details."""
        with self._sessions() as session:
            return sorted(set(session.execute(select(User.display_name).where(User.active.is_(True))).scalars()))
