"""`complaint-desk keys …`: a real site CA, agent certificates, imports and trust, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli.main import main
from desktop.letters.keys import create_site_ca, issue_agent_certificate, site_ca_dir
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf

REPO = Path(__file__).resolve().parents[2]
CA_PASSPHRASE = b"ca-secret-2025"
AGENT_PASSPHRASE = b"agent-secret"


@pytest.fixture
def secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.delenv("COMPLAINT_DESK_KEY_PASSPHRASE", raising=False)
    files = {"ca": tmp_path / "ca-pass.txt", "agent": tmp_path / "agent-pass.txt", "wrong": tmp_path / "wrong.txt"}
    files["ca"].write_bytes(CA_PASSPHRASE + b"\n")
    files["agent"].write_bytes(AGENT_PASSPHRASE + b"\n")
    files["wrong"].write_bytes(b"not-it\n")
    return files


def run_json(capsys: pytest.CaptureFixture[str], db_url: str, *args: str, user: str = "boss") -> Any:
    code = main(["--db", db_url, "--user", user, *args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def run_failing(capsys: pytest.CaptureFixture[str], db_url: str, *args: str, user: str = "boss") -> str:
    code = main(["--db", db_url, "--user", user, *args])
    captured = capsys.readouterr()
    assert code == 2, captured.out
    return captured.err


def create_ca_and_issue(capsys: pytest.CaptureFixture[str], db_url: str, secrets: dict[str, Path]) -> Any:
    created = run_json(capsys, db_url, "keys", "create-ca", "--name", "XX电信客户服务中心",
                       "--ca-passphrase-file", str(secrets["ca"]))
    assert created["name"] == "XX电信客户服务中心" and created["demo"] is False
    return run_json(capsys, db_url, "keys", "issue", "李娜", "--ca-passphrase-file", str(secrets["ca"]),
                    "--passphrase-file", str(secrets["agent"]))


def test_site_ca_issue_list_sign_and_verify(
    tmp_path: Path, db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    issued = create_ca_and_issue(capsys, db_url, secrets)
    assert issued["agent"] == "李娜" and issued["demo"] is False and issued["issuer"] == "XX电信客户服务中心"
    listing = run_json(capsys, db_url, "keys", "list")
    [identity] = listing["identities"]
    assert identity["agent"] == "李娜" and identity["demo"] is False
    assert identity["fingerprint"] == issued["fingerprint"] and identity["expires"] > "2027"
    assert listing["site_ca"]["subject"] == "CN=XX电信客户服务中心 CA,O=XX电信客户服务中心,C=CN"
    assert [root["fingerprint"] for root in listing["trust_roots"]] == [listing["site_ca"]["fingerprint"]]

    out = tmp_path / "letter.pdf"
    written = run_json(capsys, db_url, "letter", "render-sample", "--out", str(out), "--sign",
                       "--passphrase-file", str(secrets["agent"]))
    assert written["signer"] == "李娜" and written["demo_identity"] is False
    result = run_json(capsys, db_url, "letter", "verify", str(out), "--no-store")
    assert result["valid"] and result["trusted"] and result["signer"] == "李娜"
    assert result["signer_is_demo"] is False and result["problems"] == []


def test_rsa_certificate_and_human_readable_list(
    db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    create_ca_and_issue(capsys, db_url, secrets)
    run_json(capsys, db_url, "keys", "issue", "王强", "--rsa", "--ca-passphrase-file", str(secrets["ca"]),
             "--passphrase-file", str(secrets["agent"]))
    assert main(["--db", db_url, "keys", "list"]) == 0
    text = capsys.readouterr().out
    assert "签名身份：" in text and "李娜 — 本单位证书" in text and "王强 — 本单位证书" in text
    assert "信任的 CA：" in text and "演示" not in text


def test_import_p12_needs_its_ca_trusted_first(
    tmp_path: Path, db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    own_ca = create_site_ca(tmp_path / "own-ca", "自建 CA 网点", CA_PASSPHRASE)
    exported = issue_agent_certificate(own_ca, "李娜", AGENT_PASSPHRASE, directory=tmp_path / "export")
    before = tmp_path / "before.pdf"
    before.write_bytes(sign_pdf(render_letter(sample_content()), exported, AGENT_PASSPHRASE, reason="r",
                                location="l"))
    assert main(["--db", db_url, "--user", "boss", "letter", "verify", str(before), "--no-store", "--json"]) == 1
    untrusted = json.loads(capsys.readouterr().out)
    assert untrusted["intact"] and not untrusted["trusted"] and not untrusted["valid"]

    # The CA inside the .p12 is not trusted by importing it: the import is refused.
    refused = run_failing(capsys, db_url, "keys", "import", str(exported.path), "--passphrase-file",
                          str(secrets["agent"]))
    assert "不是本单位信任的 CA 签发的" in refused
    assert run_json(capsys, db_url, "keys", "list")["trust_roots"] == []

    run_json(capsys, db_url, "keys", "trust", str(own_ca.directory / "ca.pem"))  # boss is the admin
    imported = run_json(capsys, db_url, "keys", "import", str(exported.path),
                        "--passphrase-file", str(secrets["agent"]))
    assert imported["agent"] == "李娜" and imported["issuer"] == "自建 CA 网点" and not imported["demo"]
    assert Path(imported["path"]).parent != exported.path.parent
    assert run_json(capsys, db_url, "letter", "verify", str(before), "--no-store")["trusted"]
    after = tmp_path / "after.pdf"
    written = run_json(capsys, db_url, "letter", "render-sample", "--out", str(after), "--sign",
                       "--passphrase-file", str(secrets["agent"]))
    assert written["demo_identity"] is False
    assert run_json(capsys, db_url, "letter", "verify", str(after), "--no-store")["valid"]


def test_trust_a_ca_certificate_and_reject_a_non_certificate(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = create_site_ca(tmp_path / "other", "兄弟网点", CA_PASSPHRASE)
    trusted = run_json(capsys, db_url, "keys", "trust", str(other.directory / "ca.pem"))
    assert trusted["subject"].startswith("CN=兄弟网点 CA")
    listing = run_json(capsys, db_url, "keys", "list")
    assert [root["fingerprint"] for root in listing["trust_roots"]] == [trusted["fingerprint"]]
    assert listing["site_ca"] is None and listing["identities"] == []
    garbage = tmp_path / "notes.txt"
    garbage.write_text("hello", encoding="utf-8")
    assert "不是证书" in run_failing(capsys, db_url, "keys", "trust", str(garbage))
    assert "无法读取" in run_failing(capsys, db_url, "keys", "trust", str(tmp_path / "missing.pem"))


def test_an_agent_cannot_create_a_ca_or_issue(
    services: object, db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # "clerk" is a plain agent (tests/letters/conftest.py); the permission table refuses keys.manage.
    error = run_failing(capsys, db_url, "keys", "create-ca", "--name", "冒名网点",
                        "--ca-passphrase-file", str(secrets["ca"]), user="clerk")
    assert "无权执行此操作" in error and "clerk" in error and "签名密钥" in error
    assert not (site_ca_dir() / "ca.p12").exists()
    error = run_failing(capsys, db_url, "keys", "issue", "李娜", "--ca-passphrase-file", str(secrets["ca"]),
                        "--passphrase-file", str(secrets["agent"]), user="clerk")
    assert "无权执行此操作" in error


def test_wrong_passphrases_and_missing_files_are_explained(
    tmp_path: Path, db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    issued = create_ca_and_issue(capsys, db_url, secrets)
    error = run_failing(capsys, db_url, "keys", "issue", "王强", "--ca-passphrase-file", str(secrets["wrong"]),
                        "--passphrase-file", str(secrets["agent"]))
    assert "口令错误" in error and "ca.p12" in error
    error = run_failing(capsys, db_url, "keys", "import", issued["path"], "--passphrase-file", str(secrets["wrong"]))
    assert "口令错误" in error
    error = run_failing(capsys, db_url, "--lang", "en", "keys", "import", str(tmp_path / "none.p12"),
                        "--passphrase-file", str(secrets["agent"]))
    assert "does not exist" in error
    error = run_failing(capsys, db_url, "keys", "create-ca", "--name", "第二个", "--ca-passphrase-file",
                        str(secrets["ca"]))
    assert "已存在" in error or "already exists" in error
    error = run_failing(capsys, db_url, "keys", "create-ca", "--name", "X", "--ca-passphrase-file",
                        str(tmp_path / "absent.txt"))
    assert "无法读取口令文件" in error or "absent.txt" in error


def test_a_real_ca_retires_the_demo_identity(
    tmp_path: Path, db_url: str, secrets: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    demo_pdf = tmp_path / "demo.pdf"
    demo = run_json(capsys, db_url, "letter", "render-sample", "--out", str(demo_pdf), "--sign",
                    "--passphrase-file", str(secrets["agent"]))
    assert demo["demo_identity"] is True
    assert [i["demo"] for i in run_json(capsys, db_url, "keys", "list")["identities"]] == [True]
    created = run_json(capsys, db_url, "keys", "create-ca", "--name", "XX电信客户服务中心",
                       "--ca-passphrase-file", str(secrets["ca"]))
    retired = Path(created["retired_demo"])
    assert (retired / "site-ca" / "ca.p12").is_file() and len(list((retired / "agents").glob("*.p12"))) == 1
    listing = run_json(capsys, db_url, "keys", "list")
    assert listing["identities"] == [] and not listing["site_ca"]["demo"]
    # With a real site CA an agent without a certificate is told to get one, not given a demo one.
    error = run_failing(capsys, db_url, "letter", "render-sample", "--out", str(tmp_path / "x.pdf"), "--sign",
                        "--passphrase-file", str(secrets["agent"]))
    assert "李娜 还没有签名证书" in error


def test_subprocess_create_issue_and_list(tmp_path: Path, db_url: str, secrets: dict[str, Path]) -> None:
    env = {**os.environ, "COMPLAINT_DESK_KEY_PASSPHRASE": AGENT_PASSPHRASE.decode()}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop.cli.main", "--db", db_url, *args], cwd=REPO,
                              env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)

    created = run("keys", "create-ca", "--name", "子进程网点", "--ca-passphrase-file", str(secrets["ca"]))
    assert created.returncode == 0, created.stderr
    issued = run("keys", "issue", "张三", "--ca-passphrase-file", str(secrets["ca"]), "--json")
    assert issued.returncode == 0, issued.stderr
    assert json.loads(issued.stdout)["agent"] == "张三"
    listed = run("keys", "list", "--json")
    assert [i["agent"] for i in json.loads(listed.stdout)["identities"]] == ["张三"]
    missing = run("keys", "issue", "李四", "--ca-dir", str(tmp_path / "nowhere"), "--ca-passphrase-file",
                  str(secrets["ca"]))
    assert missing.returncode == 2 and "keys create-ca" in missing.stderr
