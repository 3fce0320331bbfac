"""The audit logs (accounts, personal-data access, keys) are links of the same hash chain as the
history: rewriting or removing one of their rows through the database file is detected."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.services.app import AppServices
from desktop.services.audit import AuditService

CASE = {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
        "customer_name": "张三", "phone": "13812345678", "description": "多扣费", "demand": "退费"}


def _verify(app: AppServices) -> list[tuple[str, str]]:
    report = AuditService(app.engine, app.sessions).verify(local_folder=Path("/nonexistent"))
    return [(finding.kind, finding.table) for finding in report.chain.findings]


def _logs(db_path: Path) -> dict[str, list[tuple[int, int]]]:
    raw = sqlite3.connect(db_path)
    try:
        return {table: raw.execute(f"SELECT id, chain_seq FROM {table} ORDER BY id").fetchall()
                for table in ("audit_events", "personal_data_access")}
    finally:
        raw.close()


def test_audit_and_access_log_rows_are_chained_and_tampering_is_found(services: AppServices,
                                                                       db_url: str, tmp_path: Path) -> None:
    number = services.complaints.create(services.actor, CASE).number
    services.privacy.reveal(services.actor, number, "phone", "回访核实")  # an access-log row
    services.users.add(services.actor, "newclerk", "新坐席", password="Xin-Zuoxi-2026")  # an audit row
    assert _verify(services) == []
    path = Path(db_url.removeprefix("sqlite:///"))
    logs = _logs(path)
    assert logs["audit_events"] and all(seq is not None for _id, seq in logs["audit_events"])
    assert logs["personal_data_access"] and all(seq is not None for _id, seq in logs["personal_data_access"])

    raw = sqlite3.connect(path)
    with raw:  # the attacker drops the append-only triggers and rewrites the reason of a reveal
        raw.execute("DROP TRIGGER personal_data_access_no_update")
        raw.execute("UPDATE personal_data_access SET reason = '例行检查' WHERE action = 'reveal'")
    raw.close()
    assert ("changed", "personal_data_access") in _verify(services)

    raw = sqlite3.connect(path)
    with raw:  # …and removes who added an account
        raw.execute("DROP TRIGGER audit_events_no_delete")
        raw.execute("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    raw.close()
    kinds = {kind for kind, _table in _verify(services)}
    assert "removed" in kinds or "truncated" in kinds


def test_the_database_refuses_edits_of_the_audit_log(services: AppServices, db_url: str) -> None:
    services.users.add(services.actor, "another", "另一位", password="Lingyi-Wei-2026")
    raw = sqlite3.connect(Path(db_url.removeprefix("sqlite:///")))
    try:
        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events",
                          "UPDATE key_events SET action = 'x'", "DELETE FROM key_events"):
            try:
                raw.execute(statement)
            except sqlite3.DatabaseError as error:
                assert "append-only" in str(error)
            else:  # key_events may be empty: an UPDATE of no row never reaches the trigger
                assert raw.total_changes == 0, statement
    finally:
        raw.close()
