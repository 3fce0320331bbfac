"""Bounded work on untrusted files: each reader stops at its time limit with one message, exit 2.

The limits are seconds of wall-clock time (desktop/domain/work_limit.py); each test makes one
tiny through its environment variable and feeds a real, valid file — the same file goes
through without the limit, so it is the limit that stops it, not a defect of the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.cli.main import main
from desktop.domain.work_limit import ENV_PREFIX, WorkDeadline, WorkTimeoutError
from desktop.letters.keys import SigningIdentity, create_site_ca, issue_agent_certificate, site_ca_dir
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf
from desktop.store.db import create_db_engine
from desktop.store.models import CalendarYearRecord, Complaint
from tests.law.site_packs import amended_site_pack

TINY = "0.000001"
PASSPHRASE = b"counter-secret"


def stopped(capsys: pytest.CaptureFixture[str]) -> str:
    """The one line a stopped command prints."""
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert "秒" in lines[0] and "已停止" in lines[0] and "未作任何更改" in lines[0], lines[0]
    return lines[0]


def count(db_url: str, model: type[Complaint] | type[CalendarYearRecord]) -> int:
    engine = create_db_engine(db_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(model)).scalar_one())
    finally:
        engine.dispose()


def test_a_deadline_stops_once_its_time_has_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    WorkDeadline("pdf").check()  # the default limit: nothing happens
    monkeypatch.setenv(ENV_PREFIX + "PDF", TINY)
    deadline = WorkDeadline("pdf")
    assert deadline.seconds == pytest.approx(1e-6)
    with pytest.raises(WorkTimeoutError):
        for _ in range(10_000):
            deadline.check()
    monkeypatch.setenv(ENV_PREFIX + "PDF", "not a number")  # ignored: the default stays
    assert WorkDeadline("pdf").seconds == 60.0


def test_import_stops_at_its_time_limit_and_stores_nothing(db_url: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "in.csv"
    path.write_text("received_at,channel,category,customer_name,phone,description,demand\n"
                    + "2025-06-03 09:15,hotline,billing,王五,13700001234,多扣费,退费\n" * 2000, encoding="utf-8")
    monkeypatch.setenv(ENV_PREFIX + "IMPORT", TINY)
    assert main(["--db", db_url, "import", str(path)]) == 2
    assert "读取导入文件" in stopped(capsys)
    assert count(db_url, Complaint) == 0
    monkeypatch.delenv(ENV_PREFIX + "IMPORT")
    assert main(["--db", db_url, "import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 2000


def test_calendar_import_stops_at_its_time_limit(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    schedule = tmp_path / "2019.json"
    schedule.write_text(json.dumps({
        "year": 2019, "source": "国办发明电〔2018〕15号",
        "rest_days": [{"name": "国庆节", "from": "2019-10-01", "to": "2019-10-07"}],
        "working_days": [{"name": "国庆节调休上班", "date": "2019-09-29"}],
    }, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(ENV_PREFIX + "CALENDAR", TINY)
    assert main(["--db", db_url, "calendar", "import", str(schedule)]) == 2
    assert "日历文件" in stopped(capsys)
    assert count(db_url, CalendarYearRecord) == 0
    monkeypatch.delenv(ENV_PREFIX + "CALENDAR")
    assert main(["--db", db_url, "calendar", "import", str(schedule), "--json"]) == 0


def test_law_pack_import_stops_at_its_time_limit(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    pack = amended_site_pack(tmp_path / "pack")  # real, signed by the site CA
    monkeypatch.setenv(ENV_PREFIX + "LAW_PACK", TINY)
    assert main(["--db", db_url, "law", "import", str(pack)]) == 2
    assert "法规包" in stopped(capsys)
    monkeypatch.delenv(ENV_PREFIX + "LAW_PACK")
    assert main(["--db", db_url, "law", "import", str(pack), "--json"]) == 0


def test_letter_verify_stops_at_its_time_limit(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    ca = create_site_ca(site_ca_dir(), "朝阳门营业厅测试站点", PASSPHRASE)
    identity: SigningIdentity = issue_agent_certificate(ca, "李娜", PASSPHRASE)
    path = tmp_path / "letter.pdf"
    path.write_bytes(sign_pdf(render_letter(sample_content()), identity, PASSPHRASE, reason="处理结果告知书",
                              location="朝阳门营业厅"))
    monkeypatch.setenv(ENV_PREFIX + "PDF", TINY)
    assert main(["--db", db_url, "letter", "verify", str(path), "--no-store"]) == 2
    assert "PDF" in stopped(capsys)
    monkeypatch.delenv(ENV_PREFIX + "PDF")
    assert main(["--db", db_url, "letter", "verify", str(path), "--no-store", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
