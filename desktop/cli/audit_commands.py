"""``complaint-desk audit access-log``: who revealed or exported personal data (admins only)."""

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
    parser = subparsers.add_parser("audit", help=_("audit records: personal data access, account changes"))
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
