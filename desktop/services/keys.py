"""Key and trust changes as service operations: admin-only where they decide whom letters trust,
each one recorded in the case-independent audit table ``key_events``.

Trusting a CA, creating the site CA, issuing agent certificates and signing a site law pack
need the ``keys.manage`` permission (administrators). Importing one's own .p12 is open to
every agent, but only a certificate that chains to a CA the site already trusts gets in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.letters.content import LetterError
from desktop.letters.keys import (
    KeyType,
    SigningIdentity,
    SiteCA,
    create_site_ca,
    import_pkcs12,
    import_trust_root,
    issue_agent_certificate,
    open_site_ca,
    retire_demo_keys,
    site_ca_dir,
)
from desktop.services.errors import ServiceError
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.chained import KEYS, queue_log_row
from desktop.store.models import KeyEvent

T = TypeVar("T")

KEYS_MANAGE = "keys.manage"  # the permission these operations map to once roles become permissions


class KeyOperationError(ServiceError):
    """A key operation failed for a reason the user can act on (wrong passphrase, untrusted, …)."""


@dataclass(frozen=True)
class KeyEventRecord:
    at: datetime
    actor: str
    action: str
    subject: str
    fingerprint: str | None
    detail: dict[str, Any]


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


class KeyService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @guarded("keys.manage")
    def trust_ca(self, actor: Actor, path: Path) -> x509.Certificate:

        def trusted(session: Session) -> x509.Certificate:
            certificate = _run(lambda: import_trust_root(path))
            _record(session, actor, "trust_ca", certificate.subject.rfc4514_string(), fingerprint(certificate),
                    {"file": str(path)})
            return certificate

        return self._in_transaction(trusted)

    @guarded("keys.manage")
    def create_site_ca(self, actor: Actor, name: str, passphrase: bytes,
                       directory: Path | None = None) -> tuple[SiteCA, Path | None]:
        """Create the site CA (in the profile unless ``directory``); a demo CA there is retired first."""
        if not name.strip():
            raise KeyOperationError(_("The site CA needs the site's name."))

        def created(session: Session) -> tuple[SiteCA, Path | None]:
            # A real CA replaces the demo one the first signing made; demo files are kept aside.
            retired = _run(retire_demo_keys) if directory is None else None
            ca = _run(lambda: create_site_ca(directory or site_ca_dir(), name.strip(), passphrase))
            _record(session, actor, "create_ca", ca.certificate.subject.rfc4514_string(),
                    fingerprint(ca.certificate), {"directory": str(ca.directory),
                                                  "retired_demo": str(retired) if retired else None})
            return ca, retired

        return self._in_transaction(created)

    @guarded("keys.manage")
    def issue(self, actor: Actor, agent_name: str, ca_passphrase: bytes, key_passphrase: bytes, *,
              key_type: KeyType = "ec", ca_dir: Path | None = None, out: Path | None = None) -> SigningIdentity:
        folder = ca_dir or site_ca_dir()
        if not (folder / "ca.p12").is_file():
            raise KeyOperationError(_("There is no site CA in {path}; create it first.").format(path=folder))

        def issued(session: Session) -> SigningIdentity:
            ca = _run(lambda: open_site_ca(folder, ca_passphrase))
            identity = _run(lambda: issue_agent_certificate(ca, agent_name.strip(), key_passphrase,
                                                            key_type=key_type, directory=out))
            _record(session, actor, "issue", identity.subject, identity.fingerprint,
                    {"agent": identity.agent_name, "path": str(identity.path), "key_type": key_type})
            return identity

        return self._in_transaction(issued)

    @guarded("keys.import")
    def import_pkcs12(self, actor: Actor, path: Path, passphrase: bytes) -> SigningIdentity:
        """Any agent may import their own .p12; it must chain to a CA the site already trusts."""

        def imported(session: Session) -> SigningIdentity:
            identity = _run(lambda: import_pkcs12(path, passphrase))
            _record(session, actor, "import_p12", identity.subject, identity.fingerprint,
                    {"agent": identity.agent_name, "file": str(path)})
            return identity

        return self._in_transaction(imported)

    @guarded("lawpack.import")
    def record(self, actor: Actor, action: str, subject: str, fingerprint_hex: str | None,
               detail: dict[str, Any]) -> None:
        """Record a key-related change made elsewhere (a law pack signed or imported)."""
        with self._sessions.begin() as session:
            _record(session, actor, action, subject, fingerprint_hex, detail)

    @guarded("keys.manage")
    def events(self, actor: Actor, limit: int = 200) -> list[KeyEventRecord]:  # noqa: ARG002 - @guarded
        from desktop.store.models import User

        with self._sessions() as session:
            rows = session.execute(select(KeyEvent, User.login).join(User, User.id == KeyEvent.actor_id)
                                   .order_by(KeyEvent.id.desc()).limit(limit)).all()
            return [KeyEventRecord(e.at, login, e.action, e.subject, e.fingerprint, json.loads(e.detail))
                    for e, login in rows]

    def _in_transaction(self, operation: Callable[[Session], T]) -> T:
        with self._sessions.begin() as session:
            return operation(session)


def _run(operation: Callable[[], T]) -> T:
    try:
        return operation()
    except LetterError as error:
        raise KeyOperationError(str(error)) from error
    except OSError as error:
        raise KeyOperationError(_("The key files cannot be written: {error}").format(error=error)) from error


def _record(session: Session, actor: Actor, action: str, subject: str, fingerprint_hex: str | None,
            detail: dict[str, Any]) -> None:
    queue_log_row(session, KEYS, {"at": datetime.now(UTC), "actor_id": actor.id, "action": action,
                                  "subject": subject[:500], "fingerprint": fingerprint_hex,
                                  "detail": json.dumps(detail, ensure_ascii=False)})
