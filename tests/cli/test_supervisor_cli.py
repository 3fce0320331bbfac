"""``complaint approve|return|reassign``, ``team board``, ``qa …`` and the supervisor's site settings."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from desktop.cli.main import main
from desktop.domain.deadlines import BEIJING
from desktop.domain.workflow import Action
from desktop.services.app import AppServices
from tests.accounts import cli_account, open_as


def _pending(db_url: str, compensation: str = "500") -> str:
    wang = open_as(db_url, "wang", role="agent", display_name="王芳", team="一班")
    c = wang.complaints
    number = c.create(wang.actor, {
        "received_at": (datetime.now(BEIJING) - timedelta(hours=1)).isoformat(), "channel": "hotline",
        "category": "billing", "customer_name": "张三", "phone": "13800000001", "description": "多扣费",
        "demand": "退费"}).number
    c.transition(wang.actor, number, Action.ACKNOWLEDGE)
    c.transition(wang.actor, number, Action.INVESTIGATE)
    c.update(wang.actor, number, {"resolution": "退费", "compensation": compensation}, c.get(number).version)
    c.transition(wang.actor, number, Action.SUBMIT_FOR_APPROVAL)
    wang.close()
    return number


def test_an_agent_is_refused_and_a_supervisor_approves(services: AppServices, db_url: str,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    number = _pending(db_url)
    cli_account(monkeypatch, db_url, "wang", role="agent", display_name="王芳")
    assert main(["complaint", "approve", number]) == 2
    assert "无权执行此操作" in capsys.readouterr().err
    reply = ["complaint", "transition", number, "reply", "--detail", "reply_method=phone"]
    assert main(reply) == 2
    assert "审批" in capsys.readouterr().err
    cli_account(monkeypatch, db_url, "lead1", role="supervisor", display_name="李组长")
    assert main(["complaint", "approve", number, "--note", "同意退费", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["number"] == number
    cli_account(monkeypatch, db_url, "wang", role="agent", display_name="王芳")
    assert main(reply) == 0
    events = services.complaints.events(number)
    approval = next(e for e in events if e.kind == "approval")
    assert approval.note == "同意退费"


def test_return_needs_a_reason_and_reassign_moves_cases(services: AppServices, db_url: str,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    number = _pending(db_url)
    open_as(db_url, "zhou", role="agent", display_name="周杰", team="一班").close()
    cli_account(monkeypatch, db_url, "lead1", role="supervisor", display_name="李组长")
    with pytest.raises(SystemExit):
        main(["complaint", "return", number])
    capsys.readouterr()
    assert main(["--lang", "en", "complaint", "return", number, "--reason", " "]) == 2
    assert "Say why" in capsys.readouterr().err
    assert main(["--lang", "zh_CN", "complaint", "return", number, "--reason", "金额需复核"]) == 0
    assert "退回" in capsys.readouterr().out
    assert main(["complaint", "reassign", number, "--to", "zhou", "--reason", "王芳休假"]) == 0
    assert "周杰" not in capsys.readouterr().err
    assert services.complaints.get(number).assigned_agent_name == "周杰"
    assert main(["team", "board", "--json"]) == 0
    board = {row["login"]: row for row in json.loads(capsys.readouterr().out)}
    assert board["zhou"]["open"] == 1 and board["wang"]["open"] == 0


def test_site_settings_are_checked_before_they_are_stored(services: AppServices, db_url: str,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    cli_account(monkeypatch, db_url, "lead1", role="supervisor", display_name="李组长")
    assert main(["site", "set", "auto_assign", "least_load"]) == 2  # the site's settings are the admin's
    assert "李组长（班组长）无权执行此操作：修改本单位设置" in capsys.readouterr().err
    cli_account(monkeypatch, db_url)  # 测试员, an admin
    assert main(["--lang", "en", "site", "set", "approval_policy", '{"compensation_above": "abc"}']) == 2
    assert "amount in yuan" in capsys.readouterr().err
    assert main(["--lang", "en", "site", "set", "approval_policy", '{"refund": true}']) == 2
    assert "Unknown approval policy keys: refund" in capsys.readouterr().err
    assert main(["site", "set", "approval_policy", '{"compensation_above": "200", "invalid": false}']) == 0
    capsys.readouterr()
    assert services.site.get("approval_policy") == {"compensation_above": "200", "regulator": True,
                                                    "privacy": True, "invalid": False}
    assert main(["--lang", "en", "site", "set", "qa_checklist", '[{"key": "a", "label": "A", "weight": 0}]']) == 2
    assert "from 1 to 100" in capsys.readouterr().err
    assert main(["--lang", "en", "site", "set", "auto_assign", "random"]) == 2
    assert "auto_assign is one of" in capsys.readouterr().err
    assert main(["site", "set", "auto_assign", "least_load"]) == 0


def test_qa_sample_score_and_list(services: AppServices, db_url: str, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    wang = open_as(db_url, "wang", role="agent", display_name="王芳", team="一班")
    c = wang.complaints
    number = c.create(wang.actor, {
        "received_at": datetime.now(BEIJING).isoformat(), "channel": "hotline", "category": "billing",
        "customer_name": "张三", "phone": "13800000001", "description": "多扣费", "demand": "退费"}).number
    for action in (Action.ACKNOWLEDGE, Action.INVESTIGATE):
        c.transition(wang.actor, number, action)
    c.transition(wang.actor, number, Action.REPLY, details={"resolution": "已退费", "reply_method": "phone"})
    c.transition(wang.actor, number, Action.FOLLOW_UP, details={"satisfaction": 5})
    c.transition(wang.actor, number, Action.CLOSE)
    wang.close()
    month = datetime.now(BEIJING).strftime("%Y-%m")
    cli_account(monkeypatch, db_url, "lead1", role="supervisor", display_name="李组长")
    assert main(["qa", "sample", "--month", month, "--percent", "10", "--seed", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sampled"] == [number]
    points = ["--points", "facts=25", "--points", "articles=15", "--points", "on_time=20",
              "--points", "letter=15", "--points", "courtesy=10", "--points", "follow_up=10"]
    assert main(["qa", "score", number, *points, "--item-comment", "courtesy=语气欠佳"]) == 0
    assert "95.0" in capsys.readouterr().out
    assert main(["--lang", "en", "qa", "score", number, "--points", "facts=99"]) == 2
    assert "from 0 to 25" in capsys.readouterr().err
    cli_account(monkeypatch, db_url, "wang", role="agent", display_name="王芳")
    assert main(["qa", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["score"], r["reviewer"]) for r in listed] == [(number, 95.0, "李组长")]
    assert main(["--lang", "zh_CN", "qa", "sample", "--month", month]) == 2
    assert "无权执行此操作" in capsys.readouterr().err


def test_stats_recount_check_and_rebuild(services: AppServices, db_url: str, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _pending(db_url)
    cli_account(monkeypatch, db_url, "lead1", role="supervisor", display_name="李组长")
    assert main(["--lang", "en", "stats", "recount", "--check"]) == 0
    assert "agrees with a recount" in capsys.readouterr().out
    from sqlalchemy import text

    with services.engine.begin() as connection:
        connection.execute(text("UPDATE stats_daily SET received = 5 WHERE dim = 'agent'"))
    assert main(["--lang", "en", "stats", "recount", "--check", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["consistent"] is False
    assert main(["--lang", "en", "stats", "recount"]) == 0
    assert "1 row(s) differed" in capsys.readouterr().out
    assert main(["stats", "recount", "--check"]) == 0
    cli_account(monkeypatch, db_url, "wang", role="agent", display_name="王芳")
    assert main(["--lang", "zh_CN", "stats", "recount"]) == 2
    assert "无权执行此操作" in capsys.readouterr().err
