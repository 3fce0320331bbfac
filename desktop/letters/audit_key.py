"""The site audit key: a certificate from the site CA that signs history checkpoints.

Kept in the admin's profile as ``keys/audit/audit.p12`` (passphrase-protected) with
``audit.pem`` beside it. Its subject carries :data:`AUDIT_UNIT` so that an agent's
letter-signing certificate from the same CA can never pass for it.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from desktop.i18n import _
from desktop.letters.content import LetterError
from desktop.letters.keys import (
    PrivateKey,
    SiteCA,
    _load_pkcs12,
    _pkcs12,
    check_new_passphrase,
    keys_dir,
    leaf_certificate_builder,
    site_trust_roots,
)
from desktop.private_files import write_private

AUDIT_UNIT = "Complaint Desk 审计 audit"
AUDIT_VALIDITY_DAYS = 3650


def audit_dir() -> Path:
    return keys_dir() / "audit"


def audit_key_path() -> Path:
    return audit_dir() / "audit.p12"


def issue_audit_certificate(ca: SiteCA, passphrase: bytes, directory: Path | None = None) -> Path:
    """Create the audit key and its certificate (ECDSA P-256) signed by the site CA; returns the .p12."""
    check_new_passphrase(passphrase)
    target = (directory or audit_dir()) / "audit.p12"
    if target.exists():
        raise LetterError(_("An audit key already exists in {path}.").format(path=target.parent))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ca.name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, AUDIT_UNIT),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{ca.name} audit"),
    ])
    certificate = leaf_certificate_builder(ca, subject, key, AUDIT_VALIDITY_DAYS).sign(ca.private_key,
                                                                                       hashes.SHA256())
    # The same private folder and 0600 files as every other key (write_private creates both).
    write_private(target, _pkcs12(f"{ca.name} audit", key, certificate, [ca.certificate], passphrase))
    write_private(target.with_suffix(".pem"), certificate.public_bytes(serialization.Encoding.PEM))
    return target


def open_audit_key(path: Path, passphrase: bytes) -> tuple[PrivateKey, x509.Certificate]:
    if not path.is_file():
        raise LetterError(_("There is no audit key at {path}; an admin creates it with "
                            "“complaint-desk audit create-key”.").format(path=path))
    key, certificate, _chain = _load_pkcs12(path, passphrase)
    if not is_audit_certificate(certificate):
        raise LetterError(_("{path} is not an audit key.").format(path=path))
    return key, certificate


def is_audit_certificate(certificate: x509.Certificate) -> bool:
    units = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return any(unit.value == AUDIT_UNIT for unit in units)


def sign(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def signature_valid(certificate: x509.Certificate, data: bytes, signature: bytes) -> bool:
    public = certificate.public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def issued_by_site(certificate: x509.Certificate, roots: list[x509.Certificate] | None = None) -> bool | None:
    """True when a trusted site CA issued it; None when this seat trusts no CA at all (cannot tell)."""
    candidates = site_trust_roots() if roots is None else roots
    if not candidates:
        return None
    for root in candidates:
        try:
            certificate.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return True
    return False
