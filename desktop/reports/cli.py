"""``complaint-desk stats --format pdf|xlsx --out FILE``: write the period's report."""

from __future__ import annotations

from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _
from desktop.reports.monthly import REPORT_FORMATS, write_pdf, write_xlsx
from desktop.services.stats import Statistics

__all__ = ["REPORT_FORMATS", "write_report"]


def write_report(ctx: CliContext, stats: Statistics, report_format: str, out: Path) -> None:
    site_name = str(ctx.services().site.get("site_name"))
    try:
        (write_pdf if report_format == "pdf" else write_xlsx)(stats, out, site_name)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CliError(_("Cannot write {path}: {reason}").format(path=out, reason=reason)) from None
    ctx.emit({"report": str(out), "format": report_format, "totals": stats.totals.to_json()},
             _("Report written to {path}").format(path=out))
