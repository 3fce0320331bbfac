"""Multi-seat: the same app on a real PostgreSQL server, several seats at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from desktop.services.errors import ConcurrentEditError
from desktop.services.queue import QueueFilter, QueueQuery
from tests.accounts import open_as

pytestmark = pytest.mark.postgres


def complaint(phone: str = "13812345678", **extra: Any) -> dict[str, Any]:
    return {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
            "customer_name": "张三", "phone": phone, "description": "账单多扣费58元", "demand": "要求退费", **extra}


def test_migrations_and_round_trip(postgres_url: str) -> None:
    services = open_as(postgres_url, "seat1", display_name="一号席")
    try:
        record = services.complaints.create(services.actor, complaint())
        assert record.number == "TS-20250928-0001"
        fetched = services.complaints.get(record.number)
        assert fetched.received_at == record.received_at
        assert fetched.reply_due_date.isoformat() == "2025-10-13"
        page = services.queue.fetch(QueueQuery(filter=QueueFilter.OPEN), 0, 50)
        assert [row.number for row in page] == [record.number]
        services.complaints.transition(services.actor, record.number, Action.ACKNOWLEDGE)
        assert [e.kind for e in services.complaints.events(record.number)] == ["created", "transition"]
    finally:
        services.close()


def test_seats_saving_at_once_get_unique_numbers(postgres_url: str) -> None:
    open_as(postgres_url, "admin", role="admin").close()  # migrate once before the seats start
    seats = [open_as(postgres_url, f"seat{i}") for i in range(4)]
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(seat: AppServices, index: int) -> None:
        try:
            for n in range(10):
                number = seat.complaints.create(seat.actor, complaint(phone=f"139{index:04d}{n:04d}")).number
                with lock:
                    numbers.append(number)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(seat, i)) for i, seat in enumerate(seats)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seat in seats:
        seat.close()
    assert errors == []
    assert len(numbers) == 40 and len(set(numbers)) == 40
    assert sorted(numbers)[-1] == "TS-20250928-0040"


def test_concurrent_edit_between_seats_loses_nothing(postgres_url: str) -> None:
    first = open_as(postgres_url, "seat1", display_name="一号席")
    second = open_as(postgres_url, "seat2", display_name="二号席")
    try:
        record = first.complaints.create(first.actor, complaint())
        second.complaints.update(second.actor, record.number, {"resolution": "退还58元"}, record.version)
        with pytest.raises(ConcurrentEditError) as caught:
            first.complaints.update(first.actor, record.number, {"resolution": "退还60元"}, record.version)
        assert caught.value.current.resolution == "退还58元"
        assert caught.value.attempted["resolution"] == "退还60元"
    finally:
        first.close()
        second.close()


def test_history_is_append_only_on_postgres(postgres_url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    services = open_as(postgres_url, "seat1")
    try:
        number = services.complaints.create(services.actor, complaint()).number
        with pytest.raises(DatabaseError, match="append-only"), services.engine.begin() as connection:
            connection.execute(text("DELETE FROM complaint_events"))
        assert len(services.complaints.events(number)) == 1
    finally:
        services.close()
