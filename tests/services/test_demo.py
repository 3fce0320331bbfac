"""Demo generation leaves a store intake can keep using, even when it is stopped part-way."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, update

from desktop.services.app import AppServices
from desktop.services.demo import generate
from desktop.store.models import Complaint, NumberSequence
from tests.services.test_complaints import sample


class _StoppedError(Exception):
    pass


def _stop_after_first_batch(done: int) -> None:
    raise _StoppedError(done)


def test_intake_after_an_interrupted_generation_gets_a_free_number(services: AppServices) -> None:
    with pytest.raises(_StoppedError):
        generate(services.sessions, services.complaints, services.actor, 400, seed=5, batch_size=100,
                 progress=_stop_after_first_batch)
    with services.sessions() as session:
        generated = session.execute(select(func.count(Complaint.id))).scalar_one()
        counters = {day: last for day, last in session.execute(select(NumberSequence.day, NumberSequence.last))}
        busiest_day, _ = session.execute(
            select(Complaint.received_day, func.count(Complaint.id)).group_by(Complaint.received_day)
            .order_by(func.count(Complaint.id).desc())).first() or (None, 0)
        serials = session.execute(select(Complaint.number)).scalars().all()
    assert generated == 100  # the first batch was committed, the rest never started
    for number in serials:  # every day's counter is at or past the numbers already handed out
        assert counters[number[3:11]] >= int(number[12:])
    assert busiest_day is not None
    day = date.fromisoformat(str(busiest_day))
    created = services.complaints.create(services.actor, sample(received_at=f"{day.isoformat()}T10:00:00+08:00"))
    assert created.number.startswith(f"TS-{day:%Y%m%d}-")
    assert created.number not in serials


def test_intake_moves_a_counter_that_is_behind_the_stored_numbers(services: AppServices) -> None:
    first = services.complaints.create(services.actor, sample())
    second = services.complaints.create(services.actor, sample())
    day = first.number[3:11]
    with services.sessions.begin() as session:  # as a store restored or filled by an older tool leaves it
        session.execute(delete(NumberSequence).where(NumberSequence.day == day))
    third = services.complaints.create(services.actor, sample())
    with services.sessions.begin() as session:
        session.execute(update(NumberSequence).where(NumberSequence.day == day).values(last=1))
    fourth = services.complaints.create(services.actor, sample())
    assert [first.number, second.number, third.number, fourth.number] == [
        f"TS-{day}-0001", f"TS-{day}-0002", f"TS-{day}-0003", f"TS-{day}-0004"]


def test_generation_continues_a_store_whose_counters_are_missing(services: AppServices) -> None:
    """A store filled by an older generator has numbers but no day counters; more demo rows must fit."""
    generate(services.sessions, services.complaints, services.actor, 300, seed=5, batch_size=100)
    with services.sessions.begin() as session:
        session.execute(delete(NumberSequence))
    generate(services.sessions, services.complaints, services.actor, 300, seed=6, batch_size=100)
    with services.sessions() as session:
        numbers = session.execute(select(Complaint.number)).scalars().all()
    assert len(numbers) == len(set(numbers)) == 600
