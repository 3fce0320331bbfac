"""The admin CLI: JSON shapes, exit codes and messages, in-process and through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main

COMPLAINT = {
    "received_at": "2025-04-30T16:20:00+08:00",
    "channel": "counter",
    "category": "subscription",
    "customer_name": "李四",
    "phone": "+86 139-0000-1111",
    "description": "客户发现号码被开通视频彩铃业务，每月扣费10元，称从未订购。",
    "demand": "要求退订并退还已扣费用",
}


def run_cli(*args: str, stdin: str | None = None, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if db_url:
        env["COMPLAINT_DESK_DB"] = db_url
    return subprocess.run([sys.executable, "-m", "desktop.cli.main", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_deadline_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--received", "2025-01-20T09:00:00+08:00", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) >= {"rule", "received_at", "due_date", "due_at", "calendar", "basis", "trace"}
    assert payload["rule"] == "reply"
    assert payload["due_date"] == "2025-02-05"  # 2/4 is the last Spring Festival rest day
    assert payload["due_at"] == "2025-02-06T00:00:00+08:00"
    assert payload["calendar"] == "official"
    assert any("第二百零三条" in b["citation"] for b in payload["basis"])
    assert len(payload["trace"]) >= 3


def test_deadline_utc_input_uses_beijing_date(capsys: pytest.CaptureFixture[str]) -> None:
    # 2025-09-27T17:00Z is already 2025-09-28 01:00 in Beijing.
    assert main(["deadline", "--received", "2025-09-27T17:00:00Z", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due_date"] == "2025-10-13"


def test_deadline_bad_date_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--received", "next tuesday"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("complaint-desk: ") and "next tuesday" in err


def test_add_show_list_through_a_real_process(db_url: str) -> None:
    added = run_cli("complaint", "add", "--json", "-", stdin=json.dumps(COMPLAINT, ensure_ascii=False),
                    db_url=db_url)
    assert added.returncode == 0, added.stderr
    record = json.loads(added.stdout)
    assert record["number"] == "TS-20250430-0001"
    assert record["status"] == "registered"
    assert record["phone"] == "139****1111"  # masked in every printout (see tests/cli/test_privacy_cli.py)
    # 4/30 + 15 = 5/15, a Thursday after the May Day holiday (5/1–5/5): a working day.
    assert record["deadlines"]["reply"]["due_date"] == "2025-05-15"

    shown = run_cli("complaint", "show", record["number"], "--json", db_url=db_url)
    assert json.loads(shown.stdout)["uuid"] == record["uuid"]

    listed = run_cli("complaint", "list", "--overdue", "--json", db_url=db_url)
    assert [item["number"] for item in json.loads(listed.stdout)] == [record["number"]]


def test_add_rejects_bad_input_with_specific_messages(db_url: str, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    bad = dict(COMPLAINT, phone="1390000111", id_number="110105194912310021")
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(bad, ensure_ascii=False)))
    assert main(["--db", db_url, "--lang", "en", "complaint", "add", "--json", "-"]) == 2
    err = capsys.readouterr().err
    assert "11 digits" in err and "check digit" in err
    assert main(["--db", db_url, "complaint", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_transition_errors_exit_non_zero(db_url: str, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(COMPLAINT, ensure_ascii=False)))
    assert main(["--db", db_url, "complaint", "add", "--json", "-"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert main(["--db", db_url, "--lang", "en", "complaint", "transition", number, "close"]) == 2
    assert "Close the case" in capsys.readouterr().err
    assert main(["--db", db_url, "complaint", "transition", number, "acknowledge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "acknowledged"


def test_show_unknown_number(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "--lang", "en", "complaint", "show", "TS-20990101-0001"]) == 2
    assert "TS-20990101-0001" in capsys.readouterr().err


def test_demo_data_and_export(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "demo-data", "--count", "300", "--seed", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 300
    out = tmp_path / "export.csv"
    assert main(["--db", db_url, "export", "--format", "csv", "--out", str(out), "--reason", "月度报表"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("投诉编号,受理时间,受理渠道,投诉类别")
    assert len(lines) == 301


def test_bench_prints_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{(tmp_path / 'bench.sqlite3').as_posix()}"
    assert main(["--db", url, "bench", "--rows", "500", "--repeat", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"] >= 500 and result["dialect"] == "sqlite"
    # A new store has no statistics at open; the product analyses it then and after generation.
    assert result["maintenance"][:2] == ["analysed at open (statistics were missing or stale, as on any start)",
                                         "analysed after demo generation (as demo-data does)"]
    assert result["maintenance"][2].startswith("analysed after the recompute, as the product does after one (")
    assert len(result["maintenance"]) == 3
    figures = {f["name"]: f for f in result["figures"]}
    assert set(figures) == {"queue_first_page", "queue_sort_customer", "queue_sort_received", "queue_overdue",
                            "search_rare_3char", "search_common_3char", "repeat_lookup", "case_open",
                            "save_complaint", "year_statistics", "recompute_open_deadlines"}
    for figure in figures.values():
        assert figure["app_ms"] > 0
        assert figure["raw_ms"] > 0 and figure["ratio"] > 0
    assert figures["case_open"]["statements"] >= 3  # the replay ran the app's own SQL
    # The recompute's twin is the same statements in a rolled-back transaction.
    assert figures["recompute_open_deadlines"]["moved"] > 0
    assert figures["recompute_open_deadlines"]["statements"] > figures["recompute_open_deadlines"]["moved"] / 500
    # Its floor: the due-date updates alone, part of the same replay.
    recompute = figures["recompute_open_deadlines"]
    assert 0 < recompute["due_update_statements"] < recompute["statements"]
    assert recompute["raw_due_updates_ms"] > 0  # (at 500 rows too small to compare with raw_ms reliably)
    assert figures["year_statistics"]["recount_ms"] > 0


def test_bench_export_figures_are_optional(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{(tmp_path / 'bench.sqlite3').as_posix()}"
    assert main(["--db", url, "bench", "--rows", "300", "--repeat", "1", "--export", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    figures = {f["name"]: f for f in result["figures"]}
    for fmt in ("csv", "xlsx"):
        figure = figures[f"export_{fmt}"]
        assert figure["rows"] == result["rows"] and figure["app_ms"] > 0
        assert figure["file_mb"] > 0 and figure["peak_rss_mb"] >= figure["rss_before_mb"] > 0
    assert main(["--db", url, "bench", "--rows", "300", "--repeat", "1"]) == 0  # without --export: none
    out = capsys.readouterr().out
    assert "export_csv" not in out and "queue_first_page" in out


@pytest.mark.postgres
def test_bench_runs_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", postgres_url, "bench", "--rows", "300", "--repeat", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["dialect"] == "postgresql" and result["rows"] >= 300
    figures = {f["name"]: f for f in result["figures"]}
    assert figures["search_rare_3char"]["raw_ms"] > 0
    assert figures["save_complaint"]["raw_ms"] > 0


def test_calendar_import_through_the_cli(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "--user", "boss", "calendar", "years", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["official_years"] == list(range(2020, 2027))
    schedule = tmp_path / "2019.json"
    schedule.write_text(json.dumps({
        "year": 2019, "source": "国办发明电〔2018〕15号",
        "rest_days": [{"name": "国庆节", "from": "2019-10-01", "to": "2019-10-07"}],
        "working_days": [{"name": "国庆节调休上班", "date": "2019-09-29"},
                         {"name": "国庆节调休上班", "date": "2019-10-12"}],
    }, ensure_ascii=False), encoding="utf-8")
    # The first user of a new store is its admin; a later agent may not import calendars, nor a supervisor.
    assert main(["--db", db_url, "--user", "agent7", "--lang", "en", "calendar", "import", str(schedule)]) == 2
    assert "not allowed to do this: importing holiday schedules" in capsys.readouterr().err
    assert main(["--db", db_url, "--user", "lead5", "--lang", "zh_CN", "calendar", "import", str(schedule)]) == 2
    assert "lead5（班组长）无权执行此操作：导入节假日安排。" in capsys.readouterr().err
    assert main(["--db", db_url, "--user", "lead5", "calendar", "years", "--json"]) == 0  # reading is for all
    assert 2019 not in json.loads(capsys.readouterr().out)["official_years"]
    assert main(["--db", db_url, "--user", "boss", "calendar", "import", str(schedule), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["year"] == 2019
    assert main(["--db", db_url, "deadline", "--store", "--received", "2019-09-20T10:00+08:00", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["due_date"], payload["calendar"]) == ("2019-10-08", "official")


def test_calendar_import_rejects_a_bad_file(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2027, "rest_days": [', encoding="utf-8")
    assert main(["--db", db_url, "--lang", "en", "calendar", "import", str(bad)]) == 2
    assert "line 1" in capsys.readouterr().err


def test_site_settings_and_rule_amounts(db_url: str, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    base = ["--db", db_url, "--user", "boss"]
    regulator_case = dict(COMPLAINT, channel="regulator", received_at="2025-06-03T09:00:00+08:00")
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(regulator_case, ensure_ascii=False)))
    assert main([*base, "complaint", "add", "--json", "-"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]

    assert main([*base, "site", "set", "operator_name", "中国电信股份有限公司广州分公司", "--json"]) == 0
    capsys.readouterr()
    assert main([*base, "site", "set", "deadline_rules", '{"regulator": 5}', "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recomputed"] == 1
    assert main([*base, "complaint", "show", number, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reply_due_date"] == "2025-06-10"  # 5 working days: 6/4–6/10

    assert main([*base, "site", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["operator_name"] == "中国电信股份有限公司广州分公司"
    assert shown["deadline_rules"]["regulator"]["amount"] == 5
    assert shown["deadline_rules"]["reply"]["amount"] == 15

    assert main([*base, "--lang", "en", "site", "set", "deadline_rules", '{"reply": 30}']) == 2
    assert "15" in capsys.readouterr().err  # a site may shorten the legal period, never lengthen it
    assert main(["--db", db_url, "--user", "agent3", "--lang", "en", "site", "set", "site_name", "x"]) == 2
    assert "not allowed to do this: changing site settings" in capsys.readouterr().err


def test_bench_import_figure_is_optional(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{(tmp_path / 'bench.sqlite3').as_posix()}"
    assert main(["--db", url, "bench", "--rows", "300", "--repeat", "1", "--import-rows", "120", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    figure = {f["name"]: f for f in result["figures"]}["import_csv"]
    assert figure["rows"] == 120 and figure["app_ms"] > 0
    assert 0 < figure["longest_write_ms"] <= figure["app_ms"] and figure["write_transactions"] >= 2
    assert result["rows"] >= 300 + 120  # the imported complaints are kept, as an import keeps them
    assert main(["--db", url, "--lang", "en", "bench", "--rows", "300", "--import-rows", "-1"]) == 2
    assert "--import-rows cannot be negative." in capsys.readouterr().err
