"""``complaint-desk complaint add|show|list|transition``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from desktop.cli.context import CliContext, CliError
from desktop.cli.supervisor_commands import register_complaint_actions
from desktop.domain.codes import Status, status_label
from desktop.domain.intake import IntakeError
from desktop.domain.masking import PERSONAL_FIELDS
from desktop.domain.validation import FieldError, field_label
from desktop.domain.workflow import Action, IllegalTransitionError, MissingReasonError
from desktop.formatting import fmt_beijing
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.privacy import mask_record, mask_summary
from desktop.services.records import ComplaintRecord, ComplaintSummary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("complaint", help=_("add, show and list complaints"))
    commands = parser.add_subparsers(dest="complaint_command", required=True, metavar="ACTION")

    add = commands.add_parser("add", help=_("store one complaint read as a JSON object"))
    add.add_argument("source", help=_("JSON file, or - for standard input"))
    add.add_argument("--json", action="store_true", help=_("print JSON"))
    add.set_defaults(handler=handle_add)

    show = commands.add_parser("show", help=_("show one complaint"))
    show.add_argument("number")
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.add_argument("--reveal", choices=tuple(PERSONAL_FIELDS), action="append", default=[], metavar="FIELD",
                      help=_("show this personal field in full ({fields}); needs --reason, recorded").format(
                          fields=", ".join(PERSONAL_FIELDS)))
    show.add_argument("--reason", help=_("why the personal data is needed, e.g. 回访 (kept in the access log)"))
    show.set_defaults(handler=handle_show)

    listing = commands.add_parser("list", help=_("list complaints by due date"))
    listing.add_argument("--status", choices=[s.value for s in Status])
    listing.add_argument("--overdue", action="store_true", help=_("only open complaints past their deadline"))
    listing.add_argument("--limit", type=int, default=200)
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.add_argument("--unmasked", action="store_true",
                         help=_("names and phone numbers in full (supervisors; needs --reason, recorded)"))
    listing.add_argument("--reason", help=_("why the personal data is needed, e.g. 回访 (kept in the access log)"))
    listing.set_defaults(handler=handle_list)

    step = commands.add_parser("transition", help=_("apply a workflow step"))
    step.add_argument("number")
    step.add_argument("action", choices=[a.value for a in Action])
    step.add_argument("--reason")
    step.add_argument("--detail", action="append", default=[], metavar="KEY=VALUE",
                      help=_("e.g. resolution=…, reply_method=phone, satisfaction=5"))
    step.add_argument("--json", action="store_true", help=_("print JSON"))
    step.set_defaults(handler=handle_transition)
    register_complaint_actions(commands)  # approve, return, reassign (desktop/cli/supervisor_commands.py)

    from desktop.cli import citation_commands

    citation_commands.register(commands)

    from desktop.cli import case_commands

    case_commands.register(commands)


def _with_deadlines(ctx: CliContext, record: ComplaintRecord) -> dict[str, Any]:
    """The case as printed: personal fields masked (``record`` is the stored one, used for the deadline)."""
    payload = mask_record(record).to_json()
    deadline = ctx.services().complaints.reply_deadline(record)
    payload["deadlines"] = {
        "reply": deadline.to_json(),
        "acknowledge": {"due_at": record.ack_due_at.isoformat()},
    }
    return payload


def _record_text(stored: ComplaintRecord) -> str:
    record = mask_record(stored)
    return "\n".join([
        f"{record.number}  {status_label(record.status)}",
        _("Received: {at}").format(at=fmt_beijing(record.received_at)),
        _("Customer: {name}  {phone}").format(name=record.customer_name, phone=record.phone),
        _("Reply due: {date}").format(date=record.reply_due_date.isoformat()),
    ])


def _fail_on_input(error: IntakeError | FieldError) -> CliError:
    if isinstance(error, FieldError):
        return CliError(error.message)
    return CliError("; ".join(e.message for e in error.errors))


MAX_JSON_BYTES = 1024 * 1024  # one complaint is a few kilobytes; anything near this is not one


def read_json_object(source: str) -> dict[str, Any]:
    """One JSON object from a file or ``-``; every way it can be wrong is one clear message."""
    try:
        if source == "-":
            stream = getattr(sys.stdin, "buffer", None)
            raw = stream.read(MAX_JSON_BYTES + 1) if stream is not None else sys.stdin.read(
                MAX_JSON_BYTES + 1).encode("utf-8", "surrogatepass")
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_JSON_BYTES + 1)
    except OSError as error:
        raise CliError(_("Cannot read {path}: {reason}").format(path=source, reason=error.strerror)) from None
    if len(raw) > MAX_JSON_BYTES:
        raise CliError(_("The input is larger than {limit} KB; one complaint is far smaller.").format(
            limit=MAX_JSON_BYTES // 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError(_("The input is not UTF-8 text (byte {position}).").format(position=error.start + 1)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(_("The input is not valid JSON (line {line}, column {column}).").format(
            line=error.lineno, column=error.colno)) from None
    except RecursionError:
        raise CliError(_("The input is nested too deeply to be read.")) from None
    if not isinstance(data, dict):
        raise CliError(_("The input must be one JSON object."))
    return data


def emit_record(ctx: CliContext, record: ComplaintRecord) -> None:
    ctx.emit(_with_deadlines(ctx, record), _record_text(record))


def handle_add(args: argparse.Namespace, ctx: CliContext) -> int:
    data = read_json_object(args.source)
    services = ctx.services()
    try:
        record = services.complaints.create(services.actor, data)
    except (IntakeError, FieldError) as error:
        raise _fail_on_input(error) from None
    emit_record(ctx, record)
    return 0


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    try:
        record = services.complaints.get(args.number)
        revealed = {field: services.privacy.reveal(services.actor, record.number, field, args.reason)
                    for field in dict.fromkeys(args.reveal)}
    except ServiceError as error:
        raise CliError(str(error)) from None
    payload = _with_deadlines(ctx, record)
    text = _record_text(record)
    if revealed:
        payload.update(revealed)
        payload["revealed"] = list(revealed)
        text += "\n" + "\n".join(f"{field_label(field)}: {value or ''}" for field, value in revealed.items())
    ctx.emit(payload, text)
    return 0


def _summary_json(item: ComplaintSummary) -> dict[str, Any]:
    return {
        "number": item.number, "received_at": item.received_at.isoformat(), "customer_name": item.customer_name,
        "phone": item.phone, "category": item.category, "channel": item.channel, "status": item.status,
        "agent": item.agent_name, "reply_due_date": item.reply_due_date.isoformat(),
        "reply_due_at": item.reply_due_at.isoformat(), "calendar_provisional": item.calendar_provisional,
    }


def handle_list(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()

    def read() -> list[ComplaintSummary]:
        return services.complaints.list(status=args.status, overdue=args.overdue, limit=args.limit)

    try:
        items = services.privacy.bulk_read(services.actor, args.reason, read, what="complaint list") \
            if args.unmasked else [mask_summary(i) for i in read()]
    except ServiceError as error:
        raise CliError(str(error)) from None
    text = "\n".join(f"{i.number}  {i.reply_due_date}  {status_label(i.status)}  {i.customer_name}  {i.phone}"
                     for i in items)
    ctx.emit([_summary_json(i) for i in items], text or _("No complaints."))
    return 0


def handle_transition(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.case_commands import parse_assignments
    from desktop.domain.step_details import STEP_DETAILS

    details = parse_assignments(args.detail, STEP_DETAILS.get(Action(args.action), ()), "--detail")
    services = ctx.services()
    try:
        record = services.complaints.transition(services.actor, args.number, args.action,
                                                reason=args.reason, details=details)
    except (IllegalTransitionError, MissingReasonError, ServiceError) as error:
        raise CliError(str(error)) from None
    except FieldError as error:
        raise _fail_on_input(error) from None
    emit_record(ctx, record)
    return 0
