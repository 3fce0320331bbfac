"""Rendering: Chinese text, exact citations, embedded subset fonts, determinism, templates."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from desktop.letters.content import (
    LetterCitation,
    LetterError,
    letter_fingerprint,
    strokes_from_json,
    strokes_to_json,
)
from desktop.letters.metadata import LetterMetadata
from desktop.letters.render import render_letter
from desktop.letters.sample import SAMPLE_CITATION, sample_content
from desktop.letters.templates import load_template
from tests.letters.conftest import law_article, pdf_text, poppler


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_zh_letter_has_headings_facts_and_exact_citations(tmp_path: Path) -> None:
    content = sample_content("zh_CN")
    text = pdf_text(write(tmp_path, "zh.pdf", render_letter(content)))
    for heading in ("投诉处理结果告知书", "一、投诉内容", "三、调查核实情况", "七、您的权利"):
        assert heading in text
    assert "TS-2025-000123" in text
    assert "12300" in text and "电信用户申诉受理机构" in text
    assert "人民币 128.00 元" in text
    assert letter_fingerprint(content) in text  # footer
    assert "第 2 页 / 共 2 页" in text
    # The cited article and the appeal article, each exactly as in the law pack.
    assert law_article("telecom-regulations.txt", "第三十一条") == SAMPLE_CITATION.text
    assert SAMPLE_CITATION.text in text
    article_39 = law_article("telecom-regulations.txt", "第三十九条")
    for paragraph in article_39.split("\n"):
        assert paragraph in text


def test_template_appeal_article_equals_law_source() -> None:
    expected = law_article("telecom-regulations.txt", "第三十九条")
    for language in ("zh_CN", "en"):
        assert load_template(language).text("appeal_article.text") == expected  # type: ignore[arg-type]


def test_english_letter(tmp_path: Path) -> None:
    text = pdf_text(write(tmp_path, "en.pdf", render_letter(sample_content("en"))))
    for phrase in (
        "Complaint Outcome Letter",
        "1. Your complaint",
        "7. Your rights",
        "12300",
        "CNY 128.00",
        "Page 1 of 2",
    ):
        assert phrase in text
    assert SAMPLE_CITATION.text in text  # law text stays in Chinese


def test_fonts_are_embedded_subsets(tmp_path: Path) -> None:
    report = poppler("pdffonts", str(write(tmp_path, "f.pdf", render_letter(sample_content()))))
    rows = [line.split() for line in report.splitlines()[2:] if line.strip()]
    assert any("DroidSansFallback" in row[0] for row in rows)
    for row in rows:
        # columns: name type encoding emb sub uni object-id gen; type may be two words
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert "+" in row[0], row  # subset prefix


def test_render_is_deterministic_and_content_sensitive() -> None:
    content = sample_content()
    first = render_letter(content)
    assert render_letter(content) == first
    changed = dataclasses.replace(content, findings=content.findings + "补充。")
    assert render_letter(changed) != first
    assert letter_fingerprint(changed) != letter_fingerprint(content)


def test_metadata_names_the_case_and_the_seal_box() -> None:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    content = sample_content(revision=3)
    reader = PdfFileReader(io.BytesIO(render_letter(content)))
    keywords = str(reader.trailer_view["/Info"].get_object()["/Keywords"])
    metadata = LetterMetadata.from_keywords(keywords)
    assert metadata is not None
    assert (metadata.complaint, metadata.revision) == ("TS-2025-000123", 3)
    assert metadata.fingerprint == letter_fingerprint(content)
    assert metadata.stamp.page >= 1
    x1, y1, x2, y2 = metadata.stamp.box
    assert 0 < x1 < x2 <= 595 and 0 < y1 < y2 <= 842


def test_unconfirmed_secondary_citation_is_refused(tmp_path: Path) -> None:
    secondary = LetterCitation(
        "某地方规定",
        "第五条",
        "二级来源文本。",
        "2020-01-01",
        verified=False,
        confirmed_by_agent=False,
    )
    content = dataclasses.replace(sample_content(), citations=(secondary,))
    with pytest.raises(LetterError, match="某地方规定"):
        render_letter(content)
    confirmed = dataclasses.replace(secondary, confirmed_by_agent=True)
    pdf = render_letter(dataclasses.replace(content, citations=(confirmed,)))
    assert "二级来源文本。" in pdf_text(write(tmp_path, "c.pdf", pdf))


def test_site_template_override_is_validated(tmp_path: Path) -> None:
    from desktop.paths import resource_path, user_config_dir

    data = json.loads(resource_path("letters/templates/zh_CN.json").read_text(encoding="utf-8"))
    data["salutation"] = "亲爱的 {customer}："
    override = user_config_dir() / "letters" / "zh_CN.json"
    override.parent.mkdir(parents=True)
    override.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LetterError, match="salutation"):
        render_letter(sample_content())
    data["salutation"] = "亲爱的 {customer_name}："
    override.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "亲爱的 张伟" in pdf_text(write(tmp_path, "o.pdf", render_letter(sample_content())))


def test_strokes_json_round_trip_and_errors() -> None:
    strokes = sample_content().customer_signature
    assert strokes is not None
    again = strokes_from_json(strokes_to_json(strokes))
    assert len(again) == len(strokes)
    for original, copy in zip(strokes, again, strict=True):
        assert [tuple(round(v, 4) for v in p) for p in original] == list(copy)
    with pytest.raises(LetterError):
        strokes_from_json("{not json")
    with pytest.raises(LetterError):
        strokes_from_json('{"version": 1, "strokes": [[[0.1, 0.2]]]}')


def test_rendering_does_not_load_pyhanko() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from desktop.letters.render import render_letter\n"
        "from desktop.letters.sample import sample_content\n"
        "render_letter(sample_content())\n"
        "print(any(name.startswith('pyhanko') for name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "False"
