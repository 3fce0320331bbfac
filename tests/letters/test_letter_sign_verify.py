"""Signing and verification, checked by the app and independently by poppler's pdfsig."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.letters.keys import (
    SigningIdentity,
    UntrustedCertificateError,
    WrongPassphraseError,
    create_site_ca,
    ensure_demo_identity,
    import_pkcs12,
    import_trust_root,
    issue_agent_certificate,
    site_trust_roots,
)
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf
from desktop.letters.stamp import render_stamp
from desktop.letters.verify import verify_pdf
from tests.letters.conftest import PASSPHRASE, pdf_text, poppler


def signed_letter(identity: SigningIdentity, revision: int = 1) -> bytes:
    return sign_pdf(
        render_letter(sample_content(revision=revision)),
        identity,
        PASSPHRASE,
        reason="处理结果告知书",
        location="朝阳门营业厅",
    )


def pdfsig_validation(tmp_path: Path, pdf: bytes) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    lines = [line.strip() for line in poppler("pdfsig", str(path)).splitlines()]
    found = [line for line in lines if line.startswith("- Signature Validation:")]
    assert len(found) == 1, lines
    return found[0].split(":", 1)[1].strip()


def flip_byte_in_signed_range(pdf: bytes) -> bytes:
    """Change one character of the complaint number in the info dictionary (first signed range)."""
    position = pdf.index(b"complaint=TS-2025-000123") + len(b"complaint=TS-2025-00012")
    contents_start = pdf.index(b"/Contents <")
    assert position < contents_start  # inside ByteRange [0, contents_start)
    tampered = bytearray(pdf)
    tampered[position] = ord("9")
    return bytes(tampered)


def test_sign_then_verify_round_trip(identity: SigningIdentity, tmp_path: Path) -> None:
    pdf = signed_letter(identity)
    result = verify_pdf(pdf, site_trust_roots())
    assert result.valid and result.intact and result.trusted
    assert result.signer == "李娜"
    assert result.complaint == "TS-2025-000123" and result.revision == 1
    assert result.signed_at is not None and result.problems == []
    assert pdfsig_validation(tmp_path, pdf) == "Signature is Valid."
    json_view = result.to_json()
    assert {"valid", "intact", "signer", "signed_at", "trusted", "complaint"} <= json_view.keys()


def test_one_changed_byte_is_caught_by_app_and_pdfsig(
    identity: SigningIdentity, tmp_path: Path
) -> None:
    tampered = flip_byte_in_signed_range(signed_letter(identity))
    result = verify_pdf(tampered, site_trust_roots())
    assert not result.valid and not result.intact
    assert any("tampered" in p or "篡改" in p for p in result.problems)
    assert pdfsig_validation(tmp_path, tampered) != "Signature is Valid."
    assert "Digest Mismatch" in pdfsig_validation(tmp_path, tampered)


def test_byte_changed_inside_page_content_is_caught(identity: SigningIdentity) -> None:
    pdf = signed_letter(identity)
    start = pdf.index(b"stream\n", pdf.index(b"/FlateDecode")) + 200
    tampered = bytearray(pdf)
    tampered[start] ^= 0x01
    assert not verify_pdf(bytes(tampered), site_trust_roots()).intact


def test_content_appended_after_signing_is_not_valid(identity: SigningIdentity) -> None:
    pdf = signed_letter(identity) + b"\n% appended\n"
    result = verify_pdf(pdf, site_trust_roots())
    assert not result.valid


def test_foreign_ca_is_intact_but_not_trusted(identity: SigningIdentity, tmp_path: Path) -> None:
    other = create_site_ca(tmp_path / "other", "别的网点", PASSPHRASE)
    result = verify_pdf(signed_letter(identity), [other.certificate])
    assert not result.valid and result.intact and not result.trusted
    assert any("does not chain to the site CA" in p or "不能链接到本单位 CA" in p for p in result.problems)
    assert verify_pdf(signed_letter(identity), None).trusted is False


def test_rsa_identity_signs(tmp_path: Path) -> None:
    ca = create_site_ca(tmp_path / "ca", "RSA 站点", PASSPHRASE)
    rsa_identity = issue_agent_certificate(ca, "王强", PASSPHRASE, key_type="rsa")
    pdf = signed_letter(rsa_identity)
    result = verify_pdf(pdf, [ca.certificate])
    assert result.valid and result.trusted and result.signer == "王强"
    assert pdfsig_validation(tmp_path, pdf) == "Signature is Valid."


def test_wrong_passphrase_gives_a_clear_message(identity: SigningIdentity) -> None:
    with pytest.raises(WrongPassphraseError, match=r"口令错误|passphrase"):
        sign_pdf(render_letter(sample_content()), identity, b"wrong", reason="r", location="l")


def test_revision_two_keeps_revision_one(identity: SigningIdentity) -> None:
    first = signed_letter(identity, revision=1)
    kept = bytes(first)
    second = signed_letter(identity, revision=2)
    assert first == kept
    results = [verify_pdf(pdf, site_trust_roots()) for pdf in (first, second)]
    assert all(r.valid and r.trusted for r in results)
    assert [r.revision for r in results] == [1, 2]
    assert results[0].fingerprint != results[1].fingerprint


def test_demo_identity_is_labelled(tmp_path: Path) -> None:
    identity = ensure_demo_identity("新手坐席", PASSPHRASE)
    assert identity.is_demo and "DEMO" in identity.subject
    assert ensure_demo_identity("新手坐席", PASSPHRASE) == identity  # reused, not recreated
    result = verify_pdf(signed_letter(identity), site_trust_roots())
    assert result.valid and result.trusted and result.signer_is_demo
    stamp = tmp_path / "stamp.pdf"
    stamp.write_bytes(
        render_stamp(
            width=204,
            height=68,
            language="zh_CN",
            signer="新手坐席",
            issuer=identity.issuer,
            signed_at=__import__("datetime").datetime(2025, 3, 10, 1, 5, tzinfo=__import__("datetime").UTC),
            is_demo=True,
        )
    )
    text = pdf_text(stamp)
    assert "演示身份" in text and "新手坐席" in text and "2025年3月10日 09:05" in text  # 01:05 UTC, Beijing


def test_imported_pkcs12_signs_once_its_ca_is_trusted(tmp_path: Path) -> None:
    own_ca = create_site_ca(tmp_path / "own-ca", "自建 CA 网点", PASSPHRASE)
    exported = issue_agent_certificate(own_ca, "赵敏", PASSPHRASE, directory=tmp_path / "export")
    with pytest.raises(UntrustedCertificateError):
        import_pkcs12(exported.path, PASSPHRASE)
    assert site_trust_roots() == []  # the CA inside the .p12 was not trusted on the way
    import_trust_root(own_ca.directory / "ca.pem")
    imported = import_pkcs12(exported.path, PASSPHRASE)
    assert imported.agent_name == "赵敏" and imported.path != exported.path
    assert verify_pdf(signed_letter(imported), site_trust_roots()).valid
    with pytest.raises(WrongPassphraseError):
        import_pkcs12(exported.path, b"nope")


def test_unsigned_and_non_pdf_inputs(identity: SigningIdentity) -> None:
    unsigned = verify_pdf(render_letter(sample_content()), site_trust_roots())
    assert not unsigned.valid and unsigned.complaint == "TS-2025-000123"
    garbage = verify_pdf(b"this is not a pdf", site_trust_roots())
    assert not garbage.valid and garbage.problems
