"""Personal data in the CLI: masked printouts, reveals with a reason, export policy, the audit log."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.accounts import cli_account, open_as

FULL = ("13812345678", "11010519491231002X", "62345678", "中关村大街")
CASE = {
    "received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
    "customer_name": "张三丰", "phone": "13812345678", "contact_phone": "010-62345678",
    "id_number": "11010519491231002X", "address": "北京市海淀区中关村大街1号",
    "description": "请回拨13812345678", "demand": "=HYPERLINK(\"http://evil.example\",\"退费\")",
}


def add_case(db_url: str) -> str:
    seat = open_as(db_url, "tester", role="admin", display_name="测试员")
    try:
        return seat.complaints.create(seat.actor, CASE).number
    finally:
        seat.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_no_full_values(text: str) -> None:
    for value in FULL:
        assert value not in text


def test_show_and_list_print_no_full_phone_or_id(db_url: str, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cli_account(monkeypatch, db_url)
    number = add_case(db_url)
    for args in (("complaint", "show", number, "--json"), ("complaint", "show", number),
                 ("complaint", "list", "--json"), ("complaint", "list")):
        code, out, _err = run(capsys, *args)
        assert code == 0
        assert_no_full_values(out)
    code, out, _err = run(capsys, "complaint", "show", number, "--json")
    shown = json.loads(out)
    assert (shown["phone"], shown["id_number"]) == ("138****5678", "110105********002X")


def test_reveal_needs_a_reason_and_is_logged(db_url: str, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    cli_account(monkeypatch, db_url)
    number = add_case(db_url)
    code, out, err = run(capsys, "complaint", "show", number, "--reveal", "phone")
    assert code == 2 and "原因" in err and out == ""
    code, out, _err = run(capsys, "complaint", "show", number, "--reveal", "phone", "--reason", "回访", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["phone"] == "13812345678" and shown["revealed"] == ["phone"]
    assert shown["id_number"] == "110105********002X"  # only what was asked for
    code, out, _err = run(capsys, "audit", "access-log", "--json")
    [entry] = json.loads(out)
    assert (entry["action"], entry["number"], entry["field"], entry["reason"]) == ("reveal", number, "phone", "回访")


def test_agent_of_another_team_is_refused(db_url: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    number = add_case(db_url)
    cli_account(monkeypatch, db_url, "outsider", role="agent")
    open_as(db_url, "outsider", role="agent", team="二班").close()  # cli_account signs in to the default team
    code, out, err = run(capsys, "complaint", "show", number, "--reveal", "phone", "--reason", "回访")
    assert code == 2 and out == "" and "无权查看" in err
    assert_no_full_values(err)
    code, _out, err = run(capsys, "audit", "access-log")
    assert code == 2 and "查看审计日志" in err


def test_export_policy(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    number = add_case(db_url)
    out = tmp_path / "export.csv"
    cli_account(monkeypatch, db_url, "clerk", role="agent")
    code, _out, err = run(capsys, "export", "--out", str(out), "--reason", "月度报表")
    assert code == 2 and "导出投诉" in err and not out.exists()

    cli_account(monkeypatch, db_url, "boss", role="supervisor")
    code, _out, err = run(capsys, "export", "--out", str(out))
    assert code == 2 and "原因" in err and not out.exists()

    code, _out, _err = run(capsys, "export", "--out", str(out), "--reason", "月度报表", "--headers", "en")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["number"] for r in rows] == [number]
    assert rows[0]["phone"] == "138****5678" and rows[0]["customer_name"] == "张**"
    assert "13812345678" not in out.read_text(encoding="utf-8-sig")

    code, stdout, _err = run(capsys, "export", "--unmasked", "--reason", "监管部门调取")
    assert code == 0
    assert "13812345678" in stdout

    cli_account(monkeypatch, db_url, "tester", role="admin")
    audit = tmp_path / "audit.csv"
    code, _out, _err = run(capsys, "audit", "access-log", "--user", "boss", "--out", str(audit))
    assert code == 0
    logged = list(csv.DictReader(io.StringIO(audit.read_text(encoding="utf-8-sig"))))
    assert [(r["action"], json.loads(r["details"])["rows"], json.loads(r["details"])["masked"], r["reason"])
            for r in logged] == [("export", 1, False, "监管部门调取"), ("export", 1, True, "月度报表")]
    assert all(r["host"] for r in logged)


def test_formula_cells_are_neutralised_in_the_csv(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    add_case(db_url)
    cli_account(monkeypatch, db_url)
    out = tmp_path / "export.csv"
    assert run(capsys, "export", "--out", str(out), "--reason", "抽查")[0] == 0
    cells = [cell for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for cell in row]
    assert not any(re.match(r"[=+\-@\t\r]", cell) for cell in cells)


def test_audit_filters_and_bad_dates(db_url: str, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cli_account(monkeypatch, db_url)
    number = add_case(db_url)
    assert run(capsys, "complaint", "show", number, "--reveal", "address", "--reason", "寄送函件")[0] == 0
    code, out, _err = run(capsys, "audit", "access-log", "--case", number, "--from", "2020-01-01")
    assert code == 0 and number in out and "寄送函件" in out
    code, out, _err = run(capsys, "audit", "access-log", "--to", "2020-01-01")
    assert code == 0 and out.strip() == "没有访问记录。"
    monkeypatch.setattr(sys, "argv", ["complaint-desk"])
    with pytest.raises(SystemExit):
        main(["audit", "access-log", "--from", "yesterday"])
    assert "yesterday" in capsys.readouterr().err


def test_unmasked_list_is_for_supervisors_with_a_reason_and_recorded(
        db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    add_case(db_url)
    cli_account(monkeypatch, db_url, "clerk", role="agent")
    code, out, err = run(capsys, "complaint", "list", "--unmasked", "--reason", "回访")
    assert code == 2 and out == "" and "不脱敏地列出个人信息" in err
    cli_account(monkeypatch, db_url, "boss", role="supervisor")
    code, out, err = run(capsys, "complaint", "list", "--unmasked")
    assert code == 2 and out == "" and "原因" in err
    code, out, _err = run(capsys, "complaint", "list", "--unmasked", "--reason", "批量回访", "--json")
    assert code == 0 and json.loads(out)[0]["phone"] == "13812345678"
    cli_account(monkeypatch, db_url, "tester", role="admin")
    code, out, _err = run(capsys, "audit", "access-log", "--json")
    [entry] = json.loads(out)
    assert (entry["login"], entry["action"], entry["reason"]) == ("boss", "bulk_read", "批量回访")
    assert entry["details"] == {"rows": 1, "masked": False, "what": "complaint list"}
