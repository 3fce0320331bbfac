"""Sign-in: accounts with Argon2id password hashes, lock-out, forced change, first-admin setup.

Nobody acts without signing in: ``IdentityService.sign_in(login, password)`` is the only way to get
an ``Actor``. Unknown logins and wrong passwords get the same message (logins cannot be probed);
five failures in a row lock the account for 15 minutes; after an admin reset the user must choose a
new password before doing anything else.
"""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines.engine import BEIJING
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.records import Actor
from desktop.store.chained import AUDIT, queue_log_row
from desktop.store.models import User, UserTeam

MAX_FAILED_ATTEMPTS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")

# Argon2id with argon2-cffi's defaults (RFC 9106 "low memory": t=3, m=64 MiB, p=4).
HASHER = PasswordHasher()
# Verified against when the login is unknown, so that answer takes as long as a wrong password.
# A stored hash with HASHER's parameters (tests/services/test_identity.py checks they still agree),
# not one computed at import: hashing costs 0.15 s of every start of the desk and the CLI.
DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$JCSdP388v0fKGPnm8vUWRQ$QkjZXccEJ2/tpsLBNgU5v4P6faO3EWLVDQSoi0jemYw"

_COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "1qaz2wsx3edc", "qwertyuiop", "1q2w3e4r5t", "password123",
    "password1234", "passw0rd123", "abcdefghij", "abc1234567", "a123456789", "woaini1314", "iloveyou12",
    "qwerty123456", "admin12345", "administrator", "zxcvbnm123", "11111111111", "88888888888", "asdfghjkl1",
})


class SignInError(ServiceError):
    """Sign-in refused; the message is ready to show."""


class AccountLockedError(SignInError):
    def __init__(self, until: datetime) -> None:
        self.until = until
        local = until.astimezone(BEIJING).strftime("%H:%M")
        super().__init__(_("Too many failed sign-ins: this account is locked until {time} (Beijing time).")
                         .format(time=local))


class WeakPasswordError(ServiceError):
    pass


def wrong_credentials() -> SignInError:
    return SignInError(_("Wrong login or password."))


def check_password_strength(password: str, login: str = "") -> None:
    """One rule, one message: ≥ 10 characters, letters mixed with digits or symbols, not guessable."""
    lowered = password.lower()
    classes = sum(bool(re.search(pattern, password)) for pattern in (r"[^\W\d_]", r"\d", r"[\W_]"))
    weak = (len(password) < MIN_PASSWORD_LENGTH or classes < 2 or len(set(password)) < 5
            or lowered in _COMMON_PASSWORDS or (len(login) >= 3 and login.lower() in lowered))
    if weak:
        raise WeakPasswordError(_(
            "This password is too weak: use at least {length} characters, mix letters with digits or symbols, "
            "and do not use your login or a common password.").format(length=MIN_PASSWORD_LENGTH))


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or DUMMY_HASH, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_login(login: str) -> str:
    login = login.strip()
    if not LOGIN_PATTERN.match(login):
        raise ServiceError(_("“{login}” is not a valid login (letters, digits, . _ @ - only).").format(login=login))
    return login


def actor_of(session: Session, user: User) -> Actor:
    others = session.execute(select(UserTeam.team).where(UserTeam.user_id == user.id)
                             .order_by(UserTeam.team)).scalars().all()
    return Actor(id=user.id, login=user.login, display_name=user.display_name, role=user.role, team=user.team,
                 other_teams=tuple(others), must_change_password=user.must_change_password)


def audit(session: Session, actor: Actor | None, action: str, target: str | None,
          details: dict[str, Any] | None = None, *, actor_login: str | None = None) -> None:
    """One row in the audit log (account changes, lock-outs)."""
    queue_log_row(session, AUDIT, {
        "at": datetime.now(UTC), "actor_id": actor.id if actor else None,
        "actor_login": actor.login if actor else (actor_login or ""), "action": action, "target": target,
        "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True), "host": socket.gethostname()[:255]})


def new_user(session: Session, login: str, display_name: str, role: str, team: str | None,
             password_hash: str | None, *, must_change_password: bool = False) -> User:
    user = User(login=login, display_name=display_name, role=role, team=team, active=True,
                created_at=datetime.now(UTC), password_hash=password_hash, failed_attempts=0,
                must_change_password=must_change_password,
                password_changed_at=datetime.now(UTC) if password_hash else None)
    session.add(user)
    session.flush()
    return user


class IdentityService:
    """Setting up a new store and signing in; works before anyone is signed in."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def has_accounts(self) -> bool:
        """Whether the store has any account at all (a store with none becomes a demo in the desk)."""
        with self._sessions() as session:
            return bool(session.execute(select(func.count(User.id))).scalar_one())

    def is_set_up(self) -> bool:
        """Whether anyone can sign in: some account has a password."""
        with self._sessions() as session:
            return bool(session.execute(select(func.count(User.id))
                                        .where(User.password_hash.is_not(None))).scalar_one())

    def setup(self, login: str, display_name: str, password: str) -> Actor:
        """Create the first admin; refused once any account has a password.

        A store from before sign-in existed has accounts without passwords: setup then makes ``login``
        (existing or new) its admin, so that store can be used again.
        """
        login = check_login(login)
        check_password_strength(password, login)
        with self._sessions.begin() as session:
            if session.execute(select(func.count(User.id)).where(User.password_hash.is_not(None))).scalar_one():
                raise ServiceError(_("This store is already set up; an administrator adds further accounts "
                                     "with “complaint-desk user add”."))
            user = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
            if user is None:
                user = new_user(session, login, display_name.strip() or login, "admin", None,
                                hash_password(password))
            else:
                user.role, user.active, user.must_change_password = "admin", True, False
                user.password_hash = hash_password(password)
                user.password_changed_at = datetime.now(UTC)
            actor = actor_of(session, user)
            audit(session, actor, "setup", login, {"role": "admin"})
            return actor

    def sign_in(self, login: str, password: str, *, now: datetime | None = None) -> Actor:
        """The signed-in actor, or ``SignInError`` (wrong login/password, locked, deactivated)."""
        now = now or datetime.now(UTC)
        refusal: SignInError
        with self._sessions.begin() as session:
            user = session.execute(select(User).where(User.login == login.strip())).scalar_one_or_none()
            if user is None:
                password_matches(None, password)  # same time as a wrong password
                raise wrong_credentials()
            if user.locked_until is not None and user.locked_until > now:
                raise AccountLockedError(user.locked_until)
            if password_matches(user.password_hash, password):
                if not user.active:
                    raise SignInError(_("This account has been deactivated; ask an administrator."))
                user.failed_attempts = 0
                user.locked_until = None
                return actor_of(session, user)
            # A failure is counted (committed) before it is reported.
            user.failed_attempts += 1
            refusal = wrong_credentials()
            if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_attempts = 0
                audit(session, None, "sign_in.locked", user.login, {"until": user.locked_until.isoformat()},
                      actor_login=user.login)
                refusal = AccountLockedError(user.locked_until)
        raise refusal

    def change_password(self, login: str, current: str, new: str) -> Actor:
        """Choose a new password (required after an admin reset); the current one proves who asks."""
        actor = self.sign_in(login, current)
        check_password_strength(new, actor.login)
        if new == current:
            raise WeakPasswordError(_("The new password must differ from the current one."))
        with self._sessions.begin() as session:
            user = session.get(User, actor.id)
            assert user is not None
            user.password_hash = hash_password(new)
            user.must_change_password = False
            user.password_changed_at = datetime.now(UTC)
            audit(session, actor, "password.change", actor.login)
            return actor_of(session, user)
