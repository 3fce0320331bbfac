"""The monthly report of a period's statistics: a PDF (charts, tables, every figure defined) and an XLSX.

No Qt: the desk's statistics window and ``complaint-desk stats --format pdf|xlsx`` both call these.
Headers follow the active language (Chinese first); times are Beijing times.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from desktop.domain.codes import category_label, channel_label
from desktop.domain.deadlines import BEIJING
from desktop.domain.figures import BY_KEY, DEFINITIONS
from desktop.i18n import N_, _
from desktop.services.stats import Figures, Statistics

REPORT_FORMATS = ("pdf", "xlsx")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class Headline:
    key: str  # a key of desktop/domain/figures.py, or "" for a plain count
    title: str  # N_-marked
    value: str


def headlines(stats: Statistics) -> list[Headline]:
    """The report's key figures, each with the definition it is computed by."""
    t = stats.totals
    return [
        Headline("", N_("Number received"), str(t.received)),
        Headline("", N_("Valid / invalid"), f"{t.valid} / {t.invalid}"),
        Headline("", N_("Still open"), str(t.open)),
        Headline("", N_("Overdue now"), str(t.overdue_open)),
        Headline("on_time_rate", N_("On-time rate"), _percent(t.on_time_rate)),
        Headline("", N_("On time / late (of which unanswered)"),
                 f"{t.replied_on_time} / {t.late} ({t.unanswered_late})"),
        Headline("repeat_rate", N_("Repeat rate"), _percent(t.repeat_rate)),
        Headline("satisfaction", N_("Follow-up satisfaction"), _number(t.satisfaction_average)),
        Headline("appeal_rate", N_("Appeal rate"), _percent(t.appeal_rate)),
        Headline("handling_days", N_("Average handling time (days)"), _number(t.average_reply_days, 1)),
        Headline("qa_score", N_("Quality review score"),
                 _number(t.qa_average, 1) + (f" ({t.qa_reviews})" if t.qa_reviews else "")),
        Headline("", N_("Compensation paid (yuan)"), f"{t.compensation} ({t.compensation_cases})"),
    ]


BREAKDOWN_HEADERS = (N_("Name"), N_("Number received"), N_("Open"), N_("Overdue"), N_("Replied on time"),
                     N_("Late"), N_("On-time rate (%)"), N_("Satisfaction"))


def _row(name: str, f: Figures) -> list[Any]:
    return [name, f.received, f.open, f.overdue_open, f.replied_on_time, f.late,
            None if f.on_time_rate is None else round(f.on_time_rate * 100, 1),
            None if f.satisfaction_average is None else round(f.satisfaction_average, 2)]


def breakdowns(stats: Statistics) -> list[tuple[str, list[list[Any]]]]:
    """(translated title, rows) of each breakdown table; agents only in a supervisor's report."""
    tables: list[tuple[str, list[list[Any]]]] = [
        (_("By category"), [_row(category_label(f.key), f) for f in stats.by_category]),
        (_("By channel"), [_row(channel_label(f.key), f) for f in stats.by_channel]),
        (_("By day") if stats.bucket == "day" else _("By week"), [_row(f.key, f) for f in stats.by_time]),
    ]
    if stats.by_agent is not None:
        tables.append((_("By agent"), [_row(f.name or (f.key or _("Unassigned")), f) for f in stats.by_agent]))
    return tables


def report_title(stats: Statistics) -> str:
    return _("Complaint report {start} – {end}").format(start=stats.period.start.isoformat(),
                                                       end=stats.period.end.isoformat())


def beijing_time(value: datetime) -> str:
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") + " " + _("(Beijing time)")


# -- XLSX --------------------------------------------------------------------------------------
def write_xlsx(stats: Statistics, path: Path, site_name: str = "") -> None:
    """One sheet for the summary and definitions, one per breakdown; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("Report summary")[:31]
    bold = Font(bold=True)
    summary.append([report_title(stats)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Site"), site_name])
    summary.append([_("Computed"), beijing_time(stats.computed_at)])
    summary.append([_("Scope"), _("all complaints") if stats.scope == "all" else _("cases assigned to you")])
    summary.append([])
    summary.append([_("Figure"), _("Value"), _("Definition")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for item in headlines(stats):
        summary.append([_(item.title), item.value, BY_KEY[item.key].display_text if item.key else ""])
        summary.cell(summary.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 22
    summary.column_dimensions["C"].width = 90
    for title, rows in breakdowns(stats):
        sheet = book.create_sheet(title[:31])
        sheet.append([_(h) for h in BREAKDOWN_HEADERS])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 24
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


# -- PDF ---------------------------------------------------------------------------------------
def write_pdf(stats: Statistics, path: Path, site_name: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_pdf(stats, site_name))


def render_pdf(stats: Statistics, site_name: str = "") -> bytes:
    """A4 report: headline figures with their definitions, two charts, the breakdown tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    from desktop.letters.pdf_parts import binary_streams, ensure_font, mixed_markup

    font = ensure_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10.5, textColor=colors.HexColor("#444444"))
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=2)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(mixed_markup(text), style)

    story: list[Any] = [
        para(report_title(stats), title),
        para(" · ".join(filter(None, [site_name, _("computed {at}").format(at=beijing_time(stats.computed_at)),
                                      _("all complaints") if stats.scope == "all" else _("cases assigned to you")])),
             small),
        Spacer(1, 4 * mm),
        para(_("Key figures"), heading),
    ]
    rows = [[para(_("Figure")), para(_("Value")), para(_("Definition"))]]
    rows += [[para(_(h.title)), para(h.value), para(BY_KEY[h.key].display_text if h.key else "", small)]
             for h in headlines(stats)]
    table = Table(rows, colWidths=[45 * mm, 30 * mm, 100 * mm], repeatRows=1)
    table.setStyle(_table_style())
    story += [table, para(_("Received by category"), heading), _bar_chart(stats.by_category, category_label),
              para(_("Received over time"), heading), _bar_chart(stats.by_time, lambda key: key[5:])]
    for name, data in breakdowns(stats):
        cells = [[para(_(h)) for h in BREAKDOWN_HEADERS]]
        cells += [[para(str(v if v is not None else "—")) for v in row] for row in data]
        widths = [38 * mm] + [19.5 * mm] * (len(BREAKDOWN_HEADERS) - 1)
        breakdown = Table(cells, colWidths=widths, repeatRows=1)
        breakdown.setStyle(_table_style())
        story += [para(name, heading), breakdown]
    story += [para(_("Definitions"), heading)]
    story += [para(f"{d.display_name}：{d.display_text}", small) for d in DEFINITIONS]
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                                 bottomMargin=16 * mm, title=report_title(stats), author=site_name or "Complaint Desk")
    with binary_streams():
        document.build(story, canvasmaker=_canvas_class(font))
    return buffer.getvalue()


def _canvas_class(font: str) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    class ReportCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = font  # else an unembedded Helvetica is declared
            super().__init__(*args, **kwargs)

    return ReportCanvas


def _table_style() -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    from desktop.letters.pdf_parts import FONT_NAME

    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # else Table declares Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b0b0b0")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeea")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])


def _bar_chart(rows: Sequence[Figures], label: Callable[[str], str]) -> Any:
    """Received per group as bars; CJK labels in the embedded font, digits in the Latin one."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    from desktop.letters.pdf_parts import FONT_NAME, LATIN_FONT

    shown = list(rows)[:40]
    rotated = len(shown) > 8 or any(len(label(row.key)) > 10 for row in shown)
    below = 30 * mm if rotated else 10 * mm  # room for the category names under the bars
    drawing = Drawing(175 * mm, 42 * mm + below, initialFontName=LATIN_FONT)
    if not shown:
        drawing.add(String(0, 20, "—", fontName=LATIN_FONT, fontSize=9))
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, below, 160 * mm, 38 * mm
    chart.data = [[row.received for row in shown]]
    chart.bars[0].fillColor = colors.HexColor("#8b1a1a")
    names = [label(row.key) for row in shown]
    chart.categoryAxis.categoryNames = names
    cjk = any(ord(ch) >= 0x2E80 for name in names for ch in name)
    chart.categoryAxis.labels.fontName = FONT_NAME if cjk else LATIN_FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 30 if rotated else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if rotated else "n"
    chart.barLabels.fontName = LATIN_FONT  # unused, but else Helvetica is declared
    chart.valueAxis.labels.fontName = LATIN_FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    drawing.add(chart)
    return drawing
