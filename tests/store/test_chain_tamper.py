"""Tampering with the history behind the app's back is detected: real files and a real server, no mocks.

On SQLite the file is opened with plain ``sqlite3`` and the append-only triggers are dropped; on
PostgreSQL the owner/superuser disables them. Each way of rewriting history must be reported by
``audit verify``, naming the sequence number and the case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from desktop.domain.workflow import Action
from desktop.letters.audit_key import issue_audit_certificate
from desktop.letters.keys import create_site_ca
from desktop.services.app import AppServices
from desktop.services.audit import AuditReport, AuditService
from desktop.store.chain import entry_hash
from tests.accounts import open_as

PASSPHRASE = b"Shenji-Mima-2026!"


def complaint(phone: str) -> dict[str, Any]:
    return {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "张三", "phone": phone, "description": "账单多扣费58元", "demand": "要求退费"}


@dataclass
class Store:
    app: AppServices
    run: Callable[[str], list[tuple[Any, ...]]]  # plain SQL behind the app's back
    folder: Path
    numbers: list[str]

    def audit(self) -> AuditService:
        return AuditService(self.app.engine, self.app.sessions)

    def verify(self) -> AuditReport:
        from cryptography import x509

        root = x509.load_pem_x509_certificate((self.folder / "ca" / "ca.pem").read_bytes())
        return self.audit().verify(roots=[root], local_folder=self.folder / "copies")

    def checkpoint(self) -> None:
        self.audit().checkpoint(self.app.actor, PASSPHRASE, self.folder / "audit" / "audit.p12",
                                self.folder / "copies")

    def event(self, seq: int) -> dict[str, Any]:
        row = self.run(f"SELECT e.id, c.number FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
                       f"WHERE e.chain_seq = {seq}")[0]
        return {"id": row[0], "number": row[1]}


def _sqlite_runner(path: str) -> Callable[[str], list[tuple[Any, ...]]]:
    def run(sql: str) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(path)
        try:
            for name in ("complaint_events_no_update", "complaint_events_no_delete",
                         "chain_checkpoints_no_update", "chain_checkpoints_no_delete"):
                connection.execute(f"DROP TRIGGER IF EXISTS {name}")
            rows = connection.execute(sql).fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()
    return run


def _postgres_runner(url: str) -> Callable[[str], list[tuple[Any, ...]]]:
    def run(sql: str) -> list[tuple[Any, ...]]:
        engine = sqlalchemy.create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(sqlalchemy.text("ALTER TABLE complaint_events DISABLE TRIGGER USER"))
                connection.execute(sqlalchemy.text("ALTER TABLE chain_checkpoints DISABLE TRIGGER USER"))
                result = connection.execute(sqlalchemy.text(sql))
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()
    return run


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        path = (tmp_path / "store.sqlite3").as_posix()
        url, run = f"sqlite:///{path}", _sqlite_runner(path)
    else:
        url = request.getfixturevalue("postgres_url")
        run = _postgres_runner(url)
    app = open_as(url, "auditor", role="admin", display_name="审计员")
    ca = create_site_ca(tmp_path / "ca", "测试站点", PASSPHRASE)
    issue_audit_certificate(ca, PASSPHRASE, tmp_path / "audit")
    numbers = []
    for index in range(3):
        number = app.complaints.create(app.actor, complaint(f"1381234{index:04d}")).number
        app.complaints.transition(app.actor, number, Action.ACKNOWLEDGE)
        app.complaints.transition(app.actor, number, Action.INVESTIGATE)
        numbers.append(number)
    yield Store(app, run, tmp_path, numbers)
    app.close()


def kinds(report: AuditReport) -> list[tuple[str, int | None, str | None]]:
    return [(f.kind, f.seq, f.label) for f in report.chain.findings]


def test_untouched_history_is_intact_with_a_valid_checkpoint(store: Store) -> None:
    store.checkpoint()
    report = store.verify()
    assert report.intact, report.as_dict()
    assert report.chain.entries == 9 and report.chain.head_seq == 9
    assert [s.state for s in report.checkpoints] == ["ok"]
    assert report.checkpoints[0].signer_trusted is True


def test_edited_event_is_named_by_sequence_and_case(store: Store) -> None:
    target = store.event(5)
    store.run("UPDATE complaint_events SET note = '客户已撤诉' WHERE chain_seq = 5")
    report = store.verify()
    assert not report.intact
    assert kinds(report) == [("changed", 5, target["number"])]
    assert report.chain.findings[0].row_id == target["id"]


def test_edit_with_recomputed_hash_is_caught_by_the_next_entry(store: Store) -> None:
    # A careful forger recomputes the edited entry's own hash; the next entry still names the old one.
    row = store.run("SELECT e.prev_hash, c.uuid, e.at, u.login, e.kind, e.action, e.from_status, e.to_status, "
                    "e.changes FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
                    "JOIN users u ON u.id = e.actor_id WHERE e.chain_seq = 4")[0]
    at = row[2] if not isinstance(row[2], str) else __import__("datetime").datetime.fromisoformat(row[2])
    forged = entry_hash("complaint_events", 4, row[0], (row[1], at, row[3], row[4], row[5], row[6], row[7],
                                                        row[8], "伪造"))
    store.run(f"UPDATE complaint_events SET note = '伪造', hash = '{forged}' WHERE chain_seq = 4")
    report = store.verify()
    assert [(f.kind, f.seq) for f in report.chain.findings] == [("rewritten", 4)]


def test_deleted_event_is_reported_removed(store: Store) -> None:
    store.run("DELETE FROM complaint_events WHERE chain_seq = 3")
    report = store.verify()
    assert [(f.kind, f.seq, f.last_seq) for f in report.chain.findings] == [("removed", 3, 3)]


def test_inserted_events_are_reported(store: Store) -> None:
    first = store.run(f"SELECT id FROM complaints WHERE number = '{store.numbers[0]}'")[0][0]
    store.run("INSERT INTO complaint_events (complaint_id, at, actor_id, kind, changes) "
              f"VALUES ({first}, '2025-09-29 01:00:00', 1, 'updated', '{{}}')")
    store.run("INSERT INTO complaint_events (complaint_id, at, actor_id, kind, changes, chain_seq, prev_hash, hash) "
              f"VALUES ({first}, '2025-09-29 02:00:00', 1, 'updated', '{{}}', 10, '{'a' * 64}', '{'b' * 64}')")
    report = store.verify()
    assert sorted((f.kind, f.seq or 0, f.label) for f in report.chain.findings) == [
        ("inserted", 0, store.numbers[0]), ("inserted", 10, store.numbers[0])]


def test_reordered_events_are_reported_with_their_own_place(store: Store) -> None:
    store.run("UPDATE complaint_events SET chain_seq = -1 WHERE chain_seq = 6")
    store.run("UPDATE complaint_events SET chain_seq = 6 WHERE chain_seq = 7")
    store.run("UPDATE complaint_events SET chain_seq = 7 WHERE chain_seq = -1")
    report = store.verify()
    assert [(f.kind, f.seq, f.origin) for f in report.chain.findings] == [("reordered", 6, 7), ("reordered", 7, 6)]


def test_swapping_two_cases_histories_is_reported_on_both(store: Store) -> None:
    a, b = (store.run(f"SELECT id FROM complaints WHERE number = '{n}'")[0][0] for n in store.numbers[:2])
    store.run(f"UPDATE complaint_events SET complaint_id = CASE complaint_id WHEN {a} THEN {b} ELSE {a} END "
              f"WHERE complaint_id IN ({a}, {b})")
    report = store.verify()
    assert {f.kind for f in report.chain.findings} == {"changed"}
    assert [f.seq for f in report.chain.findings] == [1, 2, 3, 4, 5, 6]
    assert {f.label for f in report.chain.findings} == set(store.numbers[:2])


def test_truncated_tail_after_a_checkpoint_is_detected(store: Store) -> None:
    store.checkpoint()
    # Remove the last three entries and move the head back, so the chain itself looks whole.
    head = store.run("SELECT hash FROM complaint_events WHERE chain_seq = 6")[0][0]
    store.run("DELETE FROM complaint_events WHERE chain_seq > 6")
    store.run(f"UPDATE chain_head SET seq = 6, hash = '{head}'")
    report = store.verify()
    assert report.chain.intact
    assert not report.intact
    assert [s.state for s in report.checkpoints] == ["truncated"]


def test_truncated_tail_without_moving_the_head_is_detected(store: Store) -> None:
    store.run("DELETE FROM complaint_events WHERE chain_seq > 7")
    report = store.verify()
    assert [(f.kind, f.seq, f.last_seq) for f in report.chain.findings] == [("removed", 8, 9)]


def test_deleting_the_checkpoint_row_does_not_hide_it(store: Store) -> None:
    store.checkpoint()
    store.run("DELETE FROM chain_checkpoints")
    store.run("DELETE FROM complaint_events WHERE chain_seq > 6")
    head = store.run("SELECT hash FROM complaint_events WHERE chain_seq = 6")[0][0]
    store.run(f"UPDATE chain_head SET seq = 6, hash = '{head}'")
    report = store.verify()  # the admin's copy of the checkpoint still names entry 9
    assert [s.state for s in report.checkpoints] == ["truncated"]


def test_rewritten_tail_after_a_checkpoint_is_detected(store: Store) -> None:
    store.checkpoint()
    # Rewrite the last entry and re-hash it consistently: the chain looks whole, the checkpoint does not.
    row = store.run("SELECT e.prev_hash, c.uuid, e.at, u.login, e.kind, e.action, e.from_status, e.to_status, "
                    "e.changes FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id "
                    "JOIN users u ON u.id = e.actor_id WHERE e.chain_seq = 9")[0]
    at = row[2] if not isinstance(row[2], str) else __import__("datetime").datetime.fromisoformat(row[2])
    forged = entry_hash("complaint_events", 9, row[0], (*row[1:2], at, *row[3:9], "伪造"))
    store.run(f"UPDATE complaint_events SET note = '伪造', hash = '{forged}' WHERE chain_seq = 9")
    store.run(f"UPDATE chain_head SET hash = '{forged}'")
    report = store.verify()
    assert report.chain.intact
    assert [s.state for s in report.checkpoints] == ["rewritten"]


def test_checkpoint_signed_with_another_key_is_forged(store: Store, tmp_path: Path) -> None:
    other = create_site_ca(tmp_path / "other-ca", "别的站点", PASSPHRASE)
    issue_audit_certificate(other, PASSPHRASE, tmp_path / "other")
    store.audit().checkpoint(store.app.actor, PASSPHRASE, tmp_path / "other" / "audit.p12", tmp_path / "x")
    report = store.verify()
    assert [s.state for s in report.checkpoints] == ["forged"]
    assert not report.intact
