"""``complaint-desk deadline``: compute a statutory deadline without touching any case."""

from __future__ import annotations

import argparse

from desktop.cli.context import CliContext, CliError
from desktop.domain.deadlines import DEFAULT_RULES, WorkCalendar, build_rules, compute_deadline
from desktop.domain.intake import parse_received_at
from desktop.domain.validation import FieldError
from desktop.formatting import fmt_beijing
from desktop.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("deadline", help=_("compute a deadline with its legal basis and trace"))
    parser.add_argument("--received", required=True, metavar="ISO8601",
                        help=_("when the complaint was received (no zone = Beijing time)"))
    parser.add_argument("--rule", default="reply", choices=sorted(DEFAULT_RULES), help=_("which clock"))
    parser.add_argument("--store", action="store_true",
                        help=_("use the site's rule amounts and imported calendars from the database"))
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        received = parse_received_at(args.received, "received")
    except FieldError as error:
        raise CliError(error.message) from None
    if args.store:
        services = ctx.services()
        rules, calendar = services.complaints.rules, services.complaints.calendar
    else:
        rules, calendar = build_rules({}), WorkCalendar.load()
    deadline = compute_deadline(rules[args.rule], received, calendar)
    payload = deadline.to_json()
    text = "\n".join([
        _("Due date: {date} (late from {moment})").format(date=payload["due_date"],
                                                          moment=fmt_beijing(deadline.due_at)),
        _("Calendar: {status}").format(status=payload["calendar"]),
        *("  " + line for line in payload["trace"]),
    ])
    ctx.emit(payload, text)
    return 0
