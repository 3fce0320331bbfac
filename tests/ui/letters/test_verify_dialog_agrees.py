"""The desk's "Verify a letter" dialog gives the same verdict as ``letter verify`` (one service function)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli.main import main
from desktop.letters.keys import create_site_ca, issue_agent_certificate, site_ca_dir
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf
from desktop.services.app import AppServices
from desktop.ui.letters.verify_dialog import VerifyLetterDialog
from tests.letters.test_forgery_attacks import forged_letter, replace_page_text

PASSPHRASE = b"dialog-secret-1"


@pytest.mark.parametrize("kind", ["forged", "edited-then-countersigned", "unknown"])
def test_dialog_and_cli_agree(kind: str, qtbot: QtBot, services: AppServices, db_url: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    ca = create_site_ca(site_ca_dir(), "测试网点", PASSPHRASE)
    agent = issue_agent_certificate(ca, "李娜", PASSPHRASE)
    signed = sign_pdf(render_letter(sample_content()), agent, PASSPHRASE, reason="r", location="l")
    if kind == "forged":
        pdf = forged_letter(tmp_path)[0]
    elif kind == "edited-then-countersigned":
        pdf = sign_pdf(replace_page_text(signed, b"180"), agent, PASSPHRASE, reason="r", location="l")
    else:
        pdf = signed
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(pdf)
    assert main(["--db", db_url, "letter", "verify", str(path), "--json"]) == 1
    cli = json.loads(capsys.readouterr().out)
    dialog = VerifyLetterDialog.from_file(path, sessions=services.sessions)
    qtbot.addWidget(dialog)
    assert dialog.verification.to_json() == cli
    assert "无效" in dialog.headline.text()
    assert dialog.value_labels["已在数据库存档"].text() == "否"
