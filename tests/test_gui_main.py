"""`python -m desktop` end to end in a real subprocess (as the README's images are made).

Demo complaints go only into the separate demo store (``--demo``); a new real store, SQLite or
PostgreSQL, stays empty.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services.queue import QueueFilter, QueueQuery
from tests.accounts import open_as

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_desk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "desktop", "--lang", "en", *args],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)


def complaints_in(url: str) -> int:
    app = open_as(url, "tester", role="admin")
    try:
        return app.queue.count(QueueQuery(filter=QueueFilter.ALL))
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.gui  # starts the real desk (in a subprocess)
def test_demo_flag_opens_the_separate_demo_store_and_fills_it(tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    result = run_desk(tmp_path, "--demo", "--screenshot", str(target), "--view", "queue")
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert (image.width(), image.height()) == (1366, 768)
    from desktop.demo_store import DEMO_ROWS, demo_store_url

    assert "demo" in demo_store_url()
    assert complaints_in(demo_store_url()) == DEMO_ROWS


@pytest.mark.slow
@pytest.mark.gui
def test_a_new_real_sqlite_store_stays_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'fresh.sqlite3').as_posix()}"
    result = run_desk(tmp_path, "--db", url)
    # Not set up: the desk says how to set it up (or to use --demo), fills nothing, shows no traceback.
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "setup --admin" in result.stderr and "--demo" in result.stderr
    assert complaints_in(url) == 0


@pytest.mark.slow
@pytest.mark.gui
def test_a_new_production_postgresql_store_stays_empty(tmp_path: Path, postgres_url: str) -> None:
    result = run_desk(tmp_path, "--db", postgres_url)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "setup --admin" in result.stderr
    assert complaints_in(postgres_url) == 0


def test_demo_and_db_together_are_refused_in_one_sentence(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "desktop", "--demo", "--db", "sqlite://"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--db" in result.stderr and "--demo" in result.stderr


def test_window_title_names_the_demo_store() -> None:
    from desktop.ui.main_status import window_title

    assert "演示数据" in window_title(None, demo=True)
    assert "演示数据" not in window_title(None)
