"""`complaint-desk letter …` in-process and through a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.letters.conftest import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_bytes(PASSPHRASE + b"\n")
    return path


def test_render_sample_sign_and_verify_json(
    tmp_path: Path, passphrase_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "letter.pdf"
    code = main(
        [
            "letter",
            "render-sample",
            "--out",
            str(out),
            "--sign",
            "--passphrase-file",
            str(passphrase_file),
            "--json",
        ]
    )
    written = json.loads(capsys.readouterr().out)
    assert code == 0 and written["signed"] and written["demo_identity"] is True
    assert out.is_file()
    assert main(["letter", "verify", str(out), "--json", "--no-store"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] and result["intact"] and result["trusted"] and result["known"] is None
    assert result["complaint"] == "TS-2025-000123" and result["signer"] == "李娜"


def test_signing_without_passphrase_or_terminal_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COMPLAINT_DESK_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal
    code = main(["letter", "render-sample", "--out", str(tmp_path / "x.pdf"), "--sign"])
    assert code == 2
    assert "--passphrase-file" in capsys.readouterr().err


def test_subprocess_round_trip_and_tamper_exit_code(tmp_path: Path) -> None:
    env = {**os.environ, "COMPLAINT_DESK_KEY_PASSPHRASE": PASSPHRASE.decode()}
    out = tmp_path / "letter.pdf"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop.cli.main", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    signed = run("letter", "render-sample", "--out", str(out), "--sign", "--lang", "en")
    assert signed.returncode == 0, signed.stderr
    ok = run("letter", "verify", str(out), "--json", "--no-store")
    assert ok.returncode == 0 and json.loads(ok.stdout)["valid"]
    data = bytearray(out.read_bytes())
    data[data.index(b"fingerprint=") + 12] ^= 0x01
    out.write_bytes(bytes(data))
    bad = run("letter", "verify", str(out), "--json", "--no-store")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["intact"] is False


def test_bench_reports_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["letter", "bench", "--repeats", "1", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]
    assert [f["name"] for f in figures] == ["render_and_sign"]
    figure = figures[0]
    assert figure["app_ms"] > 0 and figure["raw_ms"] > 0
    assert figure["ratio"] == pytest.approx(figure["app_ms"] / figure["raw_ms"], rel=0.01)


def test_bench_baseline_is_one_page() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from desktop.letters.bench import raw_page_texts
    from desktop.letters.pdf_parts import ensure_font

    style = ParagraphStyle("raw", fontName=ensure_font(), fontSize=10.5, leading=17, wordWrap="CJK")
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    document.build([Paragraph(text, style) for text in raw_page_texts()])
    assert document.page == 1
