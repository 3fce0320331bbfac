"""Every article of the bundled pack equals the official text in ../shared/law-sources.

The extraction here is written independently of desktop.law.sources so the
test does not merely repeat the generator.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.law import Grade, LawPack, load_pack
from desktop.law.numerals import to_chinese
from desktop.law.sources import HEADER_END, normalise_pdf_text

SOURCES = Path(__file__).resolve().parents[2] / ".." / "shared" / "law-sources"
pytestmark = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"official texts not available: {SOURCES.resolve()} is missing"
)
PAGE_MARKER = re.compile(r"^— \d+ —$", re.MULTILINE)
SOURCE_FILES = {
    "telecom-regulations": "telecom-regulations.txt",
    "consumer-protection-law": "consumer-protection-law.txt",
    "pipl": "pipl.txt",
    "civil-code": "civil-code-periods.txt",
    "user-pi-rules": "user-pi-protection-rules.txt",
}


def _body(name: str) -> str:
    raw = (SOURCES / name).read_text(encoding="utf-8")
    return raw.split(HEADER_END, 1)[1]


def _markdown_article(lines: list[str], number: int, next_number: int | None) -> str:
    start_prefix = f"第{to_chinese(number)}条 "
    starts = [i for i, line in enumerate(lines) if line.startswith(start_prefix)]
    assert len(starts) == 1, f"{start_prefix} found {len(starts)} times"
    collected = [lines[starts[0]][len(start_prefix) :]]
    stop_prefix = f"第{to_chinese(next_number)}条 " if next_number else None
    for line in lines[starts[0] + 1 :]:
        if (
            line.startswith("#")
            or line.startswith("附：")
            or (stop_prefix and line.startswith(stop_prefix))
        ):
            break
        if line.strip():
            collected.append(line.strip())
    return "\n".join(collected)


@pytest.fixture(scope="module")
def pack() -> LawPack:
    return load_pack()


@pytest.mark.parametrize("key", [k for k in SOURCE_FILES if k != "user-pi-rules"])
def test_markdown_statutes_match_character_for_character(pack: LawPack, key: str) -> None:
    statute = pack.statute_by_key(key)
    lines = _body(SOURCE_FILES[key]).splitlines()
    numbers = [a.number for a in statute.articles]
    assert statute.grade is Grade.VERIFIED
    for position, article in enumerate(statute.articles):
        following = numbers[position + 1] if position + 1 < len(numbers) else None
        assert article.text == _markdown_article(lines, article.number, following), article.label
        assert article.verbatim


def test_every_source_article_is_in_the_pack(pack: LawPack) -> None:
    counts = {
        "telecom-regulations": 80,
        "consumer-protection-law": 63,
        "pipl": 74,
        "civil-code": 13,
        "user-pi-rules": 25,
    }
    for key, count in counts.items():
        assert len(pack.statute_by_key(key).articles) == count
    body = _body("telecom-regulations.txt")
    assert len(re.findall(r"^第[一二三四五六七八九十百]+条 ", body, re.MULTILINE)) == 80


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", PAGE_MARKER.sub("", text))


def test_pdf_normalisation_only_joins_lines_and_drops_page_markers() -> None:
    body = _body("user-pi-protection-rules.txt")
    normalised = normalise_pdf_text(body)
    assert _squeeze("".join(normalised)) == _squeeze(body)
    assert not any(" " in line or "—" in line for line in normalised)
    assert len(normalised) < len([line for line in body.splitlines() if line.strip()])


def test_pdf_statute_matches_source_after_documented_normalisation(pack: LawPack) -> None:
    statute = pack.statute_by_key("user-pi-rules")
    source = _squeeze(_body("user-pi-protection-rules.txt"))
    numbers = [a.number for a in statute.articles]
    for position, article in enumerate(statute.articles):
        start = source.index(f"第{to_chinese(article.number)}条", source.index("第一章总则"))
        begin = start + len(f"第{to_chinese(article.number)}条")
        if position + 1 < len(numbers):
            end = source.index(f"第{to_chinese(numbers[position + 1])}条", begin)
        else:
            end = len(source)
        # Chapter headings sit between articles; they are not article text.
        expected = re.sub(r"第[一二三四五六]章[^第]*$", "", source[begin:end])
        assert article.text.replace("\n", "") == expected, article.label
        assert " " not in article.text


def test_pdf_paragraph_structure_matches_cross_references(pack: LawPack) -> None:
    statute = pack.statute_by_key("user-pi-rules")
    # 第九条 refers to "本条第一款至第四款" in its fifth paragraph; 第二十三条 cites 第十七条第二款.
    assert len(statute.article(9).paragraphs) == 5
    assert len(statute.article(17).paragraphs) == 3
    assert statute.article(25).text == "本规定自2013年9月1日起施行。"
    assert len(statute.article(13).items) == 8
