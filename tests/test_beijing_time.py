"""Every time a person reads is Beijing time; JSON keeps ISO 8601 with its offset."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from desktop.cli.main import main
from desktop.formatting import fmt_beijing
from tests.accounts import cli_account


def test_fmt_beijing_converts_any_zone() -> None:
    assert fmt_beijing(datetime(2025, 4, 30, 16, 20, tzinfo=UTC)) == "2025-05-01 00:20（北京时间）"
    new_york = timezone(timedelta(hours=-4))
    assert fmt_beijing(datetime(2025, 4, 30, 12, 20, tzinfo=new_york)) == "2025-05-01 00:20（北京时间）"
    assert fmt_beijing("2025-04-30T16:20:00+00:00") == "2025-05-01 00:20（北京时间）"
    assert fmt_beijing(datetime(2025, 4, 30, 16, 20)) == "2025-05-01 00:20（北京时间）"  # stored naive = UTC
    assert fmt_beijing(None) == "—"
    assert fmt_beijing("not a time") == "not a time"


def test_complaint_show_text_is_beijing_time_and_json_keeps_the_offset(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cli_account(monkeypatch, db_url)
    complaint = {"received_at": "2025-04-30T16:20:00Z", "channel": "counter", "category": "subscription",
                 "customer_name": "李四", "phone": "13900001111", "description": "被开通视频彩铃业务。",
                 "demand": "退订并退费"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(complaint, ensure_ascii=False)))
    assert main(["--db", db_url, "complaint", "add", "--json", "-"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert main(["--db", db_url, "complaint", "show", number]) == 0
    text = capsys.readouterr().out
    assert "2025-05-01 00:20（北京时间）" in text
    assert "16:20" not in text
    assert main(["--db", db_url, "complaint", "show", number, "--json"]) == 0
    received = datetime.fromisoformat(json.loads(capsys.readouterr().out)["received_at"])
    assert received.utcoffset() is not None
    assert received == datetime(2025, 4, 30, 16, 20, tzinfo=UTC)
