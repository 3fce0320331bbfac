"""Render a :class:`LetterContent` to an A4 PDF with reportlab platypus.

Deterministic: the same content gives byte-identical output (invariant mode,
document dates taken from the reply date), so printing again gives the same
document. The Chinese font is embedded as a subset.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from desktop.i18n import _
from desktop.letters.content import (
    LetterCitation,
    LetterContent,
    LetterError,
    letter_fingerprint,
)
from desktop.letters.metadata import LetterMetadata
from desktop.letters.pdf_parts import (
    ACCENT,
    FONT_NAME,
    INK,
    LATIN_BOLD_FONT,
    LATIN_FONT,
    MUTED,
    QUOTE_BACKGROUND,
    RULE,
    PageDecor,
    SignatureBlock,
    StampPlacement,
    binary_streams,
    ensure_font,
    make_canvas_class,
    mixed_markup,
)
from desktop.letters.templates import LetterTemplate, load_template

__all__ = ["letter_fingerprint", "render_letter"]

MARGIN_X = 20 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN_X


def render_letter(content: LetterContent) -> bytes:
    """The letter as PDF bytes; :class:`LetterError` for an unconfirmed secondary citation."""
    _check_citations(content.citations)
    template = load_template(content.language)
    font = ensure_font()
    styles = _styles(font, chinese=content.language == "zh_CN")
    fingerprint = letter_fingerprint(content)
    placement = StampPlacement()
    metadata = LetterMetadata(
        complaint=content.complaint_number,
        complaint_uuid=content.complaint_uuid,
        revision=content.revision,
        fingerprint=fingerprint,
        language=content.language,
        stamp=placement,
    )
    decor = PageDecor(
        footer=lambda page, pages: template.fill(
            "footer",
            complaint_number=content.complaint_number,
            fingerprint=fingerprint,
            page=page,
            pages=pages,
        ),
        fixed_date=content.reply_date,
        title=f"{template.text('document_title')} {content.complaint_number}",
        subject=content.complaint_number,
        keywords=metadata.to_keywords,
        author=content.operator_name,
        stamp=placement,
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=16 * mm,
        bottomMargin=24 * mm,
        invariant=1,
        title=decor.title,
        author=decor.author,
        subject=decor.subject,
        creator="Complaint Desk",
    )
    story = _story(content, template, styles, placement)
    with binary_streams():
        document.build(story, canvasmaker=make_canvas_class(decor))
    return buffer.getvalue()


def _check_citations(citations: tuple[LetterCitation, ...]) -> None:
    for citation in citations:
        if not citation.verified and not citation.confirmed_by_agent:
            raise LetterError(
                _(
                    "{title} {label} is a secondary-grade text; the agent must confirm it "
                    "before it can be cited in a letter."
                ).format(title=citation.title, label=citation.label)
            )


def _styles(font: str, *, chinese: bool) -> dict[str, ParagraphStyle]:
    wrap = "CJK" if chinese else None
    # Justified English opens wide gaps in short lines; Chinese justifies cleanly.
    body = ParagraphStyle(
        "body",
        fontName=font,
        fontSize=10.5,
        leading=17,
        textColor=INK,
        alignment=TA_JUSTIFY if chinese else TA_LEFT,
        wordWrap=wrap,
        spaceAfter=4,
    )
    return {
        "body": body,
        "operator": ParagraphStyle(
            "operator",
            parent=body,
            fontSize=17,
            leading=22,
            textColor=ACCENT,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        "site": ParagraphStyle(
            "site", parent=body, fontSize=9, leading=13, textColor=MUTED, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=19,
            leading=26,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=10, leading=14, textColor=ACCENT, alignment=TA_CENTER
        ),
        "label": ParagraphStyle(
            "label",
            parent=body,
            fontSize=9,
            leading=13,
            textColor=MUTED,
            alignment=TA_LEFT,
            spaceAfter=0,
        ),
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=10, leading=14, alignment=TA_LEFT, spaceAfter=0
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=12,
            leading=18,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=3,
            alignment=TA_LEFT,
        ),
        "cite_head": ParagraphStyle(
            "cite_head",
            parent=body,
            fontSize=10,
            leading=15,
            spaceBefore=4,
            spaceAfter=6,
            alignment=TA_LEFT,
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=body,
            fontSize=10,
            leading=16,
            spaceAfter=6,
            leftIndent=10,
            rightIndent=4,
            backColor=QUOTE_BACKGROUND,
            borderPadding=(3, 6, 3, 6),
        ),
        "quote_last": ParagraphStyle(
            "quote_last",
            parent=body,
            fontSize=10,
            leading=16,
            spaceAfter=10,
            leftIndent=10,
            rightIndent=4,
            backColor=QUOTE_BACKGROUND,
            borderPadding=(3, 6, 3, 6),
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
    }


def _para(text: str, style: ParagraphStyle, latin_font: str = LATIN_FONT) -> Paragraph:
    # mixed_markup escapes: customer text may hold "<" or "&", which platypus reads as markup.
    return Paragraph(mixed_markup(text, latin_font), style)


def _story(
    content: LetterContent,
    template: LetterTemplate,
    styles: dict[str, ParagraphStyle],
    placement: StampPlacement,
) -> list[Flowable]:
    def day(value: date) -> str:
        return _day(template, value)

    story: list[Flowable] = [
        _para(content.operator_name, styles["operator"], LATIN_BOLD_FONT),
        _para(f"{content.site_name} · {content.site_address}", styles["site"]),
        Spacer(1, 3 * mm),
        HRFlowable(width="100%", thickness=1.6, color=ACCENT, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=ACCENT, spaceAfter=4),
        _para(template.text("document_title"), styles["title"], LATIN_BOLD_FONT),
    ]
    if content.revision > 1:
        story.append(
            _para(template.fill("revision_title", revision=content.revision), styles["subtitle"])
        )
    story += [Spacer(1, 4 * mm), _facts_table(content, template, styles), Spacer(1, 5 * mm)]
    story.append(
        _para(template.fill("salutation", customer_name=content.customer_name), styles["body"])
    )
    story.append(
        _para(
            template.fill(
                "intro",
                received_date=day(content.received_at),
                operator_name=content.operator_name,
                site_name=content.site_name,
                complaint_number=content.complaint_number,
                customer_name=content.customer_name,
            ),
            styles["body"],
        )
    )
    sections = (
        ("headings.complaint", content.description_brief),
        ("headings.demand", content.demand_brief),
        ("headings.findings", content.findings),
        ("headings.resolution", content.resolution),
        ("headings.compensation", _compensation_text(content.compensation, template)),
    )
    for heading, text in sections:
        story.append(_heading_break())
        story.append(_para(template.text(heading), styles["heading"], LATIN_BOLD_FONT))
        story.append(_para(text, styles["body"]))
    story.append(_heading_break())
    story.append(_para(template.text("headings.citations"), styles["heading"], LATIN_BOLD_FONT))
    if not content.citations:
        story.append(_para(template.text("no_citations"), styles["body"]))
    for citation in content.citations:
        story += _quoted_article(citation, template, styles)
    story.append(_heading_break())
    story.append(_para(template.text("headings.rights"), styles["heading"], LATIN_BOLD_FONT))
    story.append(_para(template.text("rights"), styles["body"]))
    story += _quoted_article(
        LetterCitation(
            title=template.text("appeal_article.title"),
            label=template.text("appeal_article.label"),
            text=template.text("appeal_article.text"),
            version_date=template.text("appeal_article.version_date"),
            verified=True,
            confirmed_by_agent=False,
        ),
        template,
        styles,
    )
    if content.revision > 1:
        story.append(
            _para(template.fill("revision_note", revision=content.revision), styles["body"])
        )
    story.append(Spacer(1, 2 * mm))
    closing = (template.fill("closing_with_phone", agent_name=content.agent_name, contact_phone=content.contact_phone)
               if content.contact_phone.strip() else template.fill("closing", agent_name=content.agent_name))
    story.append(_para(closing, styles["body"]))
    issuer = template.fill(
        "issuer_line",
        operator_name=content.operator_name,
        site_name=content.site_name,
        site_address=content.site_address,
    )
    signature = SignatureBlock(
        width=FRAME_WIDTH,
        customer_label=template.text("signatures.customer"),
        customer_date=template.fill("signatures.date", date=""),
        awaiting=template.text("signatures.awaiting_signature"),
        agent_line=template.fill("signatures.agent", agent_name=content.agent_name),
        agent_date=template.fill("signatures.date", date=day(content.reply_date)),
        stamp_label=template.text("signatures.stamp"),
        strokes=content.customer_signature,
        placement=placement,
    )
    story.append(
        KeepTogether(
            [
                Spacer(1, 3 * mm),
                _para(issuer, styles["right"]),
                _para(day(content.reply_date), styles["right"]),
                Spacer(1, 5 * mm),
                signature,
            ]
        )
    )
    return story


def _heading_break() -> Flowable:
    """Start a new page rather than leave a heading alone at a page foot.

    Cheaper than keepWithNext, which makes platypus wrap each section twice.
    """
    return CondPageBreak(28 * mm)


def _day(template: LetterTemplate, value: date) -> str:
    return template.format_date(value.year, value.month, value.day)


def _facts_table(
    content: LetterContent, template: LetterTemplate, styles: dict[str, ParagraphStyle]
) -> Table:
    def cell(label_key: str, value: str) -> list[Paragraph]:
        return [_para(template.text(label_key), styles["label"]), _para(value, styles["cell"])]

    rows = [
        cell("labels.complaint_number", content.complaint_number)
        + cell("labels.customer", content.customer_name),
        cell("labels.received", _day(template, content.received_at))
        + cell("labels.site", content.site_name),
        cell("labels.reply_due", _day(template, content.reply_due_date))
        + cell("labels.reply_date", _day(template, content.reply_date)),
    ]
    label_width = 27 * mm
    value_width = FRAME_WIDTH / 2 - label_width
    table = Table(rows, colWidths=[label_width, value_width, label_width, value_width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),  # else Table declares Helvetica
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _compensation_text(amount: Decimal | None, template: LetterTemplate) -> str:
    if amount is None or amount == 0:
        return template.text("no_compensation")
    money = template.fill("money", amount=f"{amount.quantize(Decimal('0.01')):,}")
    return template.fill("compensation", amount=money)


def _quoted_article(
    citation: LetterCitation, template: LetterTemplate, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """The article heading and its exact text on a shaded ground, paragraphs kept as in the source.

    Shaded paragraphs rather than a table: a table re-wraps its paragraphs
    several times, which made it the slowest part of the letter.
    """
    heading = template.fill(
        "citation_heading",
        title=citation.title,
        label=citation.label,
        version_date=citation.version_date,
    )
    parts = [part for part in citation.text.split("\n") if part.strip()]
    flowables: list[Flowable] = [_heading_break(), _para(heading, styles["cite_head"])]
    for index, part in enumerate(parts):
        style = styles["quote_last"] if index == len(parts) - 1 else styles["quote"]
        flowables.append(_para(part, style))
    return flowables
