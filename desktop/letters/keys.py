"""Offline key management for a site: a site CA, agent certificates, imports.

Layout below ``user_data_dir()/keys``::

    site-ca/ca.p12  ca.pem       the site CA (key encrypted with the CA passphrase)
    agents/<slug>.p12 <slug>.pem an agent's key + certificate chain, and its certificate alone
    trust/*.pem                  extra CA certificates a site imported (its own CA)

The ``.pem`` beside each ``.p12`` lets the app show who an identity is without
asking for the passphrase. Uses the ``cryptography`` package only; pyHanko is
not needed to create or read keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from desktop.i18n import _
from desktop.letters.content import LetterError
from desktop.paths import user_data_dir
from desktop.private_files import make_private_dir, write_private

KeyType = Literal["ec", "rsa"]
PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

DEMO_LABEL = "演示证书 DEMO – not for production"
DEMO_SITE_NAME = "Complaint Desk 演示站点 DEMO"
CA_VALIDITY_DAYS = 3650
MIN_PASSPHRASE_CHARS = 10
MAX_KEY_FILE_BYTES = 1_000_000
AGENT_VALIDITY_DAYS = 1095


class WrongPassphraseError(LetterError):
    """The passphrase does not open the key file."""


class WeakPassphraseError(LetterError):
    """A new key's passphrase is too short or too simple."""


class UntrustedCertificateError(LetterError):
    """An imported certificate does not chain to a CA the site already trusts."""


@dataclass(frozen=True)
class SigningIdentity:
    """An agent's signing key on disk; the passphrase is asked for only when signing."""

    path: Path  # the .p12
    subject: str
    is_demo: bool
    fingerprint: str  # SHA-256 of the certificate, hex
    agent_name: str
    issuer: str

    @property
    def certificate_path(self) -> Path:
        return self.path.with_suffix(".pem")

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_path.read_bytes())


@dataclass(frozen=True)
class SiteCA:
    certificate: x509.Certificate
    private_key: PrivateKey
    directory: Path

    @property
    def is_demo(self) -> bool:
        return _is_demo(self.certificate)

    @property
    def name(self) -> str:
        return _attribute(self.certificate.subject, NameOID.ORGANIZATION_NAME)


def keys_dir() -> Path:
    """The profile's key folder, private to the OS user (0700), as is every folder below it."""
    return make_private_dir(user_data_dir() / "keys")


def site_ca_dir() -> Path:
    return keys_dir() / "site-ca"


def agents_dir() -> Path:
    return keys_dir() / "agents"


def trust_dir() -> Path:
    return keys_dir() / "trust"


def create_site_ca(directory: Path, name: str, passphrase: bytes, demo: bool = False) -> SiteCA:
    """Create a self-signed site CA (ECDSA P-256) and store it encrypted in ``directory``."""
    check_new_passphrase(passphrase)
    if (directory / "ca.p12").exists():
        raise LetterError(_("A site CA already exists in {path}.").format(path=directory))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name=f"{name} CA", organisation=name, demo=demo)
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=CA_VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(directory / "ca.p12", _pkcs12(f"{name} CA", key, certificate, [], passphrase))
    write_private(directory / "ca.pem", certificate.public_bytes(serialization.Encoding.PEM))
    return SiteCA(certificate=certificate, private_key=key, directory=directory)


def open_site_ca(directory: Path, passphrase: bytes) -> SiteCA:
    key, certificate, _chain = _load_pkcs12(directory / "ca.p12", passphrase)
    return SiteCA(certificate=certificate, private_key=key, directory=directory)


def leaf_certificate_builder(ca: SiteCA, subject: x509.Name, key: PrivateKey,
                             validity_days: int) -> x509.CertificateBuilder:
    """A certificate for ``key`` issued by ``ca`` that may sign but not issue (agents, the audit key)."""
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=validity_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
    )


def issue_agent_certificate(
    ca: SiteCA,
    agent_name: str,
    passphrase: bytes,
    key_type: KeyType = "ec",
    directory: Path | None = None,
) -> SigningIdentity:
    """Issue an agent certificate from ``ca``; the key is saved as a passphrase-protected .p12."""
    check_new_passphrase(passphrase)
    if not agent_name.strip():
        raise LetterError(_("An agent certificate needs the agent's name."))
    key: PrivateKey
    if key_type == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        raise LetterError(_("Unknown key type {kind}; use ec or rsa.").format(kind=key_type))
    demo = ca.is_demo
    subject = _name(common_name=agent_name, organisation=ca.name, demo=demo)
    ca_key_id = x509.SubjectKeyIdentifier.from_public_key(ca.certificate.public_key())
    certificate = (
        leaf_certificate_builder(ca, subject, key, AGENT_VALIDITY_DAYS)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id),
            critical=False,
        )
        .sign(ca.private_key, hashes.SHA256())
    )
    target = directory or agents_dir()
    path = _free_path(target, _slug(agent_name))
    write_private(path, _pkcs12(agent_name, key, certificate, [ca.certificate], passphrase))
    write_private(path.with_suffix(".pem"), certificate.public_bytes(serialization.Encoding.PEM))
    return identity_from_certificate(path, certificate)


def import_pkcs12(path: Path, passphrase: bytes) -> SigningIdentity:
    """Copy an agent's .p12 into the profile, only if its certificate chains to a CA already trusted.

    The CA certificates inside the file are never trusted: anyone can make a .p12 with their
    own "CA" in it. Trusting a CA is a separate, admin-only step (:func:`import_trust_root`).
    """
    data = _read_key_file(path)
    _key, certificate, _chain = _load_pkcs12_bytes(path, data, passphrase)
    issuer = trusted_issuer(certificate)
    if issuer is None:
        raise UntrustedCertificateError(
            _("The certificate of {agent} in {path} was not issued by a CA this site trusts, so it was "
              "not imported. An administrator must first trust the site's CA (keys trust).").format(
                agent=_attribute(certificate.subject, NameOID.COMMON_NAME) or "?", path=path))
    target = _free_path(agents_dir(), _slug(_attribute(certificate.subject, NameOID.COMMON_NAME)))
    write_private(target, data)
    write_private(target.with_suffix(".pem"), certificate.public_bytes(serialization.Encoding.PEM))
    return identity_from_certificate(target, certificate)


def trusted_issuer(certificate: x509.Certificate) -> x509.Certificate | None:
    """The trusted site CA that signed ``certificate`` (an end-entity certificate, valid now), or None."""
    now = _now()
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        return None
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is not None and constraints.ca:
        return None
    for root in site_trust_roots():
        if root.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return root
    return None


def import_trust_root(pem_path: Path) -> x509.Certificate:
    """Trust a CA certificate (PEM or DER) when verifying letters."""
    data = pem_path.read_bytes()
    try:
        certificate = (
            x509.load_pem_x509_certificate(data)
            if b"-----BEGIN" in data
            else x509.load_der_x509_certificate(data)
        )
    except ValueError as error:
        raise LetterError(
            _("{path} is not a certificate: {error}").format(path=pem_path, error=error)
        ) from error
    _store_trust_root(certificate)
    return certificate


def site_trust_roots() -> list[x509.Certificate]:
    """The site CA and every imported CA certificate: what a letter may chain to."""
    files = [site_ca_dir() / "ca.pem", *sorted(trust_dir().glob("*.pem"))]
    return [x509.load_pem_x509_certificate(f.read_bytes()) for f in files if f.is_file()]


def load_certificates(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise LetterError(
            _("{path} is not a certificate: {error}").format(path=path, error=error)
        ) from error


def list_identities() -> list[SigningIdentity]:
    folder = agents_dir()
    return (
        [
            identity_from_file(p)
            for p in sorted(folder.glob("*.p12"))
            if p.with_suffix(".pem").is_file()
        ]
        if folder.is_dir()
        else []
    )


def find_identity(agent_name: str) -> SigningIdentity | None:
    """The agent's identity; a real one wins over a demo one left from before the site had its own."""
    matches = [identity for identity in list_identities() if identity.agent_name == agent_name]
    real = [identity for identity in matches if not identity.is_demo]
    chosen = real or matches
    return chosen[0] if chosen else None


def site_ca_certificate() -> x509.Certificate | None:
    """The site CA's certificate, read without its passphrase (None before any CA exists)."""
    pem = site_ca_dir() / "ca.pem"
    return x509.load_pem_x509_certificate(pem.read_bytes()) if pem.is_file() else None


def retire_demo_keys() -> Path | None:
    """Move a demo site CA and every demo agent identity out of use, into ``keys/retired/``.

    A real site CA takes the demo's place; the files are kept (not deleted) so letters
    signed while trying the app can still be inspected. None when there was nothing to retire.
    """
    ca_certificate = site_ca_certificate()
    demo_ca = ca_certificate is not None and _is_demo(ca_certificate)
    demo_agents = [identity for identity in list_identities() if identity.is_demo]
    if not demo_ca and not demo_agents:
        return None
    target = keys_dir() / "retired" / f"demo-{_now():%Y%m%d-%H%M%S}"
    (target / "agents").mkdir(parents=True, exist_ok=True)
    if demo_ca:
        shutil.move(str(site_ca_dir()), str(target / "site-ca"))
    for identity in demo_agents:
        for path in (identity.path, identity.certificate_path):
            shutil.move(str(path), str(target / "agents" / path.name))
    return target


def missing_certificate_problem(agent_name: str) -> str | None:
    """Why ``agent_name`` cannot sign yet, or None when signing can go ahead (with a demo identity if need be).

    Once the site has its own CA, certificates come from a supervisor, never silently.
    """
    if find_identity(agent_name) is not None:
        return None
    ca_certificate = site_ca_certificate()
    if ca_certificate is None or _is_demo(ca_certificate):
        return None
    return _("There is no signing certificate for {name} yet. Ask a supervisor to issue one "
             "(File › Signing certificates…), or import your own .p12 there.").format(name=agent_name)


def ensure_demo_identity(agent_name: str, passphrase: bytes) -> SigningIdentity:
    """The agent's identity; on a profile with none, a demo site CA and a demo certificate.

    Lets a new user try signing at once. Both certificates carry :data:`DEMO_LABEL`
    and the letter's seal says 演示身份; a real site replaces them in settings.
    """
    existing = find_identity(agent_name)
    if existing is not None:
        return existing
    problem = missing_certificate_problem(agent_name)
    if problem is not None:
        raise LetterError(problem)
    ca_dir = site_ca_dir()
    if (ca_dir / "ca.p12").exists():
        ca = open_site_ca(ca_dir, passphrase)
    else:
        ca = create_site_ca(ca_dir, DEMO_SITE_NAME, passphrase, demo=True)
    return issue_agent_certificate(ca, agent_name, passphrase)


def load_key_and_chain(
    identity: SigningIdentity, passphrase: bytes
) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    return _load_pkcs12(identity.path, passphrase)


def identity_from_file(path: Path) -> SigningIdentity:
    pem = path.with_suffix(".pem")
    return identity_from_certificate(path, x509.load_pem_x509_certificate(pem.read_bytes()))


def identity_from_certificate(path: Path, certificate: x509.Certificate) -> SigningIdentity:
    return SigningIdentity(
        path=path,
        subject=certificate.subject.rfc4514_string(),
        is_demo=_is_demo(certificate),
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        agent_name=_attribute(certificate.subject, NameOID.COMMON_NAME),
        issuer=_attribute(certificate.issuer, NameOID.ORGANIZATION_NAME)
        or _attribute(certificate.issuer, NameOID.COMMON_NAME),
    )


def is_demo_certificate(certificate: x509.Certificate) -> bool:
    return _is_demo(certificate)


def _read_key_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise LetterError(_("{path} is too large to be a key file.").format(path=path))
        return path.read_bytes()
    except OSError as error:
        raise LetterError(
            _("The key file {path} cannot be read: {error}").format(path=path, error=error)
        ) from error


def _load_pkcs12(
    path: Path, passphrase: bytes
) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    return _load_pkcs12_bytes(path, _read_key_file(path), passphrase)


def _load_pkcs12_bytes(
    path: Path, data: bytes, passphrase: bytes
) -> tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]:
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as error:
        raise WrongPassphraseError(
            _("The passphrase for the key file {path} is wrong (or the file is damaged).").format(
                path=path
            )
        ) from error
    if certificate is None or not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise LetterError(
            _("{path} must hold one ECDSA or RSA key with its certificate.").format(path=path)
        )
    return key, certificate, list(chain)


def _store_trust_root(certificate: x509.Certificate) -> None:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        constraints = None
    if constraints is None or not constraints.ca:
        raise LetterError(_("This certificate is not a CA certificate; only a CA can be trusted."))
    digest = certificate.fingerprint(hashes.SHA256()).hex()[:16]
    write_private(make_private_dir(trust_dir()) / f"{digest}.pem",
                  certificate.public_bytes(serialization.Encoding.PEM))


def _pkcs12(
    name: str,
    key: PrivateKey,
    certificate: x509.Certificate,
    chain: list[x509.Certificate],
    passphrase: bytes,
) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"),
        key,
        certificate,
        chain or None,
        serialization.BestAvailableEncryption(passphrase),
    )


def _name(*, common_name: str, organisation: str, demo: bool) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if demo:
        attributes.insert(2, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_LABEL))
    return x509.Name(attributes)


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _is_demo(certificate: x509.Certificate) -> bool:
    return _attribute(certificate.subject, NameOID.ORGANIZATIONAL_UNIT_NAME) == DEMO_LABEL


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def passphrase_problem(passphrase: bytes) -> str | None:
    """Why ``passphrase`` is too weak for a new key, or None when it will do.

    At least :data:`MIN_PASSPHRASE_CHARS` characters, and not all of one kind (only
    lower-case letters, only digits, …): Chinese characters and punctuation count as kinds too.
    """
    try:
        text = passphrase.decode("utf-8")
    except UnicodeDecodeError:
        text = passphrase.decode("latin-1")
    if len(text) < MIN_PASSPHRASE_CHARS:
        return _("A new key's passphrase needs at least {count} characters; this one has {length}.").format(
            count=MIN_PASSPHRASE_CHARS, length=len(text))
    if len({_character_class(c) for c in text}) < 2:
        return _("A new key's passphrase must mix kinds of characters (for example letters and digits), "
                 "not only one kind.")
    return None


def check_new_passphrase(passphrase: bytes) -> None:
    problem = passphrase_problem(passphrase)
    if problem is not None:
        raise WeakPassphraseError(problem)


def _character_class(character: str) -> str:
    if character.isdigit():
        return "digit"
    if character.isascii() and character.isalpha():
        return "upper" if character.isupper() else "lower"
    if character.isalpha():
        return "letter-" + unicodedata.category(character)  # e.g. Chinese (Lo)
    return "other"


def _slug(name: str) -> str:
    # Non-ASCII names (Chinese) stay readable on disk; a hash keeps two similar names apart.
    cleaned = re.sub(r"[^\w-]+", "_", name, flags=re.UNICODE).strip("_")[:40] or "agent"
    return f"{cleaned}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def _free_path(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.p12"
    counter = 2
    while path.exists():
        path = folder / f"{stem}-{counter}.p12"
        counter += 1
    return path


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
