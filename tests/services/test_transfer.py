"""Import and export: encodings, headers by meaning, all or nothing, and exports that re-import."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from desktop.domain.deadlines import BEIJING
from desktop.domain.exchange import HeaderLanguage
from desktop.services.app import AppServices
from desktop.services.import_read import ImportRejectedError
from desktop.services.transfer import export_records, import_file, write_export
from desktop.store.models import NumberSequence
from tests.accounts import open_as

HEADER = "received_at,channel,category,customer_name,phone,description,demand,contact_phone,id_number,address\n"
GOOD = "2025-06-03 09:15,hotline,broadband,王五,13700001234,宽带频繁掉线已三天,要求尽快修复,,,\n"
GOOD2 = "2025-06-03 10:40,online,billing,赵六,010-62345678,账单多扣20元,要求退费,,11010519491231002X,北京市海淀区\n"
BAD_PHONE = "2025-06-03 11:00,hotline,billing,钱七,1370000123,多扣费,退费,,,\n"
BAD_CODE = "2025-06-03 11:05,pager,billing,孙八,13700005678,多扣费,退费,,,\n"
ZH_HEADER = "受理时间,渠道,类别,客户姓名,被投诉号码,投诉内容,客户诉求\n"
ZH_ROW = "2025/6/3 9:15,热线电话,宽带故障/网速,張三豐,13700001234,寬頻頻繁斷線已三天,要求盡快修復\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8-sig", name: str = "import.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(app: AppServices, path: Path, **options: str) -> list[str]:
    return import_file(app.sessions, app.complaints, app.actor, path, **options).numbers  # type: ignore[arg-type]


def rejected(app: AppServices, path: Path, **options: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejectedError) as caught:
        run_import(app, path, **options)
    assert app.complaints.count() == 0
    return [(e.row, e.field, e.message) for e in caught.value.errors]


def test_good_file_is_imported(services: AppServices, tmp_path: Path) -> None:
    numbers = run_import(services, write(tmp_path, HEADER + GOOD + GOOD2))
    assert numbers == ["TS-20250603-0001", "TS-20250603-0002"]
    assert services.complaints.get(numbers[1]).phone == "010-62345678"


@pytest.mark.parametrize(("encoding", "reported"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"),
                                                     ("gb18030", "GB18030"), ("gbk", "GB18030"), ("big5", "Big5")])
def test_encodings_are_detected_and_reported(services: AppServices, tmp_path: Path, encoding: str,
                                             reported: str) -> None:
    text = "受理時間,受理渠道,投訴類別,客戶姓名,被投訴號碼,投訴內容,客戶訴求\n" if encoding == "big5" else ZH_HEADER
    path = write(tmp_path, text.replace("受理時間,受理渠道,投訴類別,客戶姓名,被投訴號碼,投訴內容,客戶訴求",
                                        "received_at,channel,category,customer_name,phone,description,demand")
                 + ZH_ROW.replace("热线电话", "hotline").replace("宽带故障/网速", "broadband"), encoding)
    summary = import_file(services.sessions, services.complaints, services.actor, path)
    assert summary.encoding == reported
    # A Big5 file read as GB18030 would store 張三豐 as 眎伦: never guess between them silently.
    assert services.complaints.get(summary.numbers[0]).customer_name == "張三豐"


def test_named_encoding_is_used_strictly(services: AppServices, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD, "gb18030")
    problems = rejected(services, path, encoding="big5")
    assert len(problems) == 1 and "Big5" in problems[0][2].replace("big5", "Big5")
    assert run_import(services, path, encoding="gbk") == ["TS-20250603-0001"]


def test_invalid_bytes_are_one_clear_problem(services: AppServices, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"\xff\xfe\xfd\x80\x81\n")
    [(row, _field, message)] = rejected(services, path)
    assert row == 0 and "--encoding" in message


def test_chinese_headers_and_labels_are_read_by_meaning(services: AppServices, tmp_path: Path) -> None:
    numbers = run_import(services, write(tmp_path, ZH_HEADER + ZH_ROW))
    record = services.complaints.get(numbers[0])
    assert (record.channel, record.category, record.customer_name) == ("hotline", "broadband", "張三豐")
    assert record.received_at == datetime(2025, 6, 3, 9, 15, tzinfo=BEIJING)


def test_iso_time_with_offset_is_kept(services: AppServices, tmp_path: Path) -> None:
    row = GOOD.replace("2025-06-03 09:15", "2025-06-03T01:15:00Z")
    numbers = run_import(services, write(tmp_path, HEADER + row))
    assert services.complaints.get(numbers[0]).received_at == datetime(2025, 6, 3, 9, 15, tzinfo=BEIJING)


def test_bad_rows_are_all_reported_and_nothing_is_stored(services: AppServices, tmp_path: Path) -> None:
    problems = rejected(services, write(tmp_path, HEADER + GOOD + BAD_PHONE + BAD_CODE))
    assert [(row, field) for row, field, _m in problems] == [(3, "phone"), (4, "channel")]
    assert "11" in problems[0][2]


def test_missing_column_is_reported(services: AppServices, tmp_path: Path) -> None:
    problems = rejected(services, write(tmp_path, "received_at,channel,category,customer_name,phone,demand\n"))
    assert len(problems) == 1 and "投诉内容" in problems[0][2]


def test_duplicated_header_is_refused_by_name_not_silently_overwritten(services: AppServices,
                                                                       tmp_path: Path) -> None:
    text = "received_at,channel,受理渠道,category,customer_name,phone,description,demand\n"
    problems = rejected(services, write(tmp_path, text + "2025-06-03 09:15,hotline,letter,billing,王五,"
                                                    "13700001234,多扣费,退费\n"))
    assert len(problems) == 1
    assert "受理渠道" in problems[0][2] and "2" in problems[0][2]


def test_unknown_header_is_one_problem_by_name(services: AppServices, tmp_path: Path) -> None:
    problems = rejected(services, write(tmp_path, HEADER.replace("address", "备注栏") + GOOD))
    assert len(problems) == 1 and "备注栏" in problems[0][2]


def test_a_huge_cell_is_a_row_problem_not_a_crash(services: AppServices, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + GOOD.replace("宽带频繁掉线已三天", "长" * 140_000))
    [(row, _field, message)] = rejected(services, path)
    assert row == 2 and "128 KiB" in message


def _seed(app: AppServices) -> list[str]:
    first = app.complaints.create(app.actor, {
        "received_at": "2025-06-03 09:15", "channel": "hotline", "category": "billing",
        "customer_name": "王五", "phone": "+86 137-0000-1234", "description": "=SUM(A1:A2) 多扣费\n第二行",
        "demand": "-退费", "address": "北京市海淀区", "id_number": "11010519491231002X"})
    app.complaints.transition(app.actor, first.number, "acknowledge")
    app.complaints.transition(app.actor, first.number, "investigate")
    current = app.complaints.get(first.number)
    app.complaints.update(app.actor, first.number, {"investigation_notes": "@核实：系统重复计费"},
                          expected_version=current.version)
    app.complaints.transition(app.actor, first.number, "reply", details={
        "resolution": "已退费20元", "reply_method": "phone", "compensation": "20"})
    app.complaints.transition(app.actor, first.number, "follow_up", details={"satisfaction": 4, "comment": "满意"})
    second = app.complaints.create(app.actor, {
        "received_at": "2025-06-04 10:00", "channel": "regulator", "category": "privacy",
        "customer_name": "赵六", "phone": "010-62345678", "description": "个人信息泄露", "demand": "要求说明"})
    return [first.number, second.number]


COMPARED = ("number", "received_at", "channel", "category", "customer_name", "phone", "contact_phone", "id_number",
            "address", "description", "demand", "status", "validity", "invalid_reason", "investigation_notes",
            "resolution", "compensation", "reply_method", "reply_at", "satisfaction", "followup_comment",
            "followup_at", "appeal_date", "closed_at", "reply_due_date")


def _to_second(value: object) -> object:
    """Exports write times to the second (Beijing time), as staff read them."""
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("headers", [HeaderLanguage.ZH, HeaderLanguage.EN])
def test_export_then_import_into_an_empty_store_reproduces_the_complaints(
        services: AppServices, tmp_path: Path, fmt: str, headers: HeaderLanguage) -> None:
    numbers = _seed(services)
    out = tmp_path / f"export.{fmt}"
    assert write_export(export_records(services.sessions), out, fmt=fmt, headers=headers) == 2
    other = open_as(f"sqlite:///{(tmp_path / 'other.sqlite3').as_posix()}", "tester", role="admin",
                    display_name="测试员")
    try:
        summary = import_file(other.sessions, other.complaints, other.actor, out)
        assert summary.numbers == numbers
        for number in numbers:
            before, after = services.complaints.get(number), other.complaints.get(number)
            for name in COMPARED:
                assert _to_second(getattr(after, name)) == _to_second(getattr(before, name)), name
        # Numbers a file brings advance the day's counter: the next intake does not collide.
        assert other.complaints.create(other.actor, {
            "received_at": "2025-06-03 12:00", "channel": "hotline", "category": "other", "customer_name": "甲",
            "phone": "13700009999", "description": "x", "demand": "y"}).number == "TS-20250603-0002"
    finally:
        other.close()


def test_export_has_every_field_beijing_times_and_formula_safe_cells(services: AppServices,
                                                                    tmp_path: Path) -> None:
    _seed(services)
    out = tmp_path / "export.csv"
    write_export(export_records(services.sessions), out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    for label in ("客户诉求", "处理结果", "赔偿金额（元）", "满意度", "法规引用", "处理记录摘要"):
        assert label in header
    assert first["受理时间"] == "2025-06-03 09:15:00"
    assert first["投诉内容"].startswith("'=SUM")
    assert first["客户诉求"] == "'-退费"
    assert first["调查记录"] == "'@核实：系统重复计费"
    assert first["受理渠道"] == "热线电话" and first["状态"] == "已回访"
    assert first["赔偿金额（元）"] == "20.00" and first["满意度"] == "4"


def test_a_number_already_in_the_store_is_refused(services: AppServices, tmp_path: Path) -> None:
    _seed(services)
    out = tmp_path / "export.csv"
    write_export(export_records(services.sessions), out)
    with pytest.raises(ImportRejectedError) as caught:
        run_import(services, out)
    assert len(caught.value.errors) == 2 and services.complaints.count() == 2


def test_daily_numbers_go_past_9999_and_are_found(services: AppServices) -> None:
    with services.sessions.begin() as session:
        session.add(NumberSequence(day="20250603", last=1))
    with services.sessions.begin() as session:
        session.execute(update(NumberSequence).where(NumberSequence.day == "20250603").values(last=9999))
    record = services.complaints.create(services.actor, {
        "received_at": "2025-06-03 09:15", "channel": "hotline", "category": "billing", "customer_name": "王五",
        "phone": "13700001234", "description": "多扣费", "demand": "退费"})
    assert record.number == "TS-20250603-10000"
    from desktop.services.queue import QueueFilter, QueueQuery

    for typed in ("TS-20250603-10000", "ts2025060310000"):
        found = services.queue.fetch(QueueQuery(filter=QueueFilter.ALL, search=typed), 0, 10)
        assert [r.number for r in found] == ["TS-20250603-10000"], typed


@pytest.mark.parametrize("typed", ["王\x00五", "\ud800", "\x00", "王五\udfff 13700001234"])
def test_search_with_nul_or_lone_surrogates_is_not_a_database_error(services: AppServices, typed: str) -> None:
    from desktop.services.queue import QueueFilter, QueueQuery

    query = QueueQuery(filter=QueueFilter.ALL, search=typed)
    services.queue.fetch(query, 0, 10)
    services.queue.count(query)


def test_import_and_export_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    app = open_as(postgres_url, "tester", role="admin", display_name="测试员")
    try:
        numbers = _seed(app)
        out = tmp_path / "export.xlsx"
        write_export(export_records(app.sessions), out, fmt="xlsx")
        with pytest.raises(ImportRejectedError):  # the numbers exist: refused, nothing added
            run_import(app, out)
        assert app.complaints.count() == 2
        path = write(tmp_path, ZH_HEADER + ZH_ROW * 3)
        added = run_import(app, path)
        assert added == ["TS-20250603-0002", "TS-20250603-0003", "TS-20250603-0004"]
        assert numbers[0] == "TS-20250603-0001"
    finally:
        app.close()
