"""``complaint-desk stats``: JSON shape, text, bad dates, and one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.services.app import AppServices
from tests.services.test_stats import build_known_store

REPO = Path(__file__).resolve().parents[2]


def test_json_shape_and_figures(services: AppServices, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    build_known_store(services)
    assert main(["--db", db_url, "--user", "tester", "stats", "--from", "2025-09-10", "--to", "2025-09-13",
                 "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"period", "scope", "computed_at", "totals", "by_category", "by_channel", "by_time",
                            "by_agent"}
    assert payload["period"] == {"from": "2025-09-10", "to": "2025-09-13", "days": 4, "bucket": "day"}
    totals = payload["totals"]
    assert (totals["received"], totals["invalid"], totals["replied_late"], totals["compensation"]) == (
        4, 1, 2, "62.34")
    assert totals["on_time_rate"] == 0.0 and totals["satisfaction_average"] == 3.0
    assert {row["key"]: row["received"] for row in payload["by_category"]} == {"billing": 2, "network": 1,
                                                                               "broadband": 1}
    assert payload["by_agent"][0]["name"] == "测试员"


def test_text_output_and_bad_range(services: AppServices, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    build_known_store(services)
    assert main(["--db", db_url, "--user", "tester", "stats", "--from", "2025-09-01", "--to", "2025-09-30"]) == 0
    out = capsys.readouterr().out
    assert "受理：4 件（有效 3，无效 1）" in out and "资费争议" in out and "赔偿金额：62.34 元" in out
    assert main(["--db", db_url, "stats", "--from", "2025-09-30", "--to", "2025-09-01"]) == 2
    assert "早于开始日期" in capsys.readouterr().err
    assert main(["--db", db_url, "--lang", "en", "stats", "--from", "2025-9-31"]) == 2
    assert "is not a date like 2024-03-31" in capsys.readouterr().err


def test_subprocess_prints_json(services: AppServices, db_url: str) -> None:
    build_known_store(services)
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "--db", db_url, "--user", "tester", "stats",
         "--from", "2025-08-01", "--to", "2025-08-31", "--json"],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["received"] == 1
