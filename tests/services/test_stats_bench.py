"""The statistics benchmark runs end to end on a tiny store, and both ways give the same figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.services.stats_bench import main


def test_bench_builds_measures_and_agrees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "bench.sqlite3"), "730"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rows"] == 730 and result["differences"] == 0
    fast, slow = result["year_summary"], result["year_recount"]
    assert fast["received"] == slow["received"] == 730
    assert (fast["on_time_rate"], fast["overdue_open"], fast["repeat_numbers"]) == (
        slow["on_time_rate"], slow["overdue_open"], slow["repeat_numbers"])
