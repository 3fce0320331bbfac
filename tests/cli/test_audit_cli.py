"""``complaint-desk audit …``: verify (text, JSON, exit codes), the audit key and checkpoints."""

from __future__ import annotations

import json
import sqlite3

import pytest

from desktop.cli.main import main
from desktop.letters.keys import create_site_ca, site_ca_dir
from tests.accounts import cli_account

PASSPHRASE = "Shenji-Mima-2026!"


@pytest.fixture
def admin_store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    cli_account(monkeypatch, db_url, "tester", role="admin")
    assert main(["demo-data", "--count", "20"]) == 0
    monkeypatch.setenv("COMPLAINT_DESK_KEY_PASSPHRASE", PASSPHRASE)
    create_site_ca(site_ca_dir(), "测试站点", PASSPHRASE.encode())
    return db_url


def test_verify_checkpoint_and_tamper(admin_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("历史记录完整：")
    assert "尚无已签名的检查点" in out

    assert main(["audit", "create-key"]) == 0
    assert "审计密钥已创建" in capsys.readouterr().out
    assert main(["audit", "checkpoint", "--json"]) == 0
    point = json.loads(capsys.readouterr().out)
    assert point["seq"] > 20 and len(point["hash"]) == 64

    assert main(["audit", "verify", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["intact"] is True
    assert [c["state"] for c in payload["checkpoints"]] == ["ok"]
    assert payload["checkpoints"][0]["signer_trusted"] is True

    connection = sqlite3.connect(admin_store.removeprefix("sqlite:///"))
    connection.execute("DROP TRIGGER complaint_events_no_update")
    connection.execute("UPDATE complaint_events SET changes = '{}' WHERE chain_seq = 2")
    number = connection.execute("SELECT c.number FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
                                "WHERE e.chain_seq = 2").fetchone()[0]
    connection.commit()
    connection.close()
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("历史记录已被篡改：")
    assert f"第 2 条记录被修改（案件 {number}" in out
    assert main(["audit", "verify", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["findings"][0]["kind"] == "changed" and payload["findings"][0]["label"] == number


def test_agents_cannot_sign_checkpoints(admin_store: str, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "create-key"]) == 0
    cli_account(monkeypatch, admin_store, "clerk", role="agent", display_name="王芳")
    capsys.readouterr()
    assert main(["audit", "checkpoint"]) == 2
    assert capsys.readouterr().err.strip() == "complaint-desk: 王芳（坐席）无权执行此操作：签署处理记录的检查点。"
    assert main(["audit", "create-key"]) == 2


def test_checkpoint_without_a_key_is_one_clear_message(admin_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "checkpoint"]) == 2
    err = capsys.readouterr().err
    assert "没有审计密钥" in err and "Traceback" not in err


def test_grant_setup_on_sqlite_is_refused(admin_store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "grant-setup"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err
