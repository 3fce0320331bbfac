"""reportlab building blocks of the letter: fonts, the page canvas, the signature block."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from desktop.fonts import cjk_font_path
from desktop.letters.content import SIGNATURE_ASPECT, SignatureStrokes

FONT_NAME = "ComplaintDeskCJK"
LATIN_FONT = "ComplaintDeskLatin"
LATIN_BOLD_FONT = "ComplaintDeskLatinBold"
# Droid Sans Fallback has CJK glyphs only (no Latin letters or digits), so Latin runs use
# Bitstream Vera, which ships inside reportlab itself (bitstream-vera-license.txt there).
_VERA_FILES = {LATIN_FONT: "Vera.ttf", LATIN_BOLD_FONT: "VeraBd.ttf"}
# Below the CJK blocks, a character goes to the Latin font when that font has it.
_CJK_START = 0x2E80
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
ACCENT = colors.HexColor("#8b1a1a")  # the red of an official letterhead
RULE = colors.HexColor("#b0b0b0")
QUOTE_BACKGROUND = colors.HexColor("#f4f4f2")

_font_lock = threading.Lock()


_latin_chars: frozenset[int] = frozenset()
_render_lock = threading.RLock()


@contextmanager
def binary_streams() -> Iterator[None]:
    """Write PDF streams as plain Flate instead of ASCII85-over-Flate while rendering.

    reportlab's pure-Python ASCII85 encoder is a tenth of the render time and
    makes the file a quarter larger; the setting is global, so it is switched
    only around our own renders, under a lock.
    """
    with _render_lock:
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = previous


def ensure_font() -> str:
    """Register the fonts once per process (parsing 4 MB of CJK glyphs is the slow part).

    reportlab embeds only the glyphs a document uses (a subset), so the letter
    looks the same in every viewer and stays small.
    """
    global _latin_chars
    with _font_lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        if FONT_NAME not in registered:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(cjk_font_path())))
        for name, file_name in _VERA_FILES.items():
            if name not in registered:
                font = TTFont(name, str(Path(reportlab.__file__).parent / "fonts" / file_name))
                pdfmetrics.registerFont(font)
                if name == LATIN_FONT:
                    _latin_chars = frozenset(c for c in font.face.charToGlyph if c < _CJK_START)
    return FONT_NAME


def font_runs(text: str, latin_font: str = LATIN_FONT) -> list[tuple[str, str]]:
    """Split text into (font, run) pieces: Latin letters and digits in Vera, the rest CJK."""
    runs: list[tuple[str, str]] = []
    for char in text:
        font = latin_font if ord(char) in _latin_chars else FONT_NAME
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def mixed_markup(text: str, latin_font: str = LATIN_FONT) -> str:
    """Paragraph markup for text in a CJK-font style, with Latin runs switched to Vera."""
    pieces = []
    for font, run in font_runs(text, latin_font):
        escaped = escape(run).replace("\n", "<br/>")
        pieces.append(escaped if font == FONT_NAME else f'<font face="{font}">{escaped}</font>')
    return "".join(pieces)


def mixed_width(text: str, size: float) -> float:
    return float(sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text)))


def draw_mixed(
    canvas: Canvas, x: float, y: float, text: str, size: float, anchor: str = "left"
) -> None:
    """drawString with per-run fonts; anchor is "left", "centre" or "right"."""
    width = mixed_width(text, size)
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    for font, run in font_runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, font, size)


@dataclass
class StampPlacement:
    """Where the signature block put the digital-seal box: 1-based page and PDF points."""

    page: int = 0
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def as_keyword(self) -> str:
        x1, y1, x2, y2 = (round(v, 1) for v in self.box)
        return f"{self.page}:{x1},{y1},{x2},{y2}"


@dataclass
class PageDecor:
    """What every page's footer needs, and the PDF metadata written at save time."""

    footer: Callable[[int, int], str]  # (page, pages) -> text
    fixed_date: date
    title: str
    subject: str
    keywords: Callable[[], str]  # called at save, after the stamp box is known
    author: str
    stamp: StampPlacement = field(default_factory=StampPlacement)


def make_canvas_class(decor: PageDecor) -> type[Canvas]:
    """A canvas that numbers pages "n of m" (needs the total, so pages are finished at save)."""

    class LetterCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1  # no random document ID, no wall-clock dates
            kwargs["initialFontName"] = FONT_NAME  # else an unembedded Helvetica is declared
            super().__init__(*args, **kwargs)
            stamp = TimeStamp(invariant=1)
            # The document dates are the reply date, so the same letter prints the same bytes.
            day = decor.fixed_date
            stamp.YMDhms = (day.year, day.month, day.day, 0, 0, 0)
            self._doc._timeStamp = stamp
            self._pending_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pending_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pending_pages)
            for number, state in enumerate(self._pending_pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                Canvas.showPage(self)
            self.setTitle(decor.title)
            self.setSubject(decor.subject)
            self.setAuthor(decor.author)
            self.setCreator("Complaint Desk")
            self.setKeywords(decor.keywords())
            Canvas.save(self)

        def _draw_footer(self, page: int, pages: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(20 * mm, 16 * mm, width - 20 * mm, 16 * mm)
            self.setFillColor(MUTED)
            draw_mixed(self, width / 2, 11 * mm, decor.footer(page, pages), 8, "centre")
            self.restoreState()

    return LetterCanvas


class SignatureBlock(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Customer's handwritten signature (left) and the agent's block with the seal box (right)."""

    def __init__(
        self,
        *,
        width: float,
        customer_label: str,
        customer_date: str,
        awaiting: str,
        agent_line: str,
        agent_date: str,
        stamp_label: str,
        strokes: SignatureStrokes | None,
        placement: StampPlacement,
    ) -> None:
        super().__init__()
        self.width = width
        self.box_width = 72 * mm
        self.box_height = self.box_width / SIGNATURE_ASPECT
        self.height = self.box_height + 16 * mm
        self.customer_label = customer_label
        self.customer_date = customer_date
        self.awaiting = awaiting
        self.agent_line = agent_line
        self.agent_date = agent_date
        self.stamp_label = stamp_label
        self.strokes = strokes
        self.placement = placement

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width  # the frame's padding makes this narrower than the page text width
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        box_bottom = 6 * mm
        left_x = 0.0
        right_x = self.width - self.box_width
        canvas.setFillColor(INK)
        top = box_bottom + self.box_height + 3 * mm
        draw_mixed(canvas, left_x, top, self.customer_label, 9.5)
        draw_mixed(canvas, right_x, top, self.agent_line, 9.5)
        canvas.setFillColor(MUTED)
        draw_mixed(canvas, left_x, 1 * mm, self.customer_date, 8.5)
        draw_mixed(canvas, right_x, 1 * mm, self.agent_date, 8.5)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 2)
        canvas.rect(left_x, box_bottom, self.box_width, self.box_height)
        canvas.rect(right_x, box_bottom, self.box_width, self.box_height)
        canvas.setDash()
        if self.strokes:
            self._draw_strokes(left_x, box_bottom)
        else:
            canvas.setFillColor(RULE)
            draw_mixed(
                canvas,
                left_x + self.box_width / 2,
                box_bottom + self.box_height / 2 - 3,
                self.awaiting,
                9,
                "centre",
            )
        canvas.setFillColor(RULE)
        draw_mixed(
            canvas,
            right_x + self.box_width / 2,
            box_bottom + self.box_height / 2 - 3,
            self.stamp_label,
            9,
            "centre",
        )
        # Record the seal box in page coordinates so signing can put the visible stamp there.
        x, y = canvas.absolutePosition(right_x, box_bottom)
        self.placement.page = canvas.getPageNumber()
        self.placement.box = (x, y, x + self.box_width, y + self.box_height)

    def _draw_strokes(self, x0: float, y0: float) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#0b2a6b"))  # blue-black ink
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        inset = 2 * mm
        width = self.box_width - 2 * inset
        height = self.box_height - 2 * inset

        def to_page(px: float, py: float) -> tuple[float, float]:
            return x0 + inset + px * width, y0 + inset + (1.0 - py) * height  # screen y runs down

        for stroke in self.strokes or ():
            if len(stroke) == 1:
                px, py = to_page(stroke[0][0], stroke[0][1])
                canvas.setFillColor(colors.HexColor("#0b2a6b"))
                canvas.circle(px, py, 0.6 + 0.8 * stroke[0][2], stroke=0, fill=1)
                continue
            for start, end in itertools.pairwise(stroke):
                canvas.setLineWidth(0.5 + 1.6 * (start[2] + end[2]) / 2)
                canvas.line(*to_page(start[0], start[1]), *to_page(end[0], end[1]))
        canvas.restoreState()
