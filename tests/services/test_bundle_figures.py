"""The figures' code path on SQLite and PostgreSQL (BUNDLE_BENCH_CASES=1000 for the reported figures)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.bundle.bench import bundle_figures, change_latency
from tests.accounts import open_as

CASES = int(os.environ.get("BUNDLE_BENCH_CASES", "20"))
SAMPLES = int(os.environ.get("BUNDLE_BENCH_SAMPLES", "5"))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_bundle_and_change_figures(backend: str, request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> None:
    url = str(request.getfixturevalue("postgres_url")) if backend == "postgresql" else db_url
    services = open_as(url, "bench", role="admin", display_name="测试主管")  # demo cases span every team
    try:
        figures = bundle_figures(services, CASES, tmp_path)
    finally:
        services.close()
    latency = change_latency(url, SAMPLES)
    print(f"\n{backend}: {figures}\n{backend}: change to other seat {latency}")
    assert figures["applied"] == CASES and figures["conflicts"] == 0
    assert latency["max_ms"] < 2000
