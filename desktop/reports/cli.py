"""``complaint-desk stats --format pdf|xlsx --out FILE``: write the period's report."""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _
from desktop.reports.monthly import REPORT_FORMATS, write_pdf, write_xlsx
from desktop.services.errors import ServiceError
from desktop.services.permissions import require
from desktop.services.stats import Statistics
from desktop.store.stats_summary import recount, summary_differences

__all__ = ["REPORT_FORMATS", "handle_recount", "write_report"]


def handle_recount(ctx: CliContext, *, check: bool) -> int:
    """``stats recount [--check]``: compare (or rebuild) the per-day summary against the complaints."""
    services = ctx.services()
    try:
        require(services.actor, "stats.team")
    except ServiceError as error:
        raise CliError(str(error)) from None
    with services.engine.connect() as connection:
        problems = summary_differences(connection)
    if check:
        ctx.emit({"consistent": not problems, "differences": problems},
                 _("The summary agrees with a recount of the complaints.") if not problems else
                 _("The summary differs from a recount in {count} row(s):").format(count=len(problems)) + "\n"
                 + "\n".join(problems[:50]))
        return 0 if not problems else 1
    with services.engine.begin() as connection:
        recount(connection)
    ctx.emit({"recounted": True, "differences_before": len(problems)},
             _("Summary rebuilt from the complaints ({count} row(s) differed).").format(count=len(problems)))
    return 0


def write_report(ctx: CliContext, stats: Statistics, report_format: str, out: Path) -> None:
    site_name = str(ctx.services().site.get("site_name"))
    try:
        (write_pdf if report_format == "pdf" else write_xlsx)(stats, out, site_name)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(_("Cannot write {path}: {reason}").format(path=out, reason=reason)) from None
    ctx.emit({"report": str(out), "format": report_format, "totals": stats.totals.to_json()},
             _("Report written to {path}").format(path=out))
