"""The supervisor's commands.

``complaint approve N [--note]``, ``complaint return N --reason``, ``complaint reassign N [N…] --to LOGIN
--reason`` (added to the ``complaint`` group), ``team board`` and ``qa sample|score|list``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TypeVar

from desktop.cli.context import CliContext, CliError
from desktop.domain.approval import ApprovalPolicy, PolicyError
from desktop.domain.codes import status_label
from desktop.domain.quality import SAMPLE_REASONS, ChecklistError, parse_checklist
from desktop.domain.validation import FieldError
from desktop.domain.workflow import IllegalTransitionError, MissingReasonError
from desktop.i18n import _
from desktop.services.assignment import AUTO_ASSIGN_MODES
from desktop.services.errors import ServiceError
from desktop.services.records import ComplaintRecord

T = TypeVar("T")


def register_complaint_actions(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Called by ``complaint_commands.register`` to add the supervisor's steps to ``complaint``."""
    approve = commands.add_parser("approve", help=_("approve a case awaiting approval (supervisors)"))
    approve.add_argument("number")
    approve.add_argument("--note", help=_("a note kept in the case history"))
    approve.add_argument("--json", action="store_true", help=_("print JSON"))
    approve.set_defaults(handler=handle_approve)
    back = commands.add_parser("return", help=_("return a case awaiting approval for rework (supervisors)"))
    back.add_argument("number")
    back.add_argument("--reason", required=True, help=_("why it goes back (required)"))
    back.add_argument("--json", action="store_true", help=_("print JSON"))
    back.set_defaults(handler=handle_return)
    move = commands.add_parser("reassign", help=_("give open cases to another agent of the team (supervisors)"))
    move.add_argument("numbers", nargs="+", metavar="NUMBER")
    move.add_argument("--to", required=True, metavar="LOGIN", help=_("the agent who takes the cases"))
    move.add_argument("--reason", required=True, help=_("why the cases move (required)"))
    move.add_argument("--json", action="store_true", help=_("print JSON"))
    move.set_defaults(handler=handle_reassign)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    team = subparsers.add_parser("team", help=_("the supervisor's view of the team"))
    team_commands = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")
    board = team_commands.add_parser("board", help=_("open, due and overdue cases per agent"))
    board.add_argument("--json", action="store_true", help=_("print JSON"))
    board.set_defaults(handler=handle_board)

    qa = subparsers.add_parser("qa", help=_("quality review (质检) of closed cases"))
    qa_commands = qa.add_subparsers(dest="qa_command", required=True, metavar="ACTION")
    sample = qa_commands.add_parser("sample", help=_("draw the month's sample of closed cases"))
    sample.add_argument("--month", required=True, metavar="YYYY-MM")
    sample.add_argument("--percent", type=float, default=5.0, help=_("share of each agent's closed cases (default 5)"))
    sample.add_argument("--seed", type=int, help=_("seed for a repeatable draw"))
    sample.add_argument("--json", action="store_true", help=_("print JSON"))
    sample.set_defaults(handler=handle_qa_sample)
    score = qa_commands.add_parser("score", help=_("score a sampled case against the checklist"))
    score.add_argument("number")
    score.add_argument("--points", action="append", default=[], metavar="ITEM=POINTS", required=True)
    score.add_argument("--item-comment", action="append", default=[], metavar="ITEM=TEXT")
    score.add_argument("--comment")
    score.add_argument("--json", action="store_true", help=_("print JSON"))
    score.set_defaults(handler=handle_qa_score)
    listing = qa_commands.add_parser("list", help=_("list reviews (agents see their own)"))
    listing.add_argument("--month", metavar="YYYY-MM")
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=handle_qa_list)


def parse_site_value(key: str, raw: str) -> Any:
    """``site set`` values of the supervision settings (admins set them; JSON checked before it is stored)."""
    if key == "auto_assign":
        if raw.strip() not in AUTO_ASSIGN_MODES:
            raise CliError(_("auto_assign is one of: {modes}.").format(modes=", ".join(AUTO_ASSIGN_MODES)))
        return raw.strip()
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise CliError(_("{key} takes JSON.").format(key=key)) from None
    try:
        if key == "approval_policy":
            if not isinstance(value, dict):
                raise CliError(_('approval_policy takes a JSON object, e.g. {"compensation_above": "200"}.'))
            return ApprovalPolicy.from_json(value).to_json()
        parse_checklist(value)
    except (PolicyError, ChecklistError) as error:
        raise CliError(str(error)) from None
    return value


SITE_KEYS = ("approval_policy", "qa_checklist", "auto_assign")


def _run(call: Callable[[], T]) -> T:
    try:
        return call()
    except (ServiceError, IllegalTransitionError, MissingReasonError) as error:
        raise CliError(str(error)) from None
    except FieldError as error:
        raise CliError(error.message) from None


def _case_text(record: ComplaintRecord) -> str:
    return f"{record.number}  {status_label(record.status)}  {record.assigned_agent_name or ''}".rstrip()


def handle_approve(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    record = _run(lambda: services.supervision.approve(services.actor, args.number, args.note))
    ctx.emit(record.to_json(), _("{number} approved.").format(number=record.number))
    return 0


def handle_return(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    record = _run(lambda: services.supervision.return_for_rework(services.actor, args.number, args.reason))
    ctx.emit(record.to_json(), _("{number} returned for rework.").format(number=record.number) + "\n"
             + _case_text(record))
    return 0


def handle_reassign(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    moved = _run(lambda: services.supervision.reassign_many(services.actor, args.numbers, args.to, args.reason))
    ctx.emit({"reassigned": moved, "to": args.to},
             _("{count} case(s) now with {login}: {numbers}").format(count=len(moved), login=args.to,
                                                                     numbers=", ".join(moved)))
    return 0


def handle_board(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    rows = _run(lambda: services.supervision.team_board(services.actor))
    lines = [_("{name} ({login}): open {open}, due today {today}, due in 3 days {soon}, overdue {overdue}, "
               "awaiting follow-up {follow}").format(name=r.name, login=r.login, open=r.open, today=r.due_today,
                                                     soon=r.due_soon, overdue=r.overdue,
                                                     follow=r.awaiting_follow_up) for r in rows]
    ctx.emit([r.to_json() for r in rows], "\n".join(lines) or _("No agents in the team."))
    return 0


def _pairs(values: list[str], flag: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in values:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(_("{flag} takes KEY=VALUE, got “{value}”.").format(flag=flag, value=pair))
        result[key.strip()] = value
    return result


def handle_qa_sample(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    numbers = _run(lambda: services.quality.draw_sample(services.actor, args.month, args.percent, seed=args.seed))
    ctx.emit({"month": args.month, "sampled": numbers},
             _("{count} case(s) sampled for {month}.").format(count=len(numbers), month=args.month)
             + ("\n" + "\n".join(numbers) if numbers else ""))
    return 0


def handle_qa_score(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    points = _pairs(args.points, "--points")
    comments = _pairs(args.item_comment, "--item-comment")
    review = _run(lambda: services.quality.score(services.actor, args.number, points, item_comments=comments,
                                                 comment=args.comment))
    ctx.emit(review.to_json(), _("{number}: quality score {score}").format(number=review.number,
                                                                           score=f"{review.score:.1f}"))
    return 0


def handle_qa_list(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    reviews = _run(lambda: services.quality.reviews(services.actor, args.month))
    lines = [f"{r.month}  {r.number}  {r.agent_name or ''}  {_(SAMPLE_REASONS.get(r.reason, r.reason))}  "
             + ("—" if r.score is None else f"{r.score:.1f}") for r in reviews]
    ctx.emit([r.to_json() for r in reviews], "\n".join(lines) or _("No quality reviews."))
    return 0
