"""The visible digital seal, drawn by reportlab so its Chinese text uses the embedded CJK font.

pyHanko's own text stamps need fontTools for TrueType fonts; drawing the seal
as a one-page PDF and letting pyHanko import it as the signature appearance
keeps the dependency list as it is.
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from desktop.domain.deadlines import BEIJING
from desktop.letters.content import LETTER_LANGUAGES, LetterLanguage
from desktop.letters.pdf_parts import (
    ACCENT,
    FONT_NAME,
    INK,
    MUTED,
    binary_streams,
    draw_mixed,
    ensure_font,
)
from desktop.letters.templates import load_template


def render_stamp(
    *,
    width: float,
    height: float,
    language: str,
    signer: str,
    issuer: str,
    signed_at: datetime,
    is_demo: bool,
) -> bytes:
    """A seal-sized PDF page: title, signer, time, issuer and, for a demo identity, a warning."""
    # Beijing time on the seal, as on the letter, whatever zone the PC is set to (a naive time
    # is this PC's local time, as datetime.now() gives it).
    signed_at = signed_at.astimezone(BEIJING)
    lang: LetterLanguage = "en" if language == "en" else "zh_CN"
    assert lang in LETTER_LANGUAGES
    template = load_template(lang)
    ensure_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=FONT_NAME)
    canvas.setFillColor(colors.white)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.roundRect(1, 1, width - 2, height - 2, 4, stroke=1, fill=1)
    lines: list[tuple[str, float, object]] = [
        (template.text("stamp.title"), 10.5, ACCENT),
        (template.fill("stamp.signer", signer=signer), 9, INK),
        (
            template.fill(
                "stamp.time",
                time=template.format_datetime(
                    signed_at.year, signed_at.month, signed_at.day, signed_at.hour, signed_at.minute
                ),
            ),
            8,
            INK,
        ),
        (template.fill("stamp.issuer", issuer=issuer), 7.5, MUTED),
    ]
    if is_demo:
        lines.append((template.text("stamp.demo"), 8.5, colors.HexColor("#c62828")))
    else:
        lines.append((template.text("stamp.verify"), 7.5, MUTED))
    leading = (height - 8) / len(lines)
    y = height - 4 - leading * 0.8
    for text, size, colour in lines:
        canvas.setFillColor(colour)
        draw_mixed(canvas, 6, y, _fit(text, size, width - 12), size)
        y -= leading
    canvas.showPage()
    with binary_streams():
        canvas.save()
    return buffer.getvalue()


def _fit(text: str, size: float, width: float) -> str:
    """Cut a long name with an ellipsis rather than let it run over the seal's border."""
    from desktop.letters.pdf_parts import mixed_width

    if mixed_width(text, size) <= width:
        return text
    while text and mixed_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"
