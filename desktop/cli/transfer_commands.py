"""``complaint-desk import FILE.csv`` and ``complaint-desk export --format csv``."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _
from desktop.services.transfer import EXPORT_FIELDS, ImportRejectedError, export_rows, import_csv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = subparsers.add_parser("import", help=_("import complaints from a CSV file (all or nothing)"))
    importer.add_argument("file", type=Path)
    importer.add_argument("--json", action="store_true", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)

    exporter = subparsers.add_parser("export", help=_("export complaints"))
    exporter.add_argument("--format", choices=("csv",), default="csv")
    exporter.add_argument("--out", type=Path, help=_("file to write (default: standard output)"))
    exporter.set_defaults(handler=handle_export)


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.file.is_file():
        raise CliError(_("No such file: {path}").format(path=args.file))
    services = ctx.services()
    try:
        numbers = import_csv(services.complaints, services.actor, args.file)
    except ImportRejectedError as error:
        for problem in error.errors:
            sys.stderr.write(f"{args.file}: {problem}\n")
        raise CliError(str(error)) from None
    ctx.emit({"imported": len(numbers), "numbers": numbers},
             _("Imported {count} complaints.").format(count=len(numbers)))
    return 0


def handle_export(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    pages = services.complaints.export_pages(services.actor)  # refused here, before a file is created
    # utf-8-sig so that Excel on a Chinese PC opens the file without mojibake.
    handle = args.out.open("w", encoding="utf-8-sig", newline="") if args.out else sys.stdout
    try:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_FIELDS)
        for rows in pages:
            writer.writerows(export_rows(rows))
    finally:
        if args.out:
            handle.close()
    return 0
