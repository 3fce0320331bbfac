"""The monthly report: pdftotext shows the figures and definitions; openpyxl reads the XLSX back."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli.main import main
from desktop.domain.figures import DEFINITIONS
from desktop.i18n import set_language
from desktop.reports.monthly import write_pdf, write_xlsx
from desktop.services.app import AppServices
from tests.accounts import cli_account
from tests.services.test_stats import build_known_store, known_period


def _text(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdf_shows_figures_and_definitions_in_chinese(services: AppServices, tmp_path: Path) -> None:
    build_known_store(services)
    stats = services.stats.compute(known_period())
    out = tmp_path / "report.pdf"
    write_pdf(stats, out, "客户服务中心")
    text = _text(out)
    squeezed = "".join(text.split())
    assert "投诉统计报表" in squeezed and "客户服务中心" in squeezed
    assert "25.0%" in text  # on time 1 of 4 owed a reply (E is unanswered past its deadline)
    assert "62.34" in text
    for item in DEFINITIONS:
        assert "".join(item.display_text.split())[:12] in squeezed
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert any("DroidSansFallback" in row[0] for row in rows)  # the CJK font, embedded as a subset
    assert all(row[-5] == "yes" for row in rows)  # every font embedded


def test_xlsx_has_one_sheet_per_breakdown_with_chinese_headers(services: AppServices, tmp_path: Path) -> None:
    build_known_store(services)
    stats = services.stats.compute(known_period())
    out = tmp_path / "report.xlsx"
    write_xlsx(stats, out, "客户服务中心")
    book = load_workbook(out)
    assert book.sheetnames == ["概要", "按类别", "按渠道", "按周", "按处理人"]
    summary = {row[0]: row[1:] for row in book["概要"].iter_rows(values_only=True) if row[0]}
    assert summary["按时答复率"][0] == "25.0%" and "仍未答复" in summary["按时答复率"][1]
    assert "北京时间" in summary["统计时间"][0]
    category = list(book["按类别"].iter_rows(values_only=True))
    assert category[0][:3] == ("名称", "受理量", "未办结")
    assert category[1][:2] == ("资费争议", 3)  # billing: numbers stay numbers


def test_english_report_and_cli(services: AppServices, db_url: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    build_known_store(services)
    cli_account(monkeypatch, db_url)
    out = tmp_path / "sep.xlsx"
    assert main(["--lang", "en", "stats", "--from", "2025-09-01", "--to", date.today().isoformat(),
                 "--format", "xlsx", "--out", str(out)]) == 0
    assert "Report written" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == ["Report summary", "By category", "By channel", "By week", "By agent"]
    assert main(["--lang", "en", "stats", "--format", "pdf"]) == 2
    assert "--format and --out go together" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--lang", "en", "stats", "--format", "pdf", "--out", str(blocker / "r.pdf")]) == 2
    assert "Cannot write" in capsys.readouterr().err
    set_language("zh_CN")
