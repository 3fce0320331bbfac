"""Reading the official statute texts (``shared/law-sources/*.txt``) into articles.

Used by the pack generator and by the text-equality test, never by the running
app. Each source file has a ``#`` header ending at :data:`HEADER_END`; the rest
is verbatim. Two layouts occur:

* Markdown (LawRefBook): one paragraph per line, ``第X条 `` starts an article,
  ``#`` lines are headings, ``附：`` starts an annex after the last article.
* PDF extraction (电信和互联网用户个人信息保护规定): hard line breaks inside
  paragraphs, page markers ``— N —``, no space after ``第X条`` and stray spaces
  between a digit and the next character ("2013 年"). :func:`normalise_pdf_text`
  undoes exactly these artefacts; the test checks it removed only whitespace
  and page markers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from desktop.law.numerals import from_chinese

HEADER_END = "# ===== END OF HEADER; verbatim source text follows ====="

_NUMERAL = "零一二三四五六七八九十百千"
ARTICLE_START = re.compile(rf"^第([{_NUMERAL}]+)条[ 　]?")
CHAPTER_LINE = re.compile(rf"^第[{_NUMERAL}]+[章节]")
ITEM_START = re.compile(rf"^[（(]([{_NUMERAL}]+)[)）]")
PAGE_MARKER = re.compile(r"^— \d+ —$")
# A space the PDF extraction put after a digit ("2013 年", "第24 号"); never part of the wording.
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\S)")
# Display width (CJK = 2 columns) of a full PDF line: 54-56 for a paragraph's first line
# (indented), 58-62 for the others; a line narrower than this ends its paragraph.
_PDF_FULL_WIDTH = 54


@dataclass
class ParsedArticle:
    number: int
    lines: list[str]
    chapter: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ParsedSource:
    header: dict[str, str]
    body: str
    articles: list[ParsedArticle] = field(default_factory=list)
    appendix: str = ""


def split_header(raw: str) -> tuple[str, str]:
    """Return (header, body) split on the header end line, not on a leading ``#``."""
    marker = raw.find(HEADER_END)
    if marker < 0:
        raise ValueError("source file has no header end line")
    header = raw[:marker]
    body = raw[marker + len(HEADER_END) :]
    return header, body.lstrip("\n")


def _header_fields(header: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in header.splitlines():
        match = re.match(r"^# ([A-Z][A-Za-z ]+): (.*)$", line)
        if match:
            fields[match.group(1)] = match.group(2)
    return fields


def normalise_pdf_text(body: str) -> list[str]:
    """Turn PDF-extracted text into one line per paragraph.

    Drops page-marker lines and blank lines, removes the space the extraction put
    after a digit, and joins a line to the previous one unless the previous one
    was short (a paragraph end) or the line starts an article, item or chapter.
    """
    paragraphs: list[str] = []
    previous_full = False
    for raw_line in body.splitlines():
        line = raw_line.strip()
        if not line or PAGE_MARKER.match(line):
            continue
        line = _DIGIT_SPACE.sub("", line)
        starts_block = bool(
            ARTICLE_START.match(line) or ITEM_START.match(line) or CHAPTER_LINE.match(line)
        )
        if paragraphs and previous_full and not starts_block:
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        previous_full = display_width(raw_line.strip()) >= _PDF_FULL_WIDTH
    return paragraphs


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _markdown_lines(body: str) -> list[str]:
    return [line for line in (raw.strip() for raw in body.splitlines()) if line]


def parse_articles(lines: list[str]) -> tuple[list[ParsedArticle], str]:
    """Group paragraph lines into articles; return (articles, appendix text).

    A line opens an article only if it carries the next number, or any higher
    number right after a heading (excerpts such as the Civil Code skip from
    第二百零四条 to 第一千零三十二条); a wrapped line that happens to begin with
    "第九条" therefore never splits an article.
    """
    articles: list[ParsedArticle] = []
    chapter = ""
    appendix: list[str] = []
    after_heading = True
    for line in lines:
        if appendix or (line.startswith("附：") and articles):
            appendix.append(line)
            continue
        if line.startswith("<!--"):
            continue
        heading = _heading_text(line)
        if heading is not None:
            if heading.startswith("第") and "章" in heading[:8]:
                chapter = " ".join(heading.split())
            after_heading = True
            continue
        match = ARTICLE_START.match(line)
        if match:
            number = from_chinese(match.group(1))
            previous = articles[-1].number if articles else 0
            if number == previous + 1 or (after_heading and number > previous):
                articles.append(ParsedArticle(number, [line[match.end() :]], chapter))
                after_heading = False
                continue
        if articles:
            articles[-1].lines.append(line)
        after_heading = False
    return articles, "\n".join(appendix)


def _heading_text(line: str) -> str | None:
    """The heading a line carries (Markdown ``#`` or a bare PDF chapter line), else None."""
    if line.startswith("#"):
        return line.lstrip("#").strip()
    if CHAPTER_LINE.match(line) and _is_pdf_chapter(line):
        return line
    return None


def _is_pdf_chapter(line: str) -> bool:
    """A bare chapter heading of the PDF layout (第二章信息收集和使用规范): short, unpunctuated."""
    return "章" in line[:6] and len(line) <= 16 and not re.search(r"[，。；：]", line)


def parse_source(path: Path) -> ParsedSource:
    raw = path.read_text(encoding="utf-8")
    header, body = split_header(raw)
    pdf_layout = bool(re.search(r"^— \d+ —$", body, re.MULTILINE))
    lines = normalise_pdf_text(body) if pdf_layout else _markdown_lines(body)
    if pdf_layout:
        # The PDF begins with the promulgating order; the articles start at the first 第一条.
        first = next(i for i, line in enumerate(lines) if line.startswith("第一条"))
        chapter_before = lines[first - 1] if first and CHAPTER_LINE.match(lines[first - 1]) else ""
        lines = ([chapter_before] if chapter_before else []) + lines[first:]
    articles, appendix = parse_articles(lines)
    return ParsedSource(_header_fields(header), body, articles, appendix)
