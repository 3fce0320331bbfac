"""Rules, legal bases, JSON form, traces and speed of the deadline engine."""

from __future__ import annotations

import json
import timeit
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.domain.deadlines import (
    BEIJING,
    DEFAULT_RULES,
    RuleConfigError,
    RuleKind,
    WorkCalendar,
    build_rules,
    compute_deadline,
)
from desktop.i18n import set_language

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "law-sources"


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.load()


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("zh_CN")


def test_default_rules() -> None:
    expected = {
        "reply": (RuleKind.CALENDAR_DAYS, 15),
        "acknowledge": (RuleKind.HOURS, 24),
        "repair_urban": (RuleKind.HOURS, 48),
        "repair_rural": (RuleKind.HOURS, 72),
        "privacy": (RuleKind.CALENDAR_DAYS, 15),
        "regulator": (RuleKind.WORKING_DAYS, 10),
    }
    assert {code: (rule.kind, rule.amount) for code, rule in DEFAULT_RULES.items()} == expected
    assert all(rule.code == code for code, rule in DEFAULT_RULES.items())


def test_reply_basis_flags_unverified_regulations() -> None:
    basis = {item.citation: item for item in DEFAULT_RULES["reply"].basis}
    unverified = [item for item in basis.values() if not item.verified]
    assert {item.citation for item in unverified} == {
        "电信服务规范（信息产业部令第36号）",
        "电信用户申诉处理办法（工业和信息化部令第35号）",
    }
    assert all("not verified against an official text" in item.note.lower() for item in unverified)
    assert basis["中华人民共和国民法典 第二百零一条"].verified
    assert basis["中华人民共和国民法典 第二百零三条"].verified
    assert not any("电信法" in item.citation for item in basis.values())


@pytest.mark.parametrize(
    ("filename", "citation_part", "article_text"),
    [
        (
            "civil-code-periods.txt",
            "第二百零一条",
            "第二百零一条 按照年、月、日计算期间的，开始的当日不计入",
        ),
        ("civil-code-periods.txt", "第二百零三条", "第二百零三条 期间的最后一日是法定休假日的"),
        ("telecom-regulations.txt", "第三十二条", "城镇48小时、农村72小时内修复或者调通"),
        ("user-pi-protection-rules.txt", "第十二条", "并自接到投诉之日起十五日内答复投诉人"),
    ],
)
def test_verified_citations_exist_in_official_text(
    filename: str, citation_part: str, article_text: str
) -> None:
    if not SHARED.is_dir():
        pytest.skip(f"law sources not found at {SHARED}")
    text = (SHARED / filename).read_text(encoding="utf-8")
    assert article_text in text
    verified = [
        item
        for rule in DEFAULT_RULES.values()
        for item in rule.basis
        if item.verified and citation_part in item.citation
    ]
    assert verified


@pytest.mark.parametrize(
    ("overrides", "zh", "en"),
    [
        (
            {"reply": 20},
            "答复投诉：20日超过了法定上限15日",
            "Reply to the complaint: 20 days is longer than the legal limit of 15 days",
        ),
        ({"repair_urban": 0}, "期限至少为1", "the period must be at least 1, not 0"),
        (
            {"regulator": 61},
            "61个工作日超过了最大值60个工作日",
            "61 working days is more than the maximum of 60 working days",
        ),
        ({"acknowledge": 2.5}, "期限必须是整数", "must be a whole number, not “2.5”"),
        ({"acknowledge": True}, "期限必须是整数", "must be a whole number"),
        ({"answer": 3}, "未知的时限规则“answer”", "Unknown deadline rule “answer”"),
    ],
)
def test_build_rules_rejects(overrides: dict[str, int], zh: str, en: str, language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(RuleConfigError) as error:
        build_rules(overrides)
    assert zh in str(error.value)
    set_language("en")
    with pytest.raises(RuleConfigError) as error:
        build_rules(overrides)
    assert en in str(error.value)


def test_build_rules_applies_amounts() -> None:
    rules = build_rules({"reply": 10, "regulator": 7, "acknowledge": 4})
    assert (rules["reply"].amount, rules["regulator"].amount, rules["acknowledge"].amount) == (
        10,
        7,
        4,
    )
    assert rules["privacy"] == DEFAULT_RULES["privacy"]
    assert DEFAULT_RULES["reply"].amount == 15


def test_json_form(calendar: WorkCalendar, language: None) -> None:
    set_language("en")
    deadline = compute_deadline(
        DEFAULT_RULES["reply"], datetime(2025, 9, 15, 17, 30, tzinfo=UTC), calendar
    )
    data = json.loads(json.dumps(deadline.to_json()))
    assert list(data) == ["rule", "received_at", "due_date", "due_at", "calendar", "basis", "trace"]
    assert data["rule"] == "reply"
    assert data["received_at"] == "2025-09-16T01:30:00+08:00"
    assert data["due_date"] == "2025-10-09"
    assert data["due_at"] == "2025-10-10T00:00:00+08:00"
    assert data["calendar"] == "official"
    assert set(data["basis"][0]) == {"citation", "verified", "note"}
    assert data["trace"][0] == (
        "Received 2025-09-16 01:30:00 Beijing time (entered as 2025-09-15T17:30:00+00:00)."
    )
    assert "Rolled forward because 2025-10-01 is a rest day: National Day holiday." in data["trace"]
    assert (
        "Rolled forward because 2025-10-04 is a rest day: "
        "Saturday, part of the National Day holiday." in data["trace"]
    )
    assert (
        "Rolled forward because 2025-10-07 is a rest day: day off in lieu (National Day holiday)."
        in data["trace"]
    )
    assert data["trace"][-1] == "Late from 2025-10-10 00:00:00 Beijing time."


def test_trace_in_chinese(calendar: WorkCalendar) -> None:
    set_language("zh_CN")
    deadline = compute_deadline(
        DEFAULT_RULES["reply"], datetime(2025, 1, 15, 9, tzinfo=BEIJING), calendar
    )
    trace = deadline.trace
    assert trace[0] == "受理时间：北京时间2025-01-15 09:00:00。"
    assert trace[1] == "受理当日不计入，自2025-01-16（周四）起算。"
    assert trace[2] == "计算15日，期间的最后一日为2025-01-30（周四）。"
    assert "因2025-01-30为法定休假日：春节假期，期间顺延。" in trace
    assert "因2025-02-01为法定休假日：周六（春节假期），期间顺延。" in trace
    assert "因2025-02-03为法定休假日：调休（春节假期），期间顺延。" in trace
    assert (
        "依照民法典第二百零三条，以法定休假日结束的次日2025-02-05（周三）为期间的最后一日。"
        in trace
    )
    assert trace[-1] == "自北京时间2025-02-06 00:00:00起即为超时。"


def test_trace_for_makeup_day_and_provisional(calendar: WorkCalendar) -> None:
    set_language("zh_CN")
    makeup = compute_deadline(DEFAULT_RULES["reply"], datetime(2025, 9, 13, 9), calendar)
    assert "2025-09-28（周日）为调休上班日，期间最后一日不变。" in makeup.trace
    provisional = compute_deadline(DEFAULT_RULES["reply"], datetime(2026, 12, 20, 9), calendar)
    assert "2027年节假日安排尚未正式确认，此截止日期为暂定。" in provisional.trace


def test_describe_day_names(calendar: WorkCalendar, language: None) -> None:
    from datetime import date

    set_language("zh_CN")
    assert calendar.describe_day(date(2025, 10, 1)) == "国庆节假期"
    assert calendar.describe_day(date(2025, 1, 1)) == "元旦假期"
    assert calendar.describe_day(date(2025, 4, 4)) == "清明节假期"
    assert calendar.describe_day(date(2025, 5, 1)) == "劳动节假期"
    assert calendar.describe_day(date(2025, 5, 31)) == "周六（端午节假期）"
    assert calendar.describe_day(date(2025, 10, 6)) == "中秋节假期"
    assert calendar.describe_day(date(2025, 3, 22)) == "周六"
    assert calendar.describe_day(date(2025, 3, 23)) == "周日"
    assert calendar.describe_day(date(2025, 9, 28)) == "调休上班（国庆节假期）"
    assert calendar.describe_day(date(2025, 3, 25)) == ""
    set_language("en")
    assert calendar.describe_day(date(2025, 2, 4)) == "day off in lieu (Spring Festival holiday)"


def test_compute_deadline_is_fast(calendar: WorkCalendar) -> None:
    # The service computes on every save; the longest roll (Spring Festival) must stay cheap.
    received = datetime(2025, 1, 15, 9, tzinfo=BEIJING)
    seconds = min(
        timeit.repeat(
            lambda: compute_deadline(DEFAULT_RULES["reply"], received, calendar),
            number=500,
            repeat=3,
        )
    )
    assert seconds / 500 < 0.001


def test_every_message_of_the_area_has_a_chinese_translation() -> None:
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with (root / "i18n" / "deadlines" / "zh_CN.po").open("rb") as handle:
        catalog = read_po(handle)
    sources = [
        *sorted((root / "desktop" / "domain" / "deadlines").glob("*.py")),
        root / "desktop" / "domain" / "validation.py",
        root / "desktop" / "domain" / "masking.py",
    ]
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    missing = []
    checked = 0
    for source in sources:
        for _line, message, _comments, _context in extract_from_file(
            "python", str(source), keywords=keywords
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalog.get(msgid)
            translated = entry.string if entry else ""
            if isinstance(translated, tuple):
                translated = translated[0]
            checked += 1
            if not translated:
                missing.append(msgid)
    assert checked > 100
    assert missing == []


def test_due_dates_compute_a_day_counted_deadline_once_per_beijing_day(calendar: WorkCalendar) -> None:
    from collections import Counter

    from desktop.domain.deadlines import Deadline, DueDates

    rules = build_rules({})
    calls: Counter[str] = Counter()

    def counted(code: str, start: datetime) -> Deadline:
        calls[code] += 1
        return compute_deadline(rules[code], start, calendar)

    dues = DueDates(rules, counted)
    morning, evening = datetime(2026, 3, 2, 1, 0, tzinfo=UTC), datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 9:00, 20:00
    for start in (morning, evening, morning):
        reply = dues("reply", start)
        expected = compute_deadline(rules["reply"], start, calendar)
        assert (reply.due_date, reply.due_at) == (expected.due_date, expected.due_at)
        hours = dues("acknowledge", start)
        assert hours.due_at == compute_deadline(rules["acknowledge"], start, calendar).due_at
    # One Beijing day for the day count; an hour count is each moment's own.
    assert calls == {"reply": 1, "acknowledge": 3}
