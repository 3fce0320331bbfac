"""``complaint-desk keys …``: the site CA, agent certificates and trusted CAs, all offline.

Passphrases never appear on the command line: they come from a file, from
``COMPLAINT_DESK_KEY_PASSPHRASE`` or from a terminal prompt (see ``read_passphrase``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli.context import CliContext, CliError
from desktop.cli.letter_commands import PASSPHRASE_ENV, read_passphrase
from desktop.i18n import _

if TYPE_CHECKING:
    from cryptography import x509

    from desktop.letters.keys import SigningIdentity


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = subparsers.add_parser("keys", help=_("signing certificates: site CA, agent certificates, trust"))
    commands = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")

    create = commands.add_parser("create-ca", help=_("create the site CA (administrators only)"))
    create.add_argument("--name", required=True, help=_("the site's name, as it appears on certificates"))
    create.add_argument("--dir", type=Path, metavar="D",
                        help=_("create the CA in this folder instead of the user profile"))
    _add_ca_passphrase(create)
    _add_json(create)
    create.set_defaults(handler=handle_create_ca)

    issue = commands.add_parser("issue", help=_("issue an agent certificate from the site CA (administrators only)"))
    issue.add_argument("agent", metavar="AGENT_NAME", help=_("the agent's name, as it appears on letters"))
    issue.add_argument("--rsa", action="store_true", help=_("an RSA 2048 key instead of ECDSA P-256"))
    issue.add_argument("--ca-dir", type=Path, metavar="D",
                       help=_("the CA's folder (default: the site CA in the user profile)"))
    issue.add_argument("--out", type=Path, metavar="D",
                       help=_("write the .p12 to this folder (to hand to another computer)"))
    _add_ca_passphrase(issue)
    _add_key_passphrase(issue, _("passphrase for the new agent key, read from this file"))
    _add_json(issue)
    issue.set_defaults(handler=handle_issue)

    importer = commands.add_parser("import", help=_("import an agent .p12 issued by the site's own CA"))
    importer.add_argument("file", type=Path, metavar="FILE.p12", help=_("the PKCS#12 file"))
    _add_key_passphrase(importer, _("passphrase of the .p12, read from this file"))
    _add_json(importer)
    importer.set_defaults(handler=handle_import)

    trust = commands.add_parser("trust", help=_("trust a CA certificate when verifying letters (administrators only)"))
    trust.add_argument("file", type=Path, metavar="CA.pem", help=_("the CA certificate (PEM or DER)"))
    _add_json(trust)
    trust.set_defaults(handler=handle_trust)

    log = commands.add_parser("log", help=_("show the audit of key, trust and law-pack changes (administrators)"))
    log.add_argument("--limit", type=int, default=50, help=_("maximum number of results"))
    _add_json(log)
    log.set_defaults(handler=handle_log)

    lister = commands.add_parser("list", help=_("list signing identities and trusted CAs"))
    _add_json(lister)
    lister.set_defaults(handler=handle_list)


def _add_ca_passphrase(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ca-passphrase-file", type=Path, metavar="FILE",
                        help=_("read the site CA's passphrase from this file"))


def _add_key_passphrase(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--passphrase-file", type=Path, metavar="FILE", help=help_text)


def _add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))


def _ca_passphrase(args: argparse.Namespace) -> bytes:
    try:
        return read_passphrase(args.ca_passphrase_file)
    except CliError as error:
        if args.ca_passphrase_file is not None:
            raise
        raise CliError(_("The site CA needs its passphrase: use --ca-passphrase-file or set {env}.").format(
            env=PASSPHRASE_ENV)) from error


def _require_admin(ctx: CliContext) -> None:
    """Refuse before asking for any passphrase when the acting user may not manage keys."""
    from desktop.services.errors import ServiceError
    from desktop.services.permissions import require

    try:
        require(ctx.services().actor, "keys.manage")
    except ServiceError as error:
        raise CliError(str(error)) from error


def handle_create_ca(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import ServiceError

    _require_admin(ctx)
    name = args.name.strip()
    if not name:
        raise CliError(_("The site CA needs the site's name."))
    passphrase = _ca_passphrase(args)
    services = ctx.services()
    try:
        ca, retired = services.keys.create_site_ca(services.actor, name, passphrase, args.dir)
    except ServiceError as error:
        raise CliError(str(error)) from error
    payload = {"name": ca.name, "directory": str(ca.directory), "demo": ca.is_demo,
               "fingerprint": _fingerprint(ca.certificate),
               "expires": ca.certificate.not_valid_after_utc.date().isoformat(),
               "retired_demo": str(retired) if retired else None}
    text = _("Created the site CA {name} in {path}.").format(name=ca.name, path=ca.directory)
    if retired is not None:
        text += "\n" + _("The demo identity was retired to {path}.").format(path=retired)
    ctx.emit(payload, text)
    return 0


def handle_issue(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.letters.keys import site_ca_dir
    from desktop.services.errors import ServiceError

    _require_admin(ctx)
    ca_dir = args.ca_dir or site_ca_dir()
    if not (ca_dir / "ca.p12").is_file():
        raise CliError(_("There is no site CA in {path}; create it first with “keys create-ca”.").format(
            path=ca_dir))
    ca_passphrase = _ca_passphrase(args)
    key_passphrase = read_passphrase(args.passphrase_file)
    services = ctx.services()
    try:
        identity = services.keys.issue(services.actor, args.agent, ca_passphrase, key_passphrase,
                                       key_type="rsa" if args.rsa else "ec", ca_dir=ca_dir, out=args.out)
    except ServiceError as error:
        raise CliError(str(error)) from error
    ctx.emit(identity_json(identity), _("Issued a certificate for {agent}: {path}").format(
        agent=identity.agent_name, path=identity.path))
    return 0


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import ServiceError

    if not args.file.is_file():
        raise CliError(_("Cannot read {path}: the file does not exist.").format(path=args.file))
    passphrase = read_passphrase(args.passphrase_file)
    services = ctx.services()
    try:
        identity = services.keys.import_pkcs12(services.actor, args.file, passphrase)
    except ServiceError as error:
        raise CliError(str(error)) from error
    ctx.emit(identity_json(identity), _("Imported the certificate of {agent} (issued by {issuer}).").format(
        agent=identity.agent_name, issuer=identity.issuer))
    return 0


def handle_trust(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import ServiceError

    if not args.file.is_file():
        raise CliError(_("Cannot read {path}: the file does not exist.").format(path=args.file))
    services = ctx.services()
    try:
        certificate = services.keys.trust_ca(services.actor, args.file)
    except ServiceError as error:
        raise CliError(str(error)) from error
    payload = certificate_json(certificate)
    ctx.emit(payload, _("Letters signed under {subject} are now trusted.").format(subject=payload["subject"]))
    return 0


def handle_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.letters.keys import list_identities, site_ca_certificate, site_trust_roots

    identities = [identity_json(identity) for identity in list_identities()]
    site_ca = site_ca_certificate()
    roots = [certificate_json(root) for root in site_trust_roots()]
    payload = {"identities": identities, "site_ca": certificate_json(site_ca) if site_ca else None,
               "trust_roots": roots}
    ctx.emit(payload, _list_text(identities, roots))
    return 0


def _list_text(identities: list[dict[str, Any]], roots: list[dict[str, Any]]) -> str:
    lines = [_("Signing identities:")] if identities else [_("No signing identity yet.")]
    for item in identities:
        kind = _("DEMO, not legally valid") if item["demo"] else _("site certificate")
        lines.append(_("  {agent} — {kind}; issued by {issuer}; expires {expires}; SHA-256 {fingerprint}").format(
            agent=item["agent"], kind=kind, issuer=item["issuer"], expires=item["expires"],
            fingerprint=item["fingerprint"][:16]))
    lines.append(_("Trusted CAs:") if roots else _("No trusted CA yet."))
    lines += [f"  {root['subject']} ({root['fingerprint'][:16]})" for root in roots]
    return "\n".join(lines)


def identity_json(identity: SigningIdentity) -> dict[str, Any]:
    certificate = identity.certificate()
    return {"agent": identity.agent_name, "subject": identity.subject, "issuer": identity.issuer,
            "demo": identity.is_demo, "fingerprint": identity.fingerprint, "path": str(identity.path),
            "expires": certificate.not_valid_after_utc.date().isoformat()}


def certificate_json(certificate: x509.Certificate) -> dict[str, Any]:
    from desktop.letters.keys import is_demo_certificate

    return {"subject": certificate.subject.rfc4514_string(), "demo": is_demo_certificate(certificate),
            "fingerprint": _fingerprint(certificate),
            "expires": certificate.not_valid_after_utc.date().isoformat()}


def _fingerprint(certificate: x509.Certificate) -> str:
    from cryptography.hazmat.primitives import hashes

    return certificate.fingerprint(hashes.SHA256()).hex()


def handle_log(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import ServiceError

    services = ctx.services()
    try:
        events = services.keys.events(services.actor, max(1, args.limit))
    except ServiceError as error:
        raise CliError(str(error)) from error
    payload = [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "subject": e.subject,
                "fingerprint": e.fingerprint, "detail": e.detail} for e in events]
    lines = [f"{e.at:%Y-%m-%d %H:%M} {e.actor} {e.action} {e.subject}" for e in events]
    ctx.emit(payload, "\n".join(lines) or _("No key changes recorded yet."))
    return 0
