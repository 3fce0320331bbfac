"""Fixtures for letter tests: sample content, a site CA with an agent, poppler helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.letters.keys import (
    SigningIdentity,
    create_site_ca,
    issue_agent_certificate,
    site_ca_dir,
)

PASSPHRASE = b"counter-secret"
SHARED_LAW = Path(__file__).resolve().parents[2].parent / "shared" / "law-sources"
HEADER_END = "# ===== END OF HEADER; verbatim source text follows ====="


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"poppler tool {tool} is not installed")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def pdf_text(path: Path) -> str:
    """pdftotext output with line breaks removed (the only normalisation)."""
    return poppler("pdftotext", "-enc", "UTF-8", str(path), "-").replace("\n", "").replace("\f", "")


def law_article(file_name: str, label: str) -> str:
    """An article's exact text from the shared law sources (paragraphs joined by newlines)."""
    path = SHARED_LAW / file_name
    if not path.is_file():
        pytest.skip(f"shared law sources not found at {SHARED_LAW}")
    body = path.read_text(encoding="utf-8").split(HEADER_END, 1)[1]
    lines = body.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(label + " "))
    paragraphs = [lines[start][len(label) + 1 :]]
    for line in lines[start + 1 :]:
        if line.startswith("第") and "条 " in line[:12]:
            break
        if line.startswith("#"):
            break
        if line.strip():
            paragraphs.append(line)
    return "\n".join(paragraphs)


@pytest.fixture
def identity() -> SigningIdentity:
    ca = create_site_ca(site_ca_dir(), "朝阳门营业厅测试站点", PASSPHRASE)
    return issue_agent_certificate(ca, "李娜", PASSPHRASE)


@pytest.fixture(autouse=True)
def _signed_in_cli(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Letter and key commands sign in for real (tester is the admin; boss an admin, clerk an agent)."""
    if "db_url" in request.fixturenames:
        from tests.accounts import cli_account

        cli_account(monkeypatch, request.getfixturevalue("db_url"), others={"boss": "admin", "clerk": "agent"})
