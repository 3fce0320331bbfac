"""Kill the desk (SIGKILL) at random moments while an agent types: each time, what was typed
more than one second before the kill is in the (encrypted) draft.

20 runs in real subprocesses, each typing a character every 40 ms into the complaint text.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from desktop.services.drafts import DraftStore
from tests.accounts import open_as

REPO_ROOT = Path(__file__).resolve().parents[3]
RUNS = 20
MAX_LOSS_S = 1.0
TEXT = "客户反映本月话费异常扣费要求退还" * 20

CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    from desktop.settings import Settings
    from desktop.ui.intake.form import IntakeForm
    from tests.accounts import open_as

    app = QApplication([])
    services = open_as(sys.argv[1], "tester", role="admin")
    form = IntakeForm(services, Settings())
    form.show()
    app.processEvents()
    editor = form.fields.editors["description"]
    editor.setFocus()
    text = sys.argv[2]
    print("key", form.draft_key, flush=True)
    typed = 0

    def type_one():
        global typed
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, text[typed]))
        typed += 1
        print("typed", typed, time.monotonic(), flush=True)

    timer = QTimer()
    timer.setInterval(40)
    timer.timeout.connect(type_one)
    timer.start()
    app.exec()
""")


def _collect(stream: IO[str], lines: list[str]) -> None:
    lines.extend(iter(stream.readline, ""))


@pytest.mark.slow
@pytest.mark.gui  # real desks in subprocesses
def test_a_killed_desk_loses_at_most_one_second_of_typing(tmp_path: Path, db_url: str) -> None:
    open_as(db_url, "tester", role="admin").close()  # migrate once, outside the children
    script = tmp_path / "typing_desk.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}
    rng = random.Random(20261129)
    store = DraftStore()
    losses: list[float] = []
    deadline = time.monotonic() + 240
    for run in range(RUNS):
        assert time.monotonic() < deadline, f"only {run} runs in the time allowed"
        lines: list[str] = []
        with (tmp_path / f"stderr-{run}.txt").open("w") as errors, subprocess.Popen(
                [sys.executable, str(script), db_url, TEXT], stdout=subprocess.PIPE, stderr=errors,
                env=env, cwd=REPO_ROOT, text=True) as child:
            assert child.stdout is not None
            reader = threading.Thread(target=_collect, args=(child.stdout, lines))
            reader.start()
            start = time.monotonic()
            while not any(line.startswith("typed") for line in lines):
                if child.poll() is not None or time.monotonic() - start > 60:
                    child.kill()
                    reader.join()
                    pytest.fail((tmp_path / f"stderr-{run}.txt").read_text())
                time.sleep(0.01)
            time.sleep(rng.uniform(0.2, 2.5))  # a random moment while typing
            child.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            child.wait(timeout=30)
            reader.join(timeout=30)
        assert child.returncode == -signal.SIGKILL
        key = next(line.split()[1] for line in lines if line.startswith("key"))
        stamps = [(int(parts[1]), float(parts[2])) for parts in (line.split() for line in lines)
                  if parts[0] == "typed"]
        typed = max(count for count, _at in stamps)
        must_have = max((count for count, at in stamps if at <= killed_at - MAX_LOSS_S), default=0)
        draft = store.load(key)
        kept = draft.fields["description"] if draft is not None else ""
        assert TEXT.startswith(kept), "the draft is a clean prefix of what was typed"
        assert len(kept) >= must_have, (run, len(kept), must_have, typed)
        lost_chars = typed - len(kept)
        losses.append(lost_chars * 0.040)
    print(f"{RUNS} kills; characters lost per kill at 25/s: max {max(losses) / 0.04:.0f} "
          f"(≈{max(losses):.2f} s of typing), mean {sum(losses) / len(losses) / 0.04:.1f}")
