"""Who is acting: every service call runs on behalf of a known user."""

from __future__ import annotations

import getpass
import re
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.services.errors import PermissionDeniedError, ServiceError
from desktop.services.records import Actor
from desktop.store.models import User

ROLES = ("agent", "supervisor", "admin")
_LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def default_login() -> str:
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment (services, some containers)
        login = "agent"
    return re.sub(r"[^A-Za-z0-9_.@-]", "_", login)[:64] or "agent"


def _actor(user: User) -> Actor:
    return Actor(id=user.id, login=user.login, display_name=user.display_name, role=user.role, team=user.team)


class UserService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def ensure(self, login: str, display_name: str | None = None, role: str | None = None,
               team: str | None = None) -> Actor:
        """Return the user, creating it on first sign-in; the first user of a new store is its admin."""
        if not _LOGIN_PATTERN.match(login):
            raise ServiceError(_("“{login}” is not a valid login (letters, digits, . _ @ - only).").format(login=login))
        with self._sessions.begin() as session:
            user = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
            if user is None:
                first = session.execute(select(func.count(User.id))).scalar_one() == 0
                user = User(login=login, display_name=display_name or login,
                            role=role or ("admin" if first else "agent"), team=team, active=True,
                            created_at=datetime.now(UTC))
                session.add(user)
                session.flush()
            return _actor(user)

    def add(self, actor: Actor, login: str, display_name: str, role: str = "agent",
            team: str | None = None) -> Actor:
        require_supervisor(actor)
        if role not in ROLES:
            raise ServiceError(_("Unknown role “{role}”; choose one of: {roles}.").format(
                role=role, roles=", ".join(ROLES)))
        return self.ensure(login, display_name, role, team)

    def list(self) -> list[Actor]:
        with self._sessions() as session:
            return [_actor(u) for u in session.execute(select(User).order_by(User.login)).scalars()]


def require_supervisor(actor: Actor) -> None:
    if not actor.is_supervisor:
        raise PermissionDeniedError(
            _("Only a supervisor can do this; {name} is signed in as an agent.").format(name=actor.display_name))
