"""``complaint-desk stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.domain.codes import category_label, channel_label
from desktop.i18n import _
from desktop.reports.cli import REPORT_FORMATS, handle_recount, write_report
from desktop.services.stats import Figures, Period, PeriodError, Statistics, beijing_today, parse_day


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("stats", help=_("complaint statistics for a period of receipt days"))
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD",
                        help=_("first receipt day (default: the first day of this month)"))
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("last receipt day (default: today)"))
    parser.add_argument("--json", action="store_true", help=_("print JSON"))
    parser.add_argument("--format", choices=REPORT_FORMATS, help=_("write the report as PDF or XLSX (with --out)"))
    parser.add_argument("--out", metavar="FILE", help=_("where to write the report"))
    parser.add_argument("action", nargs="?", choices=["recount"],
                        help=_("recount: rebuild the per-day summary from the complaints (supervisors)"))
    parser.add_argument("--check", action="store_true",
                        help=_("with recount: only compare the summary with a recount, change nothing"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.action == "recount":
        return handle_recount(ctx, check=args.check)
    try:
        end = parse_day(args.end) if args.end else beijing_today()
        start = parse_day(args.start) if args.start else end.replace(day=1)
        period = Period(start, end)
    except PeriodError as error:
        raise CliError(str(error)) from None
    if bool(args.format) != bool(args.out):
        raise CliError(_("--format and --out go together, e.g. --format pdf --out report.pdf"))
    stats = ctx.services().stats.compute(period)
    if args.format:
        write_report(ctx, stats, args.format, Path(args.out))
        return 0
    ctx.emit(stats.to_json(), _text(stats))
    return 0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _average(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _rows(title: str, rows: list[Figures], label: dict[str, str]) -> list[str]:
    lines = ["", title]
    for row in rows:
        lines.append(_("  {name}: {count} received, on time {rate}").format(
            name=label.get(row.key, row.name or row.key), count=row.received, rate=_percent(row.on_time_rate)))
    return lines


def _text(stats: Statistics) -> str:
    t = stats.totals
    lines = [
        _("Complaints received {start} – {end}").format(start=stats.period.start.isoformat(),
                                                        end=stats.period.end.isoformat()),
        _("Received: {n} (valid {valid}, invalid {invalid}); still open: {open}; overdue now: {overdue}").format(
            n=t.received, valid=t.valid, invalid=t.invalid, open=t.open, overdue=t.overdue_open),
        _("Replied on time: {on_time}; late: {late}; on-time rate: {rate}; average days to reply: {days}").format(
            on_time=t.replied_on_time, late=t.replied_late, rate=_percent(t.on_time_rate),
            days=_average(t.average_reply_days)),
        _("Repeat numbers: {numbers} ({complaints} complaints); appeals to the regulator: {appeals}").format(
            numbers=t.repeat_numbers, complaints=t.repeat_complaints, appeals=t.appeals),
        _("Compensation paid: {amount} yuan in {cases} cases").format(amount=t.compensation,
                                                                      cases=t.compensation_cases),
        _("Average satisfaction: {average} ({count} follow-ups)").format(
            average=_average(t.satisfaction_average), count=t.satisfaction_count),
        _("Unanswered past the deadline (counted late): {count}; repeat rate: {repeat}; appeal rate: {appeal}; "
          "quality review score: {qa} ({reviews} reviews)").format(
            count=t.unanswered_late, repeat=_percent(t.repeat_rate), appeal=_percent(t.appeal_rate),
            qa=_average(t.qa_average), reviews=t.qa_reviews),
    ]
    lines += _rows(_("By category:"), stats.by_category, {r.key: category_label(r.key) for r in stats.by_category})
    lines += _rows(_("By channel:"), stats.by_channel, {r.key: channel_label(r.key) for r in stats.by_channel})
    if stats.by_agent is not None:
        lines += _rows(_("By agent:"), stats.by_agent, {"": _("Unassigned")})
    return "\n".join(lines)
