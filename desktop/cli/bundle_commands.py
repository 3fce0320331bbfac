"""``complaint-desk bundle``: export cases for offline review, import the decisions made on them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.cli.letter_commands import read_passphrase
from desktop.i18n import _

BUNDLE_PASSPHRASE_ENV = "COMPLAINT_DESK_BUNDLE_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bundle = subparsers.add_parser("bundle", help=_("offline review bundles for supervisors"))
    commands = bundle.add_subparsers(dest="bundle_command", required=True, metavar="SUBCOMMAND")

    export = commands.add_parser("export", help=_("export cases into an encrypted, signed review bundle"))
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--cases", help=_("complaint numbers, separated by commas"))
    which.add_argument("--queue", choices=("approval",), help=_("every case in this queue"))
    which.add_argument("--team", help=_("every open case of this team"))
    export.add_argument("--out", type=Path, required=True, help=_("the bundle file to write (.cdbundle)"))
    export.add_argument("--expires", default="7d", help=_("how long the bundle can be used, e.g. 7d or 12h"))
    export.add_argument("--passphrase-file", type=Path, help=_("bundle passphrase, read from this file"))
    export.add_argument("--identity", help=_("whose signing key signs the bundle (default: you)"))
    export.add_argument("--key-passphrase-file", type=Path,
                        help=_("passphrase of the signing key, read from this file"))
    export.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    export.set_defaults(handler=handle_export)

    importer = commands.add_parser("import", help=_("apply the decisions made in a review bundle"))
    importer.add_argument("path", type=Path, help=_("the bundle file (.cdbundle)"))
    importer.add_argument("--passphrase-file", type=Path, help=_("bundle passphrase, read from this file"))
    importer.add_argument("--apply-anyway", default="",
                          help=_("complaint numbers whose conflicting decisions are applied anyway"))
    importer.add_argument("--check", action="store_true",
                          help=_("change nothing: list what would apply and what conflicts"))
    importer.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)


def bundle_passphrase(path: Path | None, *, confirm: bool) -> str:
    """From the file, else the environment, else a prompt (twice when choosing one)."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            raise CliError(_("Cannot read the passphrase file {path}: {error}").format(
                path=path, error=error)) from None
    elif os.environ.get(BUNDLE_PASSPHRASE_ENV):
        text = os.environ[BUNDLE_PASSPHRASE_ENV]
    elif sys.stdin is not None and sys.stdin.isatty():
        text = getpass.getpass(_("Bundle passphrase: "))
        if confirm and getpass.getpass(_("Repeat the bundle passphrase: ")) != text:
            raise CliError(_("The two passphrases differ."))
    else:
        raise CliError(_("The bundle needs a passphrase: use --passphrase-file or set {env}.").format(
            env=BUNDLE_PASSPHRASE_ENV))
    if not text:
        raise CliError(_("The bundle passphrase is empty."))
    return text


def handle_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.bundle.file import BundleError
    from desktop.letters.content import LetterError
    from desktop.letters.keys import find_identity, load_key_and_chain
    from desktop.services.bundles import BundleService, parse_expiry
    from desktop.services.errors import ServiceError

    services = ctx.services()
    bundles = BundleService(services.sessions, services.complaints, services.actor)
    try:
        expires_in = parse_expiry(args.expires)
        numbers = bundles.select_numbers(
            numbers=[n for n in (args.cases or "").split(",") if n.strip()] or None,
            queue=args.queue, team=args.team)
        signer = args.identity or services.actor.display_name
        identity = find_identity(signer)
        if identity is None:
            raise CliError(_("No signing key for {name}; issue one with “complaint-desk keys issue”.").format(
                name=signer))
        passphrase = bundle_passphrase(args.passphrase_file, confirm=True)
        key, certificate, _chain = load_key_and_chain(identity, read_passphrase(args.key_passphrase_file))
        started = time.perf_counter()
        result = bundles.export(services.actor, numbers, args.out, passphrase=passphrase, expires_in=expires_in,
                                key=key, certificate=certificate, team=args.team)
        seconds = time.perf_counter() - started
    except (ServiceError, BundleError, LetterError) as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(_("Cannot write {path}: {error}").format(path=args.out, error=error.strerror)) from None
    payload = {"bundle_id": result.bundle_id, "path": str(result.path), "cases": result.case_count,
               "size": result.size, "expires_at": result.expires_at.isoformat(), "seconds": round(seconds, 3)}
    ctx.emit(payload, _("Wrote {path}: {count} cases, {size} bytes, usable until {date}.").format(
        path=result.path, count=result.case_count, size=result.size,
        date=result.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")))
    return 0


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.bundle.file import BundleError
    from desktop.letters.keys import site_trust_roots
    from desktop.services.bundles import BundleService, Conflict, describe_decision
    from desktop.services.errors import ServiceError

    services = ctx.services()
    bundles = BundleService(services.sessions, services.complaints, services.actor)
    anyway = {n.strip().upper() for n in args.apply_anyway.split(",") if n.strip()}

    def resolve(conflict: Conflict) -> bool:
        return conflict.decision.number in anyway

    try:
        passphrase = bundle_passphrase(args.passphrase_file, confirm=False)
        bundle = bundles.open_for_import(args.path, passphrase, site_trust_roots())
        result = bundles.apply(services.actor, bundle, resolve, check_only=args.check)
    except (ServiceError, BundleError) as error:
        raise CliError(str(error)) from None
    if result.already_applied:
        ctx.emit({"bundle_id": result.bundle_id, "already_applied": True},
                 _("This review bundle was already applied; nothing changed."))
        return 0
    lines = [_("Check only, nothing changed:")] if args.check else []
    lines += [_("Applied {applied} decisions, {forced} applied anyway, {conflicts} conflicts, "
                "{failed} refused.").format(
        applied=len(result.applied), forced=len(result.forced), conflicts=len(result.conflicts),
        failed=len(result.failed))]
    for conflict in result.conflicts:
        lines.append(_("Conflict on {number}: the case changed since export (version {exported} then, {current} "
                       "now, status {status}).").format(number=conflict.decision.number,
                                                        exported=conflict.decision.version,
                                                        current=conflict.current.version,
                                                        status=conflict.current.status))
        lines.append("  " + _("Central: {changes}").format(changes="; ".join(conflict.changes_since) or "—"))
        lines.append("  " + _("Review: {decision}").format(decision=describe_decision(conflict.decision)))
    for decision, message in result.failed:
        lines.append(_("Refused on {number}: {message}").format(number=decision.number, message=message))
    if result.conflicts and not args.check:
        lines.append(_("Conflicting decisions were not applied and are kept on each case's history."))
    elif result.conflicts:
        lines.append(_("To apply a conflicting decision anyway, import with --apply-anyway and its number."))
    payload = {
        "bundle_id": result.bundle_id, "already_applied": False, "check_only": bool(args.check),
        "applied": [d.to_json() for d in result.applied], "forced": [d.to_json() for d in result.forced],
        "conflicts": [{"decision": c.decision.to_json(), "current": {"version": c.current.version,
                                                                     "status": c.current.status},
                       "changes_since": list(c.changes_since)} for c in result.conflicts],
        "failed": [{"decision": d.to_json(), "error": m} for d, m in result.failed],
    }
    ctx.emit(payload, "\n".join(lines))
    return 1 if (result.conflicts or result.failed) and not args.check else 0
