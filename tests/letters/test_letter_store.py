"""A case's letter end to end: store → content → signed PDF archived → reprint → new revision."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.domain.workflow import Action
from desktop.law import Citation, LawIndex
from desktop.services.app import AppServices

PASSPHRASE = "测试口令-2025年"


def _replied_case(services: AppServices) -> str:
    record = services.complaints.create(services.actor, {
        "received_at": "2025-03-03T10:15:00+08:00", "channel": "counter", "category": "broadband",
        "customer_name": "张伟", "phone": "13800138000",
        "description": "宽带新装约定2月20日开通，实际3月1日才开通。", "demand": "要求支付逾期开通违约金"})
    number = record.number
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        services.complaints.transition(services.actor, number, action)
    services.complaints.update(services.actor, number, {"investigation_notes": "经核查，因我司排期原因逾期9天开通。"},
                               services.complaints.get(number).version)
    services.complaints.transition(services.actor, number, Action.REPLY, details={
        "resolution": "按日支付违约金并减免当月月租。", "reply_method": "in_person", "compensation": "45.00"})
    hit = LawIndex(services.law_pack).search("电信条例 31")[0]
    services.citations.add(services.actor, number, Citation.of(hit.statute, hit.article))
    return number


def test_render_sign_archive_reprint_and_correct(services: AppServices, db_url: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    number = _replied_case(services)
    monkeypatch.setenv("COMPLAINT_DESK_KEY_PASSPHRASE", PASSPHRASE)
    first = tmp_path / "first.pdf"
    args = ["--db", db_url, "--user", "tester", "letter", "render", number, "--out"]
    assert main([*args, str(first), "--sign", "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written["revision"] == 1 and written["signed"]
    assert written["signer"] == "测试员"  # the issuing agent is named on the letter and signs it

    assert main(["--db", db_url, "letter", "verify", str(first), "--json"]) == 0
    verified = json.loads(capsys.readouterr().out)
    assert verified["valid"] and verified["intact"] and verified["complaint"] == number
    assert verified["known"] is True  # the exact bytes the store archived
    assert verified["signer"] == "测试员"

    text = subprocess.run(["pdftotext", "-layout", str(first), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())
    article = services.citations.list(number)[0].citation.text
    assert "".join(article.split()) in flat  # the cited article, character for character
    assert "12300" in flat and number in flat

    again = tmp_path / "again.pdf"
    assert main([*args, str(again), "--sign", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reprinted"] is True
    assert again.read_bytes() == first.read_bytes()

    corrected = tmp_path / "corrected.pdf"
    assert main([*args, str(corrected), "--sign", "--new-revision", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["revision"] == 2
    revisions = services.letters.revisions(number)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[0].pdf == first.read_bytes()
    assert revisions[0].sha256 == hashlib.sha256(first.read_bytes()).hexdigest()
    assert [e.kind for e in services.complaints.events(number)].count("letter") == 2


def test_secondary_citation_needs_confirmation(services: AppServices) -> None:
    from desktop.services.errors import ServiceError

    number = _replied_case(services)
    appeal_rules = services.law_pack.find_statute("电信用户申诉处理办法")
    article = appeal_rules.articles[0]
    citation = Citation.of(appeal_rules, article)
    with pytest.raises(ServiceError):
        services.citations.add(services.actor, number, citation)
    stored = services.citations.add(services.actor, number, citation, confirmed=True)
    assert stored.confirmed_by_agent
    content = services.letters.content(number)
    assert any(not c.verified and c.confirmed_by_agent for c in content.citations)


def test_customer_signature_goes_into_content(services: AppServices) -> None:
    number = _replied_case(services)
    strokes = (((0.1, 0.5, 1.0), (0.5, 0.4, 1.0), (0.9, 0.6, 1.0)),)
    services.letters.save_customer_signature(services.actor, number, strokes)
    assert services.letters.content(number).customer_signature == strokes


def test_no_letter_with_an_empty_section(services: AppServices) -> None:
    from desktop.i18n import set_language
    from desktop.services.errors import ServiceError

    number = services.complaints.create(services.actor, {
        "received_at": "2025-03-03T10:15:00+08:00", "channel": "counter", "category": "billing",
        "customer_name": "张伟", "phone": "13800138000", "description": "多扣费", "demand": "退费"}).number
    set_language("en")
    with pytest.raises(ServiceError) as caught:
        services.letters.content(number)
    assert "findings" in str(caught.value) and "resolution" in str(caught.value)
