"""``complaint-desk calendar import|years|recompute``."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.domain.deadlines import CalendarError
from desktop.i18n import _
from desktop.services.errors import ServiceError

CALENDAR_MAX_BYTES = 256 * 1024  # a year's schedule is about 2 KB


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("calendar", help=_("holiday calendars (official schedules)"))
    commands = parser.add_subparsers(dest="calendar_command", required=True, metavar="ACTION")
    importer = commands.add_parser(
        "import", help=_("import a newly published year and recompute deadlines (administrators)"))
    importer.add_argument("file", type=Path)
    importer.add_argument("--json", action="store_true", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)
    recompute = commands.add_parser(
        "recompute", help=_("recompute the stored deadlines of open complaints now, e.g. to finish an "
                            "interrupted recompute (administrators)"))
    recompute.add_argument("--json", action="store_true", help=_("print JSON"))
    recompute.set_defaults(handler=handle_recompute)
    years = commands.add_parser("years", help=_("which years have a confirmed official schedule"))
    years.add_argument("--json", action="store_true", help=_("print JSON"))
    years.set_defaults(handler=handle_years)


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.files import read_json

    document = read_json(args.file, CALENDAR_MAX_BYTES)
    if not isinstance(document, dict):
        raise CliError(_("The calendar file must contain a JSON object."))
    services = ctx.services()
    try:
        year = services.calendar.import_year(services.actor, document)
    except (CalendarError, ServiceError) as error:
        raise CliError(str(error)) from None
    services.reload_clock()
    changed = services.complaints.recompute_deadlines(services.actor)
    ctx.emit({"year": year.year, "recomputed": changed},
             _("Imported the {year} schedule; {count} open complaint deadline(s) changed.").format(
                 year=year.year, count=changed))
    return 0


def handle_recompute(args: argparse.Namespace, ctx: CliContext) -> int:
    """Moves what the current periods and calendar say differs; nothing when everything is current."""
    services = ctx.services()
    changed = services.complaints.recompute_deadlines(services.actor)
    ctx.emit({"recomputed": changed}, _("{count} open complaint deadline(s) changed.").format(count=changed))
    return 0


def handle_years(args: argparse.Namespace, ctx: CliContext) -> int:
    calendar = ctx.services().complaints.calendar
    years = sorted(calendar.official_years)
    ctx.emit({"official_years": years}, _("Official schedules: {years}").format(years=", ".join(map(str, years))))
    return 0
