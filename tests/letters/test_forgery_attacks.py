"""Issue #8 part C: every forgery that used to get through now fails, with real PDFs, pyHanko and pdfsig."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import pdf_byterange
from sqlalchemy import select

from desktop.cli.main import main
from desktop.letters.audit_key import issue_audit_certificate
from desktop.letters.keys import (
    SigningIdentity,
    WeakPassphraseError,
    agents_dir,
    create_site_ca,
    issue_agent_certificate,
    keys_dir,
    open_site_ca,
    site_ca_dir,
    site_trust_roots,
)
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf
from desktop.letters.verify import MAX_PDF_BYTES, verify_pdf
from desktop.services.app import AppServices
from desktop.store.models import KeyEvent
from tests.letters.conftest import PASSPHRASE, poppler

FORGER_PASSPHRASE = b"forger-2025!"


def sign(pdf: bytes, identity: SigningIdentity, passphrase: bytes = PASSPHRASE) -> bytes:
    return sign_pdf(pdf, identity, passphrase, reason="处理结果告知书", location="朝阳门营业厅")


def pdfsig(tmp_path: Path, pdf: bytes) -> list[str]:
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    return [line.strip() for line in poppler("pdfsig", str(path)).splitlines()]


def verify_cli(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> tuple[int, Any]:
    code = main(["letter", "verify", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def forged_letter(tmp_path: Path) -> tuple[bytes, Path]:
    """A letter signed under a self-made "CA" that claims the site's name; its .p12 carries that root."""
    fake_ca = create_site_ca(tmp_path / "fake-ca", "朝阳门营业厅测试站点", FORGER_PASSPHRASE)
    forger = issue_agent_certificate(fake_ca, "李娜", FORGER_PASSPHRASE, directory=tmp_path / "fake-agent")
    return sign(render_letter(sample_content()), forger, FORGER_PASSPHRASE), forger.path


def replace_page_text(pdf: bytes, text: bytes) -> bytes:
    """An incremental update that swaps page 1's content stream (what a forger edits)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (" + text
                                                                + b") Tj ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- keys: trust, import, file modes, passphrases ------------------------------------------------


def test_an_agent_cannot_trust_a_ca_and_the_admin_trust_is_audited(
    services: AppServices, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_ca = create_site_ca(tmp_path / "fake-ca", "冒名网点", FORGER_PASSPHRASE)
    assert main(["--db", db_url, "--user", "clerk", "keys", "trust", str(fake_ca.directory / "ca.pem")]) == 2
    assert "无权执行此操作" in capsys.readouterr().err
    assert site_trust_roots() == []
    assert main(["--db", db_url, "--user", services.actor.login, "keys", "trust",
                 str(fake_ca.directory / "ca.pem"), "--json"]) == 0
    capsys.readouterr()
    with services.sessions() as session:
        [event] = session.execute(select(KeyEvent)).scalars().all()
    assert event.action == "trust_ca" and event.actor_id == services.actor.id
    assert event.subject.startswith("CN=冒名网点 CA")
    [logged] = services.keys.events(services.actor)
    assert logged.actor == services.actor.login and logged.fingerprint == event.fingerprint
    assert main(["--db", db_url, "--user", services.actor.login, "keys", "log", "--json"]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)] == ["trust_ca"]
    assert main(["--db", db_url, "--user", "clerk", "keys", "log"]) == 2  # the audit is for administrators
    assert "无权执行此操作" in capsys.readouterr().err


def test_importing_a_p12_never_trusts_the_root_inside_it(
    identity: SigningIdentity, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    forged, forger_p12 = forged_letter(tmp_path)
    roots_before = site_trust_roots()
    monkeypatch.setenv("COMPLAINT_DESK_KEY_PASSPHRASE", FORGER_PASSPHRASE.decode())
    assert main(["--db", db_url, "--user", "boss", "keys", "import", str(forger_p12)]) == 2
    assert "不是本单位信任的 CA 签发的" in capsys.readouterr().err
    assert site_trust_roots() == roots_before  # the self-made root did not slip in
    letter = tmp_path / "forged.pdf"
    letter.write_bytes(forged)
    code, result = verify_cli(capsys, letter, "--no-store")  # no --require-trusted: still refused
    assert code == 1 and not result["valid"] and not result["trusted"] and result["intact"]
    assert any("不能链接到本单位 CA" in p for p in result["problems"])
    lines = pdfsig(tmp_path, forged)  # poppler agrees the maths is fine: only trust is missing
    assert "- Signature Validation: Signature is Valid." in lines


def test_key_files_folders_and_the_database_are_private(services: AppServices, identity: SigningIdentity,
                                                        db_url: str) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes; Windows uses icacls")
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(keys_dir()) == 0o700 and mode(site_ca_dir()) == 0o700 and mode(identity.path.parent) == 0o700
    for path in (site_ca_dir() / "ca.p12", site_ca_dir() / "ca.pem", identity.path, identity.certificate_path):
        assert mode(path) == 0o600, path
    database = Path(db_url.removeprefix("sqlite:///"))
    assert mode(database) == 0o600
    assert all(mode(p) == 0o600 for p in database.parent.glob(database.name + "-*"))  # WAL/SHM copy it


def test_a_new_key_needs_a_strong_passphrase(tmp_path: Path) -> None:
    with pytest.raises(WeakPassphraseError, match="至少需要 10 个字符"):
        create_site_ca(tmp_path / "ca", "网点", b"x")
    with pytest.raises(WeakPassphraseError, match="不能只用一类字符"):
        create_site_ca(tmp_path / "ca", "网点", b"aaaaaaaaaaaa")
    ca = create_site_ca(tmp_path / "ca", "网点", "投诉受理台口令2025".encode())
    with pytest.raises(WeakPassphraseError):
        issue_agent_certificate(ca, "李娜", b"1234567890")
    assert not agents_dir().exists() or not list(agents_dir().glob("*.p12"))


# -- letter verify: every signature, the whole document --------------------------------------


def test_text_changed_after_the_first_signature_then_countersigned_is_not_valid(
    identity: SigningIdentity, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    second = issue_agent_certificate(open_site_ca(site_ca_dir(), PASSPHRASE), "王伟", PASSPHRASE)
    signed = sign(render_letter(sample_content()), identity)
    forged = sign(replace_page_text(signed, "180日".encode("utf-16-be")), second)
    result = verify_pdf(forged, site_trust_roots())
    assert not result.valid and result.intact and result.trusted  # each signature alone is fine…
    assert any("签名 1（李娜）" in p and "签名后文档被修改" in p for p in result.problems)  # …the edit is not
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    code, json_result = verify_cli(capsys, path, "--no-store")
    assert code == 1 and len(json_result["signatures"]) == 2
    lines = pdfsig(tmp_path, forged)  # the independent check: signature 1 does not cover the document
    first = lines[lines.index("Signature #1:"):lines.index("Signature #2:")]
    assert "- Not total document signed" in first and "- Signature Validation: Signature is Valid." in first

    honest = sign(signed, second)  # a counter-signature that changes nothing stays valid
    honest_result = verify_pdf(honest, site_trust_roots())
    assert honest_result.valid, honest_result.problems
    assert [s.signer for s in honest_result.signatures] == ["李娜", "王伟"]
    assert pdfsig(tmp_path, honest).count("- Signature Validation: Signature is Valid.") == 2


def test_an_unknown_letter_is_not_valid_when_a_store_is_available(
    identity: SigningIdentity, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sample.pdf"
    path.write_bytes(sign(render_letter(sample_content()), identity))
    assert main(["--db", db_url, "letter", "verify", str(path), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["known"] is False and not result["valid"] and result["trusted"]
    assert any("未知的告知书" in p for p in result["problems"])


def _sign_with_date(monkeypatch: pytest.MonkeyPatch, identity: SigningIdentity, date: bytes | None) -> bytes:
    """Sign with a doctored pyHanko that writes ``date`` as /M (None: no signing date at all)."""
    original = pdf_byterange.SignatureObject.__init__

    def doctored(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if date is None:
            self.pop(generic.pdf_name("/M"), None)
        else:
            self[generic.pdf_name("/M")] = generic.pdf_string(date.decode("ascii"))

    with monkeypatch.context() as patch:
        patch.setattr(pdf_byterange.SignatureObject, "__init__", doctored)
        return sign(render_letter(sample_content()), identity)


def test_missing_broken_or_future_signing_dates_are_not_valid(
    identity: SigningIdentity, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    undated = verify_pdf(_sign_with_date(monkeypatch, identity, None), site_trust_roots())
    assert not undated.valid and any("没有签名日期" in p for p in undated.problems)
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4000)).strftime("D:%Y%m%d%H%M%SZ").encode()
    later = verify_pdf(_sign_with_date(monkeypatch, identity, future), site_trust_roots())
    assert not later.valid and any("在将来" in p for p in later.problems)
    assert any("不在证书有效期内" in p for p in later.problems)
    broken = verify_pdf(_sign_with_date(monkeypatch, identity, b"D:2025-13-45"), site_trust_roots())
    assert not broken.valid and broken.problems
    lines = pdfsig(tmp_path, _sign_with_date(monkeypatch, identity, None))
    assert "- Signature Validation: Signature is Valid." in lines  # the dates, not the maths, are wrong


def test_malformed_and_oversized_pdfs_are_refused_clearly(
    identity: SigningIdentity, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = sign(render_letter(sample_content()), identity)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(signed[: len(signed) // 2])
    code, result = verify_cli(capsys, truncated, "--no-store")
    assert code == 1 and not result["valid"] and result["problems"]
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:  # sparse: 60 MB on paper, nothing read
        handle.truncate(MAX_PDF_BYTES + 10 * 1024 * 1024)
    assert main(["letter", "verify", str(big)]) == 2
    assert "50 MB" in capsys.readouterr().err
    assert not verify_pdf(b"%PDF-1.7\n" + b"0" * 64, site_trust_roots()).valid


def test_the_audit_key_is_as_private_as_an_agents_key(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes; Windows uses icacls")
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    ca = create_site_ca(tmp_path / "ca", "网点", b"Audit-CA-pass-2026")
    p12 = issue_audit_certificate(ca, b"Audit-key-pass-2026", tmp_path / "audit")
    assert mode(p12.parent) == 0o700
    assert mode(p12) == 0o600 and mode(p12.with_suffix(".pem")) == 0o600
