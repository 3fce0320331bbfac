"""Several seats appending at once still make one unbroken chain (row lock on PostgreSQL, write lock on SQLite)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from desktop.services.audit import AuditService
from tests.accounts import open_as


def complaint(phone: str) -> dict[str, Any]:
    return {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "张三", "phone": phone, "description": "账单多扣费58元", "demand": "要求退费"}


def _seats_at_once(url: str, seats: int, cases: int) -> AppServices:
    admin = open_as(url, "admin", role="admin")
    apps = [open_as(url, f"seat{i}", role="agent") for i in range(seats)]
    errors: list[BaseException] = []

    def work(app: AppServices, index: int) -> None:
        try:
            for n in range(cases):
                number = app.complaints.create(app.actor, complaint(f"139{index:04d}{n:04d}")).number
                app.complaints.transition(app.actor, number, Action.ACKNOWLEDGE)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(app, i)) for i, app in enumerate(apps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for app in apps:
        app.close()
    assert errors == []
    return admin


@pytest.mark.postgres
def test_postgres_seats_append_one_chain(postgres_url: str) -> None:
    admin = _seats_at_once(postgres_url, 4, 8)
    try:
        report = AuditService(admin.engine, admin.sessions).verify(roots=[])
        assert report.chain.intact, report.as_dict()
        assert report.chain.entries == report.chain.head_seq == 4 * 8 * 2
    finally:
        admin.close()


def test_sqlite_seats_append_one_chain(db_url: str) -> None:
    admin = _seats_at_once(db_url, 3, 6)
    try:
        report = AuditService(admin.engine, admin.sessions).verify(roots=[])
        assert report.chain.intact, report.as_dict()
        assert report.chain.entries == report.chain.head_seq == 3 * 6 * 2
    finally:
        admin.close()
