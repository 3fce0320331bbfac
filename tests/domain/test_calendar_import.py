"""Importing a newly published year, and the messages for bad schedule files."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from desktop.domain.deadlines import (
    BEIJING,
    DEFAULT_RULES,
    CalendarError,
    WorkCalendar,
    compute_deadline,
    parse_calendar_json,
    parse_calendar_year,
)
from desktop.i18n import set_language
from desktop.paths import resource_path


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("zh_CN")


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    with resource_path("calendar/example-2027.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def test_example_file_is_refused_as_official(example: dict[str, Any], language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(CalendarError, match="示例"):
        parse_calendar_year(example)
    set_language("en")
    with pytest.raises(CalendarError, match="marked as an example"):
        parse_calendar_year(example)


def test_imported_year_becomes_official_and_changes_results(example: dict[str, Any]) -> None:
    schedule = parse_calendar_year(example, allow_example=True)
    bundled = WorkCalendar.load()
    imported = WorkCalendar.load([schedule])
    assert bundled.year_status(2027) == "provisional"
    assert imported.year_status(2027) == "official"
    assert 2027 in imported.official_years

    reply = DEFAULT_RULES["reply"]
    received = datetime(2027, 1, 27, 10, tzinfo=BEIJING)
    # Projection: 春节 rest 02-05..02-10, so R+15 = 02-11 (Thu) is a working day.
    before = compute_deadline(reply, received, bundled)
    assert (before.due_date, before.calendar) == (date(2027, 2, 11), "provisional")
    # Example schedule: rest 02-05..02-12, then the weekend: first working day 02-15.
    after = compute_deadline(reply, received, imported)
    assert (after.due_date, after.calendar) == (date(2027, 2, 15), "official")

    # 02-20 is a make-up working Saturday only in the imported schedule.
    received = datetime(2027, 2, 5, 10, tzinfo=BEIJING)
    assert compute_deadline(reply, received, bundled).due_date == date(2027, 2, 22)
    assert compute_deadline(reply, received, imported).due_date == date(2027, 2, 20)


def test_imported_year_overrides_bundled_year(example: dict[str, Any]) -> None:
    # A correction for an official year replaces the bundled data for that year.
    data = {
        "year": 2025,
        "source": "test correction",
        "rest_days": [{"name": "国庆节", "from": "2025-10-01", "to": "2025-10-09"}],
        "working_days": [],
    }
    calendar = WorkCalendar.load([parse_calendar_year(data)])
    assert calendar.is_rest_day(date(2025, 10, 9))
    assert calendar.is_rest_day(date(2025, 1, 29)) is False  # not listed in the correction
    assert calendar.is_rest_day(date(2025, 10, 11))  # make-up Saturday no longer listed


def test_round_trip(example: dict[str, Any]) -> None:
    schedule = parse_calendar_year(example, allow_example=True)
    again = parse_calendar_json(json.dumps(schedule.to_json()), allow_example=True)
    assert again == schedule
    assert schedule.rest_days[date(2027, 2, 8)] == "春节"
    assert schedule.working_days[date(2027, 2, 20)] == "春节调休上班"


def test_describe_days_of_imported_year(example: dict[str, Any], language: None) -> None:
    calendar = WorkCalendar.load([parse_calendar_year(example, allow_example=True)])
    set_language("zh_CN")
    assert calendar.describe_day(date(2027, 2, 9)) == "春节假期"
    assert calendar.describe_day(date(2027, 2, 6)) == "周六（春节假期）"
    assert calendar.describe_day(date(2027, 2, 20)) == "调休上班（春节假期）"
    set_language("en")
    assert (
        calendar.describe_day(date(2027, 2, 20)) == "make-up working day (Spring Festival holiday)"
    )


def _bad(change: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "rest_days": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
        "working_days": [{"name": "春节调休上班", "date": "2027-02-20"}],
    }
    data = copy.deepcopy(data)
    data.update(change)
    return data


BAD_FILES = [
    (
        {"rest_days": [{"name": "春节", "date": "2027-02-30"}]},
        "“rest_days”的第1项：“2027-02-30”不是 YYYY-MM-DD 格式的日期。",
        "Entry 1 of “rest_days”: “2027-02-30” is not a date written YYYY-MM-DD.",
    ),
    (
        {"rest_days": [{"name": "元旦", "date": "2026-12-31"}]},
        "“rest_days”的第1项：2026-12-31不在2027年内。",
        "Entry 1 of “rest_days”: 2026-12-31 is not in 2027.",
    ),
    (
        {"working_days": [{"name": "调休", "date": "2027-02-06"}]},  # a Saturday inside 春节
        "2027-02-06同时被列为休息日和调休上班日。",
        "2027-02-06 is listed both as a rest day and as a make-up working day.",
    ),
    (
        {"working_days": [{"name": "调休", "date": "2027-02-17"}]},
        "“working_days”的第1项：2027-02-17（周三）本来就是工作日；调休上班日只能是周六或周日。",
        "Entry 1 of “working_days”: 2027-02-17 (Wednesday) is already a working day; "
        "a make-up working day is a Saturday or Sunday.",
    ),
    (
        {"rest_days": [{"name": "春节", "from": "2027-02-11", "to": "2027-02-05"}]},
        "“rest_days”的第1项：结束日期2027-02-05早于开始日期2027-02-11。",
        "Entry 1 of “rest_days”: the end 2027-02-05 is before the start 2027-02-11.",
    ),
    (
        {
            "rest_days": [
                {"name": "春节", "date": "2027-02-05"},
                {"name": "x", "date": "2027-02-05"},
            ]
        },
        "2027-02-05在“rest_days”中重复出现。",
        "2027-02-05 is listed twice in “rest_days”.",
    ),
    (
        {"source": " "},
        "“source”必须填写国务院办公厅发布的节假日安排通知的标题或全文。",
        "“source” must give the title or text of the published State Council notice.",
    ),
    (
        {"year": "2027"},
        "“year”必须是2000至2100之间的整数年份。",
        "“year” must be a whole number between 2000 and 2100.",
    ),
    (
        {"rest_days": [{"date": "2027-02-05"}]},
        "“rest_days”的第1项缺少名称。",
        "Entry 1 of “rest_days” has no name.",
    ),
    (
        {"restdays": []},
        "节假日文件中有无法识别的字段“restdays”",
        "Unknown field “restdays” in the calendar file",
    ),
    ({"rest_days": []}, "“rest_days”为空", "“rest_days” is empty"),
    (
        {"rest_days": [{"name": "春节", "from": "2027-02-01", "to": "2027-02-28"}]},
        "“rest_days”的第1项共28天",
        "Entry 1 of “rest_days” covers 28 days",
    ),
]


@pytest.mark.parametrize(("change", "zh", "en"), BAD_FILES)
def test_bad_schedule_messages(change: dict[str, Any], zh: str, en: str, language: None) -> None:
    set_language("zh_CN")
    with pytest.raises(CalendarError) as error:
        parse_calendar_year(_bad(change))
    assert zh in str(error.value)
    set_language("en")
    with pytest.raises(CalendarError) as error:
        parse_calendar_year(_bad(change))
    assert en in str(error.value)


def test_invalid_json_names_the_line(language: None) -> None:
    set_language("en")
    with pytest.raises(CalendarError, match=r"line 2, column"):
        parse_calendar_json('{"year": 2027,\n "source": }')


def test_valid_minimal_file() -> None:
    schedule = parse_calendar_year(_bad({}))
    assert schedule.year == 2027
    assert len(schedule.rest_days) == 7
    assert not schedule.example
