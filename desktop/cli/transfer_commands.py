"""``complaint-desk import FILE`` and ``complaint-desk export``: CSV or XLSX, Chinese or English headers."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from desktop.cli.context import CliContext, CliError
from desktop.cli.errors import say
from desktop.cli.progress import TerminalProgress
from desktop.domain.exchange import HeaderLanguage
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.export_policy import authorize_export, export_complaints
from desktop.services.import_read import encoding_names
from desktop.services.permissions import case_scope
from desktop.services.transfer import ImportCancelledError, ImportRejectedError, count_complaints, import_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser("import", help=_("import complaints from a CSV or XLSX file (all or nothing)"))
    importer.add_argument("file", type=Path)
    importer.add_argument("--encoding", metavar="NAME", choices=encoding_names(),
                          help=_("encoding of a CSV file (default: detected and reported)"))
    importer.add_argument("--format", choices=("csv", "xlsx"), help=_("default: from the file"))
    importer.add_argument("--json", action="store_true", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)

    exporter = subparsers.add_parser("export", help=_("export complaints"))
    exporter.add_argument("--format", choices=("csv", "xlsx"), default=None,
                          help=_("default: from the file name, else csv"))
    exporter.add_argument("--headers", choices=[h.value for h in HeaderLanguage], default=HeaderLanguage.ZH.value,
                          help=_("zh: the labels the desk shows (default); en: codes, for other systems"))
    exporter.add_argument("--out", type=Path, help=_("file to write (default: standard output)"))
    exporter.add_argument("--reason", help=_("why the export is needed (required; kept in the access log)"))
    exporter.add_argument("--unmasked", action="store_true",
                          help=_("export phone and ID numbers in full (supervisors; recorded as such)"))
    exporter.set_defaults(handler=handle_export)


class _Interrupt:
    """Ctrl+C during an import: a request to stop, honoured between batches until publishing starts.

    (A KeyboardInterrupt in the middle of a batch would only be rolled back or rolled forward at the
    next open; asking between batches ends the import cleanly and says which it was.)
    """

    def __init__(self) -> None:
        self.requested = False
        self.publishing = False
        self._previous: Any = None

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, _signum: int, _frame: object) -> None:
        self.requested = True
        if self.publishing:
            say(_("The import is being published and will be completed; it can no longer be cancelled."))

    def should_stop(self) -> bool:
        return self.requested


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.file.is_file():
        raise CliError(_("No such file: {path}").format(path=args.file))
    services = ctx.services()
    progress = TerminalProgress(_("Importing"))

    def report(stage: str, done: int, total: int) -> None:
        interrupt.publishing = interrupt.publishing or stage == "publish"
        progress.update(stage, done, total)

    try:
        with _Interrupt() as interrupt:
            summary = import_file(services.sessions, services.complaints, services.actor, args.file,
                                  encoding=args.encoding, fmt=args.format, progress=report,
                                  should_stop=interrupt.should_stop)
    except ImportCancelledError as error:
        progress.finish()
        raise CliError(str(error)) from None
    except ImportRejectedError as error:
        progress.finish()
        for problem in error.errors:
            say(f"{args.file}: {problem}")
        if error.total > len(error.errors):
            say(f"{args.file}: " + _("… and {count} more.").format(count=error.total - len(error.errors)))
        raise CliError(str(error)) from None
    progress.finish()
    ctx.emit(summary.to_json(), _("Imported {count} complaints ({format}, {encoding}).").format(
        count=len(summary.numbers), format=summary.format.upper(), encoding=summary.encoding) + " " + _(
        "{transactions} write transactions; the longest held the database for {ms} ms.").format(
        transactions=summary.transactions, ms=round(summary.longest_write * 1000)))
    return 0


def handle_export(args: argparse.Namespace, ctx: CliContext) -> int:
    fmt = args.format or ("xlsx" if args.out and args.out.suffix.lower() == ".xlsx" else "csv")
    if args.out is not None:
        if args.out.is_dir():
            raise CliError(_("{path} is a folder; give a file name, e.g. {path}/complaints.{ext}").format(
                path=args.out, ext=fmt))
        if not args.out.parent.is_dir():
            raise CliError(_("The folder {path} does not exist.").format(path=args.out.parent))
    elif fmt == "xlsx":
        raise CliError(_("An XLSX export needs --out FILE."))
    services = ctx.services()
    try:  # checked before a file is created
        authorize_export(services.actor, args.reason, args.unmasked)
    except ServiceError as error:
        raise CliError(str(error)) from None
    total = count_complaints(services.sessions, case_scope(services.actor))
    progress = TerminalProgress(_("Exporting"))
    target = args.out.with_name(args.out.name + ".partial") if args.out else sys.stdout
    try:
        written = export_complaints(services.sessions, services.privacy, services.actor, target, fmt=fmt,
                                    headers=HeaderLanguage(args.headers), reason=args.reason,
                                    unmasked=args.unmasked, progress=lambda n: progress.update("export", n, total))
    except OSError as error:
        if isinstance(target, Path):
            target.unlink(missing_ok=True)
        raise CliError(_("Cannot write {path}: {reason}").format(path=args.out, reason=error.strerror)) from None
    progress.finish()
    if isinstance(target, Path):
        target.replace(args.out)
        sys.stderr.write(_("Exported {count} complaints to {path}.").format(count=written, path=args.out) + "\n")
    return 0
