"""`python -m desktop --screenshot` end to end in a real subprocess (as the README's images are made)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.gui  # starts the real desk (in a subprocess)
def test_screenshot_of_a_new_store_shows_the_demo_queue(tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    db = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", f"sqlite:///{db.as_posix()}", "--lang", "en",
         "--screenshot", str(target), "--view", "queue"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert image.width() >= 1000 and image.height() >= 600
    # The empty store was filled with demo complaints so the first start shows a working desk.
    from desktop.services.queue import QueueFilter, QueueQuery
    from tests.accounts import open_as

    app = open_as(f"sqlite:///{db.as_posix()}", "tester", role="admin")
    try:
        assert app.queue.count(QueueQuery(filter=QueueFilter.ALL)) == 300
    finally:
        app.close()
