"""``complaint-desk audit``: who accessed personal data, account changes, and proof the history was not rewritten."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.cli.user_commands import handle_account_audit
from desktop.formatting import fmt_datetime
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.export_policy import write_access_log_csv
from desktop.services.privacy import AccessEntry, AccessQuery, action_label

PAGE = 1000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "audit", help=_("audit: personal data access, account changes, and proof the history was not rewritten"))
    commands = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    log = commands.add_parser("access-log", help=_("list reveals and exports of personal data"))
    log.add_argument("--from", dest="from_day", type=_day, metavar="YYYY-MM-DD", help=_("first day (Beijing time)"))
    log.add_argument("--to", dest="to_day", type=_day, metavar="YYYY-MM-DD", help=_("last day (Beijing time)"))
    log.add_argument("--user", dest="login", metavar="LOGIN", help=_("only this user's accesses"))
    log.add_argument("--case", dest="number", metavar="NUMBER", help=_("only accesses to this complaint"))
    log.add_argument("--json", action="store_true", help=_("print JSON"))
    log.add_argument("--out", type=Path, metavar="FILE.csv", help=_("write the entries to a CSV file for an audit"))
    log.set_defaults(handler=handle_access_log)

    accounts = commands.add_parser("accounts", help=_("the audit log of account changes (administrators)"))
    accounts.add_argument("--limit", type=int, default=200)
    accounts.add_argument("--json", action="store_true", help=_("print JSON"))
    accounts.set_defaults(handler=handle_account_audit)

    verify = commands.add_parser("verify", help=_("verify the history hash chain and the signed checkpoints"))
    verify.add_argument("--trust", type=Path, metavar="CA.pem",
                        help=_("the site CA certificate checkpoints must come from (default: the CAs this seat "
                               "trusts)"))
    verify.add_argument("--json", action="store_true", help=_("print JSON"))
    verify.set_defaults(handler=handle_verify)

    checkpoint = commands.add_parser("checkpoint", help=_("sign the current end of the history (admins only)"))
    checkpoint.add_argument("--key", type=Path, metavar="FILE.p12",
                            help=_("the audit key (default: the one in the admin's profile)"))
    checkpoint.add_argument("--passphrase-file", type=Path, metavar="FILE",
                            help=_("read the audit key's passphrase from this file"))
    checkpoint.add_argument("--json", action="store_true", help=_("print JSON"))
    checkpoint.set_defaults(handler=handle_checkpoint)

    create = commands.add_parser("create-key", help=_("issue the site audit key from the site CA (admins only)"))
    create.add_argument("--ca-dir", type=Path, metavar="D",
                        help=_("the CA's folder (default: the site CA in the user profile)"))
    create.add_argument("--ca-passphrase-file", type=Path, metavar="FILE",
                        help=_("read the site CA's passphrase from this file"))
    create.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help=_("passphrase for the new audit key, read from this file"))
    create.add_argument("--json", action="store_true", help=_("print JSON"))
    create.set_defaults(handler=handle_create_key)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“{text}” is not a date like 2026-11-28.").format(text=text)) from None


def _entry_text(entry: AccessEntry) -> str:
    where = entry.number or ""
    if entry.field:
        where += f" {entry.field}"
    if entry.details:
        where += " " + json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
    return (f"{fmt_datetime(entry.at)}  {entry.login} ({entry.actor_name})  {entry.host}  "
            f"{action_label(entry.action)}  {where.strip()}  — {entry.reason}")


def handle_access_log(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    query = AccessQuery(from_day=args.from_day, to_day=args.to_day, login=args.login, number=args.number)
    entries: list[AccessEntry] = []
    try:
        while True:
            page = services.privacy.entries(services.actor, query, limit=PAGE, offset=len(entries))
            entries += page
            if len(page) < PAGE:
                break
    except ServiceError as error:
        raise CliError(str(error)) from None
    if args.out:
        try:
            with args.out.open("w", encoding="utf-8-sig", newline="") as handle:
                write_access_log_csv(entries, handle)
        except OSError as error:
            raise CliError(_("Cannot write {path}: {reason}").format(path=args.out, reason=error.strerror)) from None
        sys.stderr.write(_("Wrote {count} entries to {path}.").format(count=len(entries), path=args.out) + "\n")
        return 0
    ctx.emit([e.to_json() for e in entries],
             "\n".join(_entry_text(e) for e in entries) or _("No accesses recorded."))
    return 0


def handle_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.letters.content import LetterError
    from desktop.letters.keys import load_certificates
    from desktop.services.audit import AuditService
    from desktop.services.audit_text import report_text

    roots = None
    if args.trust is not None:
        try:
            roots = load_certificates(args.trust)
        except (LetterError, OSError) as error:
            raise CliError(str(error)) from error
    services = ctx.services()
    if services.engine.dialect.name == "postgresql" and services.actor.role != "admin":
        raise CliError(_("On a shared server only an admin seat sees every team's history; run the check as an "
                         "admin."))

    def progress(done: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done:,}")

    report = AuditService(services.engine, services.sessions).verify(roots=roots, progress=progress)
    if sys.stderr.isatty():
        sys.stderr.write("\r")
    ctx.emit(report.as_dict(), report_text(report))
    return 0 if report.intact else 1


def handle_checkpoint(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.letter_commands import read_passphrase
    from desktop.letters.content import LetterError
    from desktop.services.audit import AuditService
    from desktop.services.errors import ServiceError

    passphrase = read_passphrase(args.passphrase_file)
    services = ctx.services()
    try:
        point = AuditService(services.engine, services.sessions).checkpoint(services.actor, passphrase, args.key)
    except (ServiceError, LetterError) as error:
        raise CliError(str(error)) from error
    ctx.emit(point.as_dict(), _("Checkpoint signed: entry {seq}, hash {digest}.").format(
        seq=point.seq, digest=point.hash))
    return 0


def handle_create_key(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.letter_commands import read_passphrase
    from desktop.letters.audit_key import issue_audit_certificate
    from desktop.letters.content import LetterError
    from desktop.letters.keys import open_site_ca, site_ca_dir

    if ctx.services().actor.role != "admin":
        raise CliError(_("Only an admin can create the audit key."))
    ca_passphrase = read_passphrase(args.ca_passphrase_file)
    key_passphrase = read_passphrase(args.passphrase_file)
    try:
        ca = open_site_ca(args.ca_dir or site_ca_dir(), ca_passphrase)
        path = issue_audit_certificate(ca, key_passphrase)
    except LetterError as error:
        raise CliError(str(error)) from error
    ctx.emit({"path": str(path)}, _("Audit key created: {path}").format(path=path))
    return 0
