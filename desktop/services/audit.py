"""Is the history intact? Verify the hash chain and the signed checkpoints; sign new checkpoints."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

import desktop.store.chained  # noqa: F401 - registers the chained tables
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.chain import ChainReport, canonical, read_head, verify_chain
from desktop.store.models import ChainCheckpoint

if TYPE_CHECKING:
    from cryptography import x509

# The audit key module and cryptography (0.1-0.2 s to import) load where a checkpoint is judged or
# signed: every desk imports this module at start, and checks the history only after the first paint.


def statement(seq: int, digest: str, signed_at: datetime, signer: str) -> bytes:
    """What a checkpoint signs: the chain head it vouches for, when and by whom."""
    return f"complaint-desk checkpoint v1\n{seq}\n{digest}\n{canonical(signed_at)}\n{signer}\n".encode()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signed_at: datetime
    signer: str
    certificate: str  # PEM
    signature: str  # base64

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "signed_at": canonical(self.signed_at), "signer": self.signer,
                "certificate": self.certificate, "signature": self.signature}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(seq=int(data["seq"]), hash=str(data["hash"]),
                   signed_at=datetime.fromisoformat(str(data["signed_at"]).replace("Z", "+00:00")),
                   signer=str(data["signer"]), certificate=str(data["certificate"]),
                   signature=str(data["signature"]))


@dataclass(frozen=True)
class CheckpointStatus:
    """``state``: ok; rewritten (the chain has another hash at that place); truncated (the chain no
    longer reaches it); forged (bad signature, not an audit certificate, or not from the site CA)."""

    checkpoint: Checkpoint
    state: str
    signer_trusted: bool | None  # None: this seat trusts no site CA, so the issuer was not checked

    def as_dict(self) -> dict[str, Any]:
        data = self.checkpoint.as_dict()
        del data["certificate"], data["signature"]
        return {**data, "state": self.state, "signer_trusted": self.signer_trusted}


@dataclass
class AuditReport:
    chain: ChainReport
    checkpoints: list[CheckpointStatus] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def intact(self) -> bool:
        return self.chain.intact and all(status.state == "ok" for status in self.checkpoints)

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact, "entries": self.chain.entries, "seconds": round(self.seconds, 2),
            "head": {"seq": self.chain.head_seq, "hash": self.chain.head_hash},
            "findings": [finding.as_dict() for finding in self.chain.findings],
            "total_findings": self.chain.total_findings,
            "checkpoints": [status.as_dict() for status in self.checkpoints],
        }


def _checkpoint_files(folder: Path) -> list[Checkpoint]:
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            found.append(Checkpoint.from_dict(json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError, KeyError):
            continue  # not a checkpoint file; verification reports only what it can read
    return found


class AuditService:
    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions

    def checkpoints(self) -> list[Checkpoint]:
        with self._sessions() as session:
            rows = session.execute(select(ChainCheckpoint).order_by(ChainCheckpoint.id)).scalars()
            return [Checkpoint(r.seq, r.hash, r.signed_at, r.signer, r.certificate, r.signature) for r in rows]

    def verify(self, *, roots: list[x509.Certificate] | None = None, local_folder: Path | None = None,
               progress: Callable[[int], None] | None = None, stop: Callable[[], bool] | None = None) -> AuditReport:
        """Walk the chain once and judge every checkpoint (from the store and, if kept, the admin's copies)."""
        from desktop.letters import audit_key

        started = time.perf_counter()
        known = self.checkpoints()
        seen = {checkpoint.signature for checkpoint in known}
        for copy in _checkpoint_files(local_folder or audit_key.audit_dir() / "checkpoints"):
            if copy.signature not in seen:  # removed from the store: the admin's copy still counts
                known.append(copy)
                seen.add(copy.signature)
        with self._engine.connect() as connection:
            chain = verify_chain(connection, watch=[c.seq for c in known], progress=progress, stop=stop)
        report = AuditReport(chain=chain)
        for checkpoint in known:
            report.checkpoints.append(self._judge(checkpoint, chain, roots))
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _judge(checkpoint: Checkpoint, chain: ChainReport, roots: list[x509.Certificate] | None) -> CheckpointStatus:
        from cryptography import x509

        from desktop.letters import audit_key

        try:
            certificate = x509.load_pem_x509_certificate(checkpoint.certificate.encode())
            signature = base64.b64decode(checkpoint.signature, validate=True)
        except ValueError:
            return CheckpointStatus(checkpoint, "forged", None)
        trusted = audit_key.issued_by_site(certificate, roots)
        data = statement(checkpoint.seq, checkpoint.hash, checkpoint.signed_at, checkpoint.signer)
        if (not audit_key.is_audit_certificate(certificate) or trusted is False
                or not audit_key.signature_valid(certificate, data, signature)):
            return CheckpointStatus(checkpoint, "forged", trusted)
        if checkpoint.seq == 0:
            return CheckpointStatus(checkpoint, "ok", trusted)
        seen = chain.hashes.get(checkpoint.seq)
        if seen is None:
            return CheckpointStatus(checkpoint, "truncated", trusted)
        return CheckpointStatus(checkpoint, "ok" if seen == checkpoint.hash else "rewritten", trusted)

    @guarded("audit.checkpoint")
    def checkpoint(self, actor: Actor, passphrase: bytes, key_path: Path | None = None,
                   copy_folder: Path | None = None) -> Checkpoint:
        """Sign the current chain head with the audit key (admins only) and store it, with a copy on disk."""
        from cryptography.hazmat.primitives import serialization

        from desktop.letters import audit_key

        key, certificate = audit_key.open_audit_key(key_path or audit_key.audit_key_path(), passphrase)
        signed_at = datetime.now(UTC).replace(microsecond=0)
        with self._sessions.begin() as session:
            seq, digest = read_head(session.connection())
            signature = audit_key.sign(key, statement(seq, digest, signed_at, actor.login))
            checkpoint = Checkpoint(seq, digest, signed_at, actor.login,
                                    certificate.public_bytes(serialization.Encoding.PEM).decode(),
                                    base64.b64encode(signature).decode())
            session.add(ChainCheckpoint(seq=seq, hash=digest, signed_at=signed_at, signer=actor.login,
                                        certificate=checkpoint.certificate, signature=checkpoint.signature))
        folder = copy_folder or audit_key.audit_dir() / "checkpoints"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"checkpoint-{seq:012d}-{signed_at:%Y%m%dT%H%M%S}.json").write_text(
                json.dumps(checkpoint.as_dict(), ensure_ascii=False, indent=2), "utf-8")
        except OSError as error:
            raise ServiceError(_("The checkpoint was stored, but its copy could not be written to {path}: "
                                 "{error}").format(path=folder, error=error)) from error
        return checkpoint
