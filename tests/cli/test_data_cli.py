"""Bad input at the CLI: one line on stderr in the user's language, exit code 2, nothing half-stored.

Each test is a case a tester found (a traceback or silent corruption) kept as a regression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.accounts import cli_account

COMPLAINT = {
    "received_at": "2025-04-30T16:20:00+08:00", "channel": "counter", "category": "subscription",
    "customer_name": "李四", "phone": "+86 139-0000-1111", "description": "视频彩铃每月扣费10元，称从未订购。",
    "demand": "要求退订并退还已扣费用",
}


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    cli_account(monkeypatch, db_url)
    return db_url


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert lines[0].startswith("complaint-desk: ")
    return lines[0]


def add(tmp_path: Path, payload: object | str, *extra: str) -> int:
    path = tmp_path / "complaint.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False),
                    encoding="utf-8")
    return main(["complaint", "add", str(path), *extra])


def count(capsys: pytest.CaptureFixture[str]) -> int:
    assert main(["complaint", "list", "--json"]) == 0
    return len(json.loads(capsys.readouterr().out))


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00:00", "9999-12-31 23:59", "1999-12-31 10:00"])
def test_add_with_an_absurd_year_is_one_message(cli: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                received_at: str) -> None:
    assert add(tmp_path, dict(COMPLAINT, received_at=received_at)) == 2
    assert "2000" in one_error_line(capsys)
    assert count(capsys) == 0


def test_add_with_deeply_nested_json_is_one_message(cli: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert add(tmp_path, "[" * 100_000) == 2
    assert "嵌套" in one_error_line(capsys)


def test_a_json_list_as_a_name_is_refused_not_stored_as_its_repr(cli: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert add(tmp_path, dict(COMPLAINT, customer_name=["张三"])) == 2
    assert "客户姓名" in one_error_line(capsys)
    assert count(capsys) == 0


def test_add_of_non_utf8_bytes_is_one_message(cli: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(COMPLAINT, ensure_ascii=False).encode("gbk"))
    assert main(["complaint", "add", str(path)]) == 2
    assert "UTF-8" in one_error_line(capsys)


def test_export_to_a_folder_is_one_message(cli: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--out", str(tmp_path)]) == 2
    assert "文件夹" in one_error_line(capsys)


@pytest.mark.parametrize("url", ["foo:bar", "postgresql://nobody@127.0.0.1:1/none", "sqlite:////proc/none/x.db"])
def test_a_bad_or_unreachable_database_is_one_message(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url, "complaint", "list"]) == 2
    one_error_line(capsys)


def test_a_file_that_is_no_database_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("这不是数据库" * 100, encoding="utf-8")
    assert main(["--db", f"sqlite:///{path.as_posix()}", "complaint", "list"]) == 2
    assert "数据库" in one_error_line(capsys)


@pytest.fixture
def number(cli: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert add(tmp_path, COMPLAINT, "--json") == 0
    value: str = json.loads(capsys.readouterr().out)["number"]
    for action in ("acknowledge", "investigate"):
        assert main(["complaint", "transition", value, action]) == 0
    capsys.readouterr()
    return value


@pytest.mark.parametrize(("action", "detail", "expected"), [
    ("reply", "reply_at=yesterday", "yesterday"),
    ("reply", "reply_at=2026-13-45", "2026-13-45"),
    ("follow_up", "followup_at=yesterday", "yesterday"),
    ("investigate", "investigation_notes=查了话单", "complaint update"),
    ("reply", "satisfaction=5", "satisfaction"),
    ("submit_for_approval", "foo=1", "foo"),
])
def test_step_details_are_checked_by_name_and_type(number: str, capsys: pytest.CaptureFixture[str], action: str,
                                                   detail: str, expected: str) -> None:
    args = ["complaint", "transition", number, action, "--detail", detail]
    if action == "follow_up":
        args += ["--detail", "satisfaction=5"]
    if action == "reply":
        args += ["--detail", "resolution=已退费", "--detail", "reply_method=phone"] if "satisfaction" not in detail \
            else []
    assert main(args) == 2
    assert expected in one_error_line(capsys)
    assert main(["complaint", "show", number, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "investigating"


def test_appeal_with_an_impossible_date_is_one_message(number: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaint", "transition", number, "record_appeal", "--detail", "appeal_date=2026-13-45"]) == 2
    assert "2026-13-45" in one_error_line(capsys)


def test_update_edits_what_the_desk_edits_with_the_version_check(number: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaint", "update", number, "--set", "investigation_notes=已调取话单", "--set", "compensation=20",
                 "--set", "resolution=退还10元", "--set", "agent=tester", "--set", "address=北京市东城区",
                 "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["investigation_notes"], record["compensation"], record["resolution"]) == (
        "已调取话单", "20.00", "退还10元")
    # Personal data is masked in the CLI's output; the stored value is the one typed.
    assert record["address"] == "北京市***" and record["assigned_agent_name"] == "测试员"
    assert main(["complaint", "show", number, "--reveal", "address", "--reason", "核对地址", "--json"]) == 0
    assert "北京市东城区" in capsys.readouterr().out
    stale = record["version"] - 1
    assert main(["complaint", "update", number, "--set", "resolution=x", "--expected-version", str(stale)]) == 2
    assert "版" in one_error_line(capsys)
    for bad, expected in (("colour=red", "colour"), ("phone=123", "被投诉号码"), ("agent=nobody", "nobody"),
                          ("compensation=-5", "赔偿")):
        assert main(["complaint", "update", number, "--set", bad]) == 2
        assert expected in one_error_line(capsys)


def test_link_and_cite_from_the_cli(number: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert add(tmp_path, dict(COMPLAINT, received_at="2025-05-06 09:00"), "--json") == 0
    later = json.loads(capsys.readouterr().out)["number"]
    assert main(["complaint", "link", later, number, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["linked_numbers"] == [number]
    assert main(["complaint", "cite", number, "电信条例", "34"]) == 0
    assert "电信条例" in capsys.readouterr().out
    assert main(["complaint", "cite", number, "电信条例", "9999"]) == 2
    one_error_line(capsys)


@pytest.mark.parametrize("content", [
    "{\"year\": 2027}".encode("gbk") + "中文".encode("gbk"),
    b"\xff\xfe\x00\x00garbage",
    b"[" * 100_000,
    b"[1, 2, 3]",
])
def test_calendar_import_of_bad_files_is_one_message(cli: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     content: bytes) -> None:
    path = tmp_path / "calendar.json"
    path.write_bytes(content)
    assert main(["calendar", "import", str(path)]) == 2
    one_error_line(capsys)


@pytest.mark.parametrize("manifest", [
    {"format_version": 1, "pack_version": "2099-01-01", "checksums": [1, 2], "statutes": []},
    {"format_version": 1, "pack_version": "2099-01-01", "checksums": {"files": []}, "statutes": []},
    {"format_version": 1, "pack_version": "2099-01-01", "statutes": 5},
    {"format_version": 1, "pack_version": "2099-01-01", "statutes": [["x"]]},
    {"format_version": 1, "pack_version": "2099-01-01", "statutes": ["../../etc"]},
    {"format_version": 1, "pack_version": "2099-01-01", "checksums": {"files": {"../../x": "0"}}, "statutes": []},
])
def test_law_import_of_a_malformed_pack_is_one_message(cli: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       manifest: dict[str, object]) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["law", "import", str(folder)]) == 2
    one_error_line(capsys)


def test_law_import_of_a_statute_with_wrong_types_is_one_message(cli: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pack"
    (folder / "statutes").mkdir(parents=True)
    (folder / "pack.json").write_text(json.dumps({"format_version": 1, "pack_version": "2099-01-01",
                                                  "statutes": ["x"]}), encoding="utf-8")
    (folder / "statutes" / "x.json").write_text(json.dumps({"key": "x", "articles": 5, "dates": []}),
                                                encoding="utf-8")
    assert main(["law", "import", str(folder)]) == 2
    one_error_line(capsys)


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\n", b"%PDF-1.7\n1 0 obj << /Type /Sig /M (D:XXXX) >>\n%%EOF",
                                     b"\x00" * 1000])
def test_letter_verify_of_a_damaged_file_never_crashes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       content: bytes) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    assert main(["letter", "verify", str(path)]) in (1, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_letter_verify_refuses_a_huge_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    assert main(["letter", "verify", str(path)]) == 2
    assert "50 MB" in one_error_line(capsys)


def test_an_internal_error_is_one_line_with_the_log_path(cli: str, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import complaint_commands
    from desktop.logs import log_path

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(complaint_commands, "handle_list", broken)
    assert main(["complaint", "list"]) == 1
    line = one_error_line(capsys)
    assert "RuntimeError" in line and str(log_path()) in line
    assert "simulated defect" in log_path().read_text(encoding="utf-8")


def test_import_summary_names_the_encoding_and_big5_is_not_mojibake(cli: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("客戶姓名,被投訴號碼,受理渠道,投訴類別,投訴內容,客戶訴求,受理時間\n".replace(
        "客戶姓名,被投訴號碼,受理渠道,投訴類別,投訴內容,客戶訴求,受理時間",
        "customer_name,phone,channel,category,description,demand,received_at").encode("big5")
        + "張三豐,13700001234,hotline,broadband,寬頻斷線,盡快修復,2025-06-03 09:15\n".encode("big5"))
    assert main(["import", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["encoding"] == "Big5"
    assert summary["write_transactions"] >= 4 and 0 <= summary["longest_write_ms"] < 5000
    assert set(summary["seconds"]) == {"check", "prepare", "stage", "publish"}
    assert main(["complaint", "show", summary["numbers"][0], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["customer_name"] == "張**"  # masked on screen…
    assert main(["complaint", "show", summary["numbers"][0], "--reveal", "customer_name", "--reason", "核对姓名",
                 "--json"]) == 0
    assert "張三豐" in capsys.readouterr().out  # …and stored as written, not as mojibake


def test_export_xlsx_and_english_headers_through_the_cli(cli: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert add(tmp_path, COMPLAINT) == 0
    out = tmp_path / "out.xlsx"
    assert main(["export", "--out", str(out), "--headers", "en", "--reason", "对接系统"]) == 0
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    assert rows[0][:3] == ("number", "received_at", "channel")
    assert rows[1][2] == "counter"
    assert not out.with_name("out.xlsx.partial").exists()


@pytest.mark.parametrize("args", [["complaint", "add"], ["export", "--format", "pdf"], ["nonsense"],
                                  ["complaint", "list", "--limit", "many"]])
def test_a_usage_mistake_is_one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("complaint-desk")


def test_import_summary_names_the_longest_write_transaction(cli: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.csv"
    path.write_text("customer_name,phone,channel,category,description,demand,received_at\n"
                    + "王五,13700001234,hotline,broadband,宽带断线,尽快修复,2025-06-03 09:15\n" * 3, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "已导入 3 条投诉" in out
    assert "最长一次占用数据库" in out and "毫秒" in out


@pytest.mark.parametrize(("login", "role"), [("zhuguan", "supervisor"), ("zuoxi", "agent")])
def test_calendar_recompute_is_an_admins_step(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str], login: str, role: str) -> None:
    cli_account(monkeypatch, db_url, "guanliyuan", role="admin", display_name="管理员")
    assert main(["calendar", "recompute", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"recomputed": 0}  # every stored deadline is current
    cli_account(monkeypatch, db_url, login, role=role)
    assert main(["calendar", "recompute"]) == 2
    assert "无权执行此操作：重算未结投诉的期限" in one_error_line(capsys)  # the step refused, in Chinese
