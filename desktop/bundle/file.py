"""The review bundle file (``.cdbundle``) and its decision journal (``.cdbundle.journal``).

File layout (all lengths big-endian 32-bit)::

    MAGIC | len(header) | header (JSON) | len(signature) | signature | ciphertext

* ``ciphertext`` = AES-256-GCM(key, nonce, zlib(payload JSON), associated data = MAGIC + header);
* ``key`` = scrypt(passphrase, salt, n, r, p) — the parameters are in the header;
* ``signature`` = the exporting supervisor's key (ECDSA P-256 / RSA-PSS, SHA-256) over
  MAGIC + header + SHA-256(ciphertext); the certificate is in the header and must chain to the
  site's trust roots. A flipped byte anywhere fails the signature (and the GCM tag).

Decisions made offline are appended to the journal beside the bundle, one encrypted record each
(AES-256-GCM with the same key, associated data = bundle id + record number), flushed and fsync'ed
before the desk says "saved": a crash (even SIGKILL) afterwards loses none. A torn last record (the
process died while writing it) is ignored — that decision was never confirmed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import NameOID

from desktop.i18n import _

MAGIC = b"CDREVIEW\x01\n"
FORMAT = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_LEN = struct.Struct(">I")

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class BundleError(Exception):
    """A bundle cannot be used; the message is translated and says why."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def derive_key(passphrase: str, kdf: dict[str, Any]) -> bytes:
    scrypt = Scrypt(salt=_unb64(kdf["salt"]), length=32, n=int(kdf["n"]), r=int(kdf["r"]), p=int(kdf["p"]))
    return scrypt.derive(passphrase.encode("utf-8"))


def _sign(key: PrivateKey, message: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(message, ec.ECDSA(hashes.SHA256()))
    return key.sign(message, padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.MAX_LENGTH), hashes.SHA256())


def _verify(certificate: x509.Certificate, signature: bytes, message: bytes) -> None:
    public = certificate.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public, rsa.RSAPublicKey):
        public.verify(signature, message, padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.MAX_LENGTH),
                      hashes.SHA256())
    else:
        raise InvalidSignature


def _signed_message(header: bytes, ciphertext: bytes) -> bytes:
    return MAGIC + header + hashlib.sha256(ciphertext).digest()


def write_bundle(path: Path, payload: dict[str, Any], *, bundle_id: str, expires_at: datetime,
                 passphrase: str, key: PrivateKey, certificate: x509.Certificate,
                 header_extra: dict[str, Any]) -> int:
    """Encrypt, sign and write atomically; returns the file size."""
    if len(passphrase) < 8:
        raise BundleError(_("The bundle passphrase must have at least 8 characters."))
    salt, nonce = os.urandom(16), os.urandom(12)
    kdf = {"name": "scrypt", "salt": _b64(salt), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
    header = json.dumps({
        "format": FORMAT, "bundle_id": bundle_id, "created_at": datetime.now(UTC).isoformat(),
        "expires_at": expires_at.isoformat(), "kdf": kdf, "nonce": _b64(nonce), "cipher": "AES-256-GCM",
        "signature": "ECDSA-SHA256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RSA-PSS-SHA256",
        "certificate": certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        **header_extra,
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")
    plain = zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)
    ciphertext = AESGCM(derive_key(passphrase, kdf)).encrypt(nonce, plain, MAGIC + header)
    signature = _sign(key, _signed_message(header, ciphertext))
    data = MAGIC + _LEN.pack(len(header)) + header + _LEN.pack(len(signature)) + signature + ciphertext
    _atomic_write(path, data)
    return len(data)


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@dataclass
class SealedBundle:
    """A bundle whose signature, signer and expiry were checked; not yet decrypted."""

    path: Path
    header: dict[str, Any]
    header_bytes: bytes
    ciphertext: bytes
    certificate: x509.Certificate

    @property
    def bundle_id(self) -> str:
        return str(self.header["bundle_id"])

    @property
    def expires_at(self) -> datetime:
        return datetime.fromisoformat(self.header["expires_at"])

    @property
    def signer(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def signer_name(self) -> str:
        """The signer's common name (the supervisor's name on the certificate)."""
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.signer

    def open(self, passphrase: str) -> OpenBundle:
        key = derive_key(passphrase, self.header["kdf"])
        try:
            plain = AESGCM(key).decrypt(_unb64(self.header["nonce"]), self.ciphertext, MAGIC + self.header_bytes)
        except InvalidTag:
            raise BundleError(_("Wrong passphrase for this review bundle.")) from None
        payload = json.loads(zlib.decompress(plain).decode("utf-8"))
        bundle = OpenBundle(sealed=self, key=key, payload=payload)
        bundle.decisions = read_journal(journal_path(self.path), key, self.bundle_id)
        return bundle


def read_bundle(path: Path, trust_roots: list[x509.Certificate], *, now: datetime | None = None) -> SealedBundle:
    """Read and check a bundle: format, signature, signer's certificate and expiry."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BundleError(_("Cannot read the review bundle {path}: {error}").format(
            path=path, error=error.strerror or error)) from None
    damaged = BundleError(_("The review bundle {path} is damaged or was altered; it cannot be used.").format(
        path=path.name))
    if not data.startswith(MAGIC):
        raise BundleError(_("{path} is not a review bundle.").format(path=path.name))
    try:
        offset = len(MAGIC)
        (header_length,) = _LEN.unpack_from(data, offset)
        header_bytes = data[offset + 4: offset + 4 + header_length]
        offset += 4 + header_length
        (signature_length,) = _LEN.unpack_from(data, offset)
        signature = data[offset + 4: offset + 4 + signature_length]
        ciphertext = data[offset + 4 + signature_length:]
        header = json.loads(header_bytes.decode("utf-8"))
        certificate = x509.load_pem_x509_certificate(header["certificate"].encode("ascii"))
        _verify(certificate, signature, _signed_message(header_bytes, ciphertext))
    except (struct.error, ValueError, KeyError, UnicodeDecodeError, InvalidSignature):
        raise damaged from None
    if header.get("format") != FORMAT:
        raise BundleError(_("This review bundle has an unknown format; update the Complaint Desk."))
    if not any(_issued_by(certificate, root) for root in trust_roots):
        raise BundleError(_("The review bundle was signed by {signer}, whom this site does not trust.").format(
            signer=certificate.subject.rfc4514_string()))
    sealed = SealedBundle(path, header, header_bytes, ciphertext, certificate)
    if (now or datetime.now(UTC)) > sealed.expires_at:
        raise BundleError(_("The review bundle expired on {date}; export a new one.").format(
            date=sealed.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")))
    return sealed


def _issued_by(certificate: x509.Certificate, root: x509.Certificate) -> bool:
    if certificate == root:
        return True
    try:
        certificate.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


# -- decisions and the journal ---------------------------------------------------------------------------

DECISION_KINDS = ("approve", "return", "reassign", "qa_score", "comment")


@dataclass(frozen=True)
class Decision:
    """One review decision made offline: applied later against the case's version at export."""

    id: str
    kind: str  # one of DECISION_KINDS
    number: str
    version: int  # the case's version when the bundle was exported
    payload: dict[str, Any]
    at: str
    reviewer: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "number": self.number, "version": self.version,
                "payload": self.payload, "at": self.at, "reviewer": self.reviewer}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        return cls(id=str(data["id"]), kind=str(data["kind"]), number=str(data["number"]),
                   version=int(data["version"]), payload=dict(data["payload"]), at=str(data["at"]),
                   reviewer=str(data["reviewer"]))


def journal_path(bundle: Path) -> Path:
    return bundle.with_name(bundle.name + ".journal")


def _journal_aad(bundle_id: str, index: int) -> bytes:
    return bundle_id.encode("ascii") + _LEN.pack(index)


def read_journal(path: Path, key: bytes, bundle_id: str) -> list[Decision]:
    if not path.is_file():
        return []
    data = path.read_bytes()
    decisions: list[Decision] = []
    offset = 0
    while offset + 4 <= len(data):
        (length,) = _LEN.unpack_from(data, offset)
        record = data[offset + 4: offset + 4 + length]
        if len(record) < length or length < 12:
            break  # torn last record: the process died while writing it, before confirming
        try:
            plain = AESGCM(key).decrypt(record[:12], record[12:], _journal_aad(bundle_id, len(decisions)))
        except InvalidTag:
            raise BundleError(_("The decisions saved beside the review bundle were altered; "
                                "they cannot be used.")) from None
        decisions.append(Decision.from_json(json.loads(plain.decode("utf-8"))))
        offset += 4 + length
    return decisions


@dataclass
class OpenBundle:
    """A decrypted bundle and the decisions made on it so far."""

    sealed: SealedBundle
    key: bytes
    payload: dict[str, Any]
    decisions: list[Decision] = field(default_factory=list)

    @property
    def bundle_id(self) -> str:
        return self.sealed.bundle_id

    @property
    def cases(self) -> list[dict[str, Any]]:
        cases: list[dict[str, Any]] = self.payload["cases"]
        return cases

    @property
    def agents(self) -> list[dict[str, Any]]:
        agents: list[dict[str, Any]] = self.payload["agents"]
        return agents

    def case(self, number: str) -> dict[str, Any]:
        for case in self.cases:
            if case["number"] == number:
                return case
        raise BundleError(_("Complaint {number} is not in this review bundle.").format(number=number))

    def record(self, decision: Decision) -> None:
        """Append one decision to the journal and fsync it: after this returns a crash loses nothing."""
        nonce = os.urandom(12)
        plain = json.dumps(decision.to_json(), ensure_ascii=False).encode("utf-8")
        sealed = nonce + AESGCM(self.key).encrypt(nonce, plain, _journal_aad(self.bundle_id, len(self.decisions)))
        path = journal_path(self.sealed.path)
        existing = path.stat().st_size if path.exists() else 0
        with open(path, "ab") as handle:
            # A torn record left by a crash is cut off before appending, so the next record reads.
            valid = self._valid_length(path) if existing else 0
            if valid != existing:
                handle.truncate(valid)
            handle.write(_LEN.pack(len(sealed)) + sealed)
            handle.flush()
            os.fsync(handle.fileno())
        self.decisions.append(decision)

    def _valid_length(self, path: Path) -> int:
        data = path.read_bytes()
        offset = 0
        while offset + 4 <= len(data):
            (length,) = _LEN.unpack_from(data, offset)
            if offset + 4 + length > len(data):
                break
            offset += 4 + length
        return offset

    def decisions_for(self, number: str) -> list[Decision]:
        return [d for d in self.decisions if d.number == number]
