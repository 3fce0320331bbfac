"""Offline review round trip on real SQLite files and PostgreSQL: export → central edit → offline review →
import with the conflict kept, applied once; tampered, expired and crashed-while-reviewing bundles."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from sqlalchemy import func, select

from desktop.bundle.file import BundleError, Decision, OpenBundle, PrivateKey, journal_path, read_bundle
from desktop.domain.workflow import Action
from desktop.letters.keys import (
    create_site_ca,
    issue_agent_certificate,
    load_key_and_chain,
    site_ca_dir,
    site_trust_roots,
)
from desktop.services.app import AppServices
from desktop.services.bundles import BundleService
from desktop.store.models import ComplaintEvent, ReviewBundleRecord
from tests.accounts import open_as
from tests.services.test_complaints import sample

KEY_PASSPHRASE = b"supervisor-key-secret"
BUNDLE_PASSPHRASE = "review-on-the-train"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, db_url: str) -> str:
    return str(request.getfixturevalue("postgres_url")) if request.param == "postgresql" else db_url


@pytest.fixture
def supervisor(store_url: str) -> Iterator[AppServices]:
    app = open_as(store_url, "wangzg", role="supervisor", display_name="王主管")
    yield app
    app.close()


def signing_key() -> tuple[PrivateKey, x509.Certificate]:
    ca = create_site_ca(site_ca_dir(), "朝阳门营业厅测试站点", KEY_PASSPHRASE)
    identity = issue_agent_certificate(ca, "王主管", KEY_PASSPHRASE)
    key, certificate, _chain = load_key_and_chain(identity, KEY_PASSPHRASE)
    return key, certificate


def export_bundle(services: AppServices, numbers: list[str], path: Path, *, days: int = 7) -> Path:
    """Export ``numbers`` signed with a fresh site CA's certificate for the supervisor."""
    key, certificate = signing_key()
    BundleService(services.sessions, services.complaints, services.actor).export(
        services.actor, numbers, path, passphrase=BUNDLE_PASSPHRASE, expires_in=timedelta(days=days), key=key,
        certificate=certificate)
    return path


def pending_case(app: AppServices, agent: AppServices) -> str:
    number = agent.complaints.create(agent.actor, sample(customer_name="张三丰", phone="13812345678",
                                                         id_number="11010519491231002X",
                                                         address="北京市东城区朝阳门内大街1号")).number
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        agent.complaints.transition(agent.actor, number, action)
    agent.complaints.update(agent.actor, number, {"resolution": "退还多扣的58元。"},
                            agent.complaints.get(number).version)
    agent.complaints.transition(agent.actor, number, Action.SUBMIT_FOR_APPROVAL)
    return number


def decide(bundle: OpenBundle, kind: str, number: str, **payload: object) -> Decision:
    case = bundle.case(number)
    decision = Decision(id=str(uuid.uuid4()), kind=kind, number=number, version=case["version"],
                        payload=dict(payload), at=datetime.now(UTC).isoformat(), reviewer="wangzg")
    bundle.record(decision)
    return decision


def test_offline_round_trip_keeps_conflicts_and_applies_once(supervisor: AppServices, store_url: str,
                                                             tmp_path: Path) -> None:
    agent = open_as(store_url, "lizx", role="agent", display_name="李坐席")
    other = open_as(store_url, "zhaozx", role="agent", display_name="赵坐席")
    try:
        changed, untouched = pending_case(supervisor, agent), pending_case(supervisor, agent)
        service = BundleService(supervisor.sessions, supervisor.complaints, supervisor.actor)
        numbers = service.select_numbers(queue="approval")
        assert numbers == sorted(numbers, key=lambda n: supervisor.complaints.get(n).reply_due_at)
        assert set(numbers) == {changed, untouched}
        key, certificate = signing_key()
        path = tmp_path / "review.cdbundle"
        result = service.export(supervisor.actor, numbers, path, passphrase=BUNDLE_PASSPHRASE,
                                expires_in=timedelta(days=7), key=key, certificate=certificate)
        assert result.case_count == 2 and path.stat().st_size == result.size
        raw = path.read_bytes()
        assert "张三丰".encode() not in raw and b"13812345678" not in raw  # encrypted

        # Meanwhile at the centre, the agent keeps working on one of the cases.
        version = agent.complaints.get(changed).version
        agent.complaints.update(agent.actor, changed, {"resolution": "退还58元并赠送流量包。"}, version)

        # On the laptop: no database, only the bundle.
        bundle = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
        case = bundle.case(changed)
        assert case["fields"]["customer_name"] == "张**"
        assert case["fields"]["phone"] == "138****5678"
        assert case["fields"]["id_number"] == "110105********002X"
        assert case["fields"]["address"].startswith("北京市东城区") and "朝阳门" not in case["fields"]["address"]
        assert next(h["kind"] for h in case["history"]) == "created"
        assert {a["login"] for a in bundle.agents} >= {"lizx", "zhaozx"}
        decide(bundle, "return", changed, reason="补充退费凭证")
        decide(bundle, "approve", untouched, comment="同意")
        decide(bundle, "reassign", untouched, login="zhaozx", display_name="赵坐席")
        decide(bundle, "qa_score", untouched, score=92, comment="处理规范")
        decide(bundle, "comment", untouched, text="下次请附通话录音")

        reopened = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
        assert [d.kind for d in reopened.decisions] == ["return", "approve", "reassign", "qa_score", "comment"]
        outcome = service.apply(supervisor.actor, reopened)
        assert [d.kind for d in outcome.applied] == ["approve", "reassign", "qa_score", "comment"]
        assert [c.decision.number for c in outcome.conflicts] == [changed]
        conflict = outcome.conflicts[0]
        assert conflict.current.resolution == "退还58元并赠送流量包。"  # central side kept, not overwritten
        assert any("resolution" in line for line in conflict.changes_since)
        assert supervisor.complaints.get(changed).status == "pending_approval"
        notes = [e for e in supervisor.complaints.events(changed) if e.action == "offline_conflict"]
        assert len(notes) == 1 and "补充退费凭证" in (notes[0].note or "")  # the review side kept too
        assert supervisor.complaints.get(untouched).assigned_agent_id == other.actor.id
        kinds = [(e.kind, e.action) for e in supervisor.complaints.events(untouched)]
        assert ("approval", "approve") in kinds and ("review", "qa_score") in kinds and ("bundle_export", None) in kinds
        with supervisor.sessions() as session:
            record = session.get(ReviewBundleRecord, bundle.bundle_id)
            assert record is not None and record.imported_at is not None
            assert len(json.loads(record.outcome or "{}")["conflicts"]) == 1

        def event_count() -> int:
            with supervisor.sessions() as session:
                return int(session.execute(select(func.count(ComplaintEvent.id))).scalar_one())

        before = event_count()
        again = service.apply(supervisor.actor, read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE))
        assert again.already_applied and not again.applied and event_count() == before
    finally:
        agent.close()
        other.close()


def test_flipped_byte_wrong_passphrase_and_expiry_are_refused(services: AppServices, tmp_path: Path) -> None:
    number = services.complaints.create(services.actor, sample()).number
    path = export_bundle(services, [number], tmp_path / "b.cdbundle", days=1)
    roots = site_trust_roots()
    with pytest.raises(BundleError, match="过期"):
        read_bundle(path, roots, now=datetime.now(UTC) + timedelta(days=2))
    with pytest.raises(BundleError, match="口令"):
        read_bundle(path, roots).open("not-the-passphrase")
    data = bytearray(path.read_bytes())
    for position in (len(data) // 2, 40, len(data) - 1):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        (tmp_path / "f.cdbundle").write_bytes(bytes(flipped))
        with pytest.raises(BundleError):
            read_bundle(tmp_path / "f.cdbundle", roots)
    with pytest.raises(BundleError, match="不信任"):
        read_bundle(path, [])


def test_a_decision_survives_sigkill_right_after_it_is_saved(services: AppServices, tmp_path: Path) -> None:
    number = services.complaints.create(services.actor, sample()).number
    path = export_bundle(services, [number], tmp_path / "k.cdbundle", days=1)
    script = (
        "import sys, time, uuid\n"
        "from desktop.bundle.file import Decision, read_bundle\n"
        "from pathlib import Path\n"
        "from desktop.letters.keys import site_trust_roots\n"
        f"bundle = read_bundle(Path({str(path)!r}), site_trust_roots()).open({BUNDLE_PASSPHRASE!r})\n"
        f"bundle.record(Decision(str(uuid.uuid4()), 'comment', {number!r}, 1, {{'text': '已阅'}}, 'now', 'x'))\n"
        "print('saved', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True,
                               env=dict(os.environ))
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "saved"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    process.stdout.close()
    # A torn record (killed while writing the next one) is ignored, and appending continues after it.
    with open(journal_path(path), "ab") as handle:
        handle.write(b"\x00\x00\x01\x00partial")
    bundle = read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE)
    assert [d.payload for d in bundle.decisions] == [{"text": "已阅"}]
    decide(bundle, "approve", number)
    assert [d.kind for d in read_bundle(path, site_trust_roots()).open(BUNDLE_PASSPHRASE).decisions] == [
        "comment", "approve"]
