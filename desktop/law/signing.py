"""Law packs that cannot be forged: a signature over ``pack.json``, checked on every load.

``pack.json`` lists the SHA-256 of every other file of the pack, so signing its exact
bytes signs the whole pack. The signature lives beside it in ``pack.sig`` (JSON):

* the bundled pack is signed by the project's publisher key (Ed25519); only the PUBLIC
  key ships, in :mod:`desktop.law.publisher_key`; ``packaging/sign_law_pack.py`` re-signs;
* a site's own pack is signed by the site CA (ECDSA P-256 or RSA, the key of
  ``keys create-ca``); its certificate travels in ``pack.sig`` and must be one the site
  trusts and not a demo CA (any agent can make the demo CA by signing a first letter).

Pack files are also bounded and plain: no symlinks, nothing outside the pack, only the
expected names, at most :data:`MAX_PACK_BYTES` in all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from desktop.i18n import _

if TYPE_CHECKING:
    # cryptography's x509 alone takes about 0.2 s to import: it is loaded when a pack's signature is
    # checked or made, not with every module that needs the pack's file names (the desk's start).
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

SIGNATURE_FILE = "pack.sig"
MANIFEST_FILE = "pack.json"
OPTIONAL_FILES = ("README.md", "catalog.json")
MAX_PACK_BYTES = 20 * 1024 * 1024
MAX_PACK_ENTRIES = 500
_CONTEXT = b"complaint-desk law pack v1\n"  # the signed bytes never double as another document
_STATUTE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.json$")


class PackSignatureError(ValueError):
    """The pack's signature is missing, broken, or from a key this site does not trust."""


@dataclass(frozen=True)
class PackSigner:
    kind: str  # "publisher" or "site"
    name: str
    fingerprint: str


def signed_bytes(manifest: bytes) -> bytes:
    return _CONTEXT + manifest


def expected_files(manifest: dict[str, Any]) -> set[str]:
    """Every file a pack may hold (POSIX-relative), from its manifest; refuses odd names outright."""
    names = {MANIFEST_FILE, SIGNATURE_FILE, *OPTIONAL_FILES}
    for role in ("guidance", "cases"):
        name = manifest.get(role, f"{role}.json")
        if not isinstance(name, str) or not _PLAIN_NAME.match(name):
            raise PackSignatureError(_("pack.json names an unusable {role} file: {name!r}").format(
                role=role, name=name))
        names.add(name)
    keys = manifest.get("statutes", [])
    if not isinstance(keys, list):
        raise PackSignatureError(_("pack.json: the statute list is not a list"))
    for key in keys:
        if not isinstance(key, str) or not _STATUTE_KEY.match(key):
            raise PackSignatureError(_("pack.json names an unusable statute key: {key!r}").format(key=key))
        names.add(f"statutes/{key}.json")
    return names


def pack_files(folder: Path) -> dict[str, int]:
    """The regular files below ``folder`` with their sizes, refusing symlinks, devices and huge packs.

    Only ``lstat`` is used, so nothing is followed and nothing is read.
    """
    found: dict[str, int] = {}
    total = 0
    try:
        if folder.is_symlink() or not folder.is_dir():
            raise PackSignatureError(_("{path} is not a pack folder.").format(path=folder))
        pending = [folder]
        while pending:
            current = pending.pop()
            with os.scandir(current) as entries:
                for entry in entries:
                    relative = PurePosixPath(Path(entry.path).relative_to(folder).as_posix())
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISLNK(info.st_mode):
                        raise PackSignatureError(_("The pack holds a symbolic link ({name}); packs must "
                                                   "hold plain files only.").format(name=relative))
                    if stat.S_ISDIR(info.st_mode):
                        pending.append(Path(entry.path))
                    elif not stat.S_ISREG(info.st_mode):
                        raise PackSignatureError(_("The pack holds {name}, which is not a plain file.").format(
                            name=relative))
                    else:
                        total += info.st_size
                        found[str(relative)] = info.st_size
                    if total > MAX_PACK_BYTES or len(found) + len(pending) > MAX_PACK_ENTRIES:
                        raise PackSignatureError(_("The pack is larger than {limit} MB or holds too many "
                                                   "files; it is refused.").format(
                            limit=MAX_PACK_BYTES // (1024 * 1024)))
    except OSError as error:
        raise PackSignatureError(_("The pack folder cannot be read: {error}").format(error=error)) from error
    return found


def check_pack_files(folder: Path, manifest: dict[str, Any]) -> dict[str, int]:
    """The pack's files, after refusing anything unexpected (see :func:`pack_files`)."""
    files = pack_files(folder)
    allowed = expected_files(manifest)
    unexpected = sorted(set(files) - allowed)
    if unexpected:
        raise PackSignatureError(_("The pack holds files it should not: {names}").format(
            names=", ".join(unexpected[:10])))
    return files


def read_manifest_bytes(folder: Path) -> bytes:
    path = folder / MANIFEST_FILE
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_PACK_BYTES:
            raise PackSignatureError(_("pack.json is not a plain file of a sane size."))
        return path.read_bytes()
    except FileNotFoundError:
        raise PackSignatureError(_("Missing file: {path}").format(path=MANIFEST_FILE)) from None
    except OSError as error:
        raise PackSignatureError(_("pack.json cannot be read: {error}").format(error=error)) from error


def verify_pack_signature(folder: Path, manifest: bytes, *, allow_site: bool,
                          site_roots: Sequence[x509.Certificate] = ()) -> PackSigner:
    """Who signed this pack; raises :class:`PackSignatureError` unless the signature is good and trusted."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes

    path = folder / SIGNATURE_FILE
    try:
        if path.is_symlink() or path.stat().st_size > 64 * 1024:
            raise PackSignatureError(_("pack.sig is not a plain file of a sane size."))
        record = json.loads(path.read_text(encoding="utf-8"))
        signature = base64.b64decode(record["signature"], validate=True)
        kind = record["signer"]
    except FileNotFoundError:
        raise PackSignatureError(_("The pack is not signed (pack.sig is missing); it is refused.")) from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PackSignatureError(_("pack.sig is damaged: {error}").format(error=error)) from error
    data = signed_bytes(manifest)
    if kind == "publisher":
        try:
            publisher_key().verify(signature, data)
        except InvalidSignature:
            raise PackSignatureError(_("The pack's publisher signature does not match its content: the pack "
                                       "was changed after it was signed.")) from None
        return PackSigner("publisher", "Complaint Desk", publisher_fingerprint())
    if kind != "site":
        raise PackSignatureError(_("pack.sig names an unknown signer {kind!r}.").format(kind=kind))
    if not allow_site:
        raise PackSignatureError(_("The bundled pack must carry the publisher's signature."))
    try:
        certificate = x509.load_pem_x509_certificate(str(record["certificate"]).encode("ascii"))
    except (KeyError, ValueError) as error:
        raise PackSignatureError(_("pack.sig is damaged: {error}").format(error=error)) from error
    if not any(certificate == root for root in site_roots):
        raise PackSignatureError(_("The pack is signed by {subject}, which is not a CA this site trusts.").format(
            subject=certificate.subject.rfc4514_string()))
    try:
        _verify_with_certificate(certificate, signature, data)
    except InvalidSignature:
        raise PackSignatureError(_("The site CA's signature does not match the pack's content: the pack was "
                                   "changed after it was signed.")) from None
    return PackSigner("site", certificate.subject.rfc4514_string(),
                      certificate.fingerprint(hashes.SHA256()).hex())


def publisher_key() -> ed25519.Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from desktop.law.publisher_key import PUBLISHER_PUBLIC_KEY

    key = serialization.load_pem_public_key(PUBLISHER_PUBLIC_KEY)
    assert isinstance(key, ed25519.Ed25519PublicKey)
    return key


def publisher_fingerprint() -> str:
    """SHA-256 of the publisher's raw public key, hex (shown by ``law validate``)."""
    from cryptography.hazmat.primitives import serialization

    raw = publisher_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _sha256(raw)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verify_with_certificate(certificate: x509.Certificate, signature: bytes, data: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise InvalidSignature


def sign_with_publisher_key(folder: Path, private_key: ed25519.Ed25519PrivateKey) -> Path:
    """Write ``pack.sig`` for ``folder`` with the publisher's private key (packaging only)."""
    manifest = read_manifest_bytes(folder)
    signature = private_key.sign(signed_bytes(manifest))
    return _write_signature(folder, {"format": 1, "signer": "publisher", "algorithm": "ed25519",
                                     "signature": base64.b64encode(signature).decode("ascii")})


def sign_with_site_ca(folder: Path, certificate: x509.Certificate,
                      private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> Path:
    """Write ``pack.sig`` for ``folder`` with the site CA's key (an administrator's site pack)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    manifest = read_manifest_bytes(folder)
    data = signed_bytes(manifest)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        signature, algorithm = private_key.sign(data, ec.ECDSA(hashes.SHA256())), "ecdsa-sha256"
    else:
        signature, algorithm = private_key.sign(data, padding.PKCS1v15(), hashes.SHA256()), "rsa-pkcs1-sha256"
    return _write_signature(folder, {
        "format": 1, "signer": "site", "algorithm": algorithm,
        "signature": base64.b64encode(signature).decode("ascii"),
        "certificate": certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")})


def _write_signature(folder: Path, record: dict[str, Any]) -> Path:
    path = folder / SIGNATURE_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
