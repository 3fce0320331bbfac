"""What the desk loads before its queue's first page is painted (issue 13: start-up).

A fresh interpreter opens a store, signs in and shows the desk as ``python -m desktop`` does; the
modules loaded at the queue's first paint are compared with those the first screen does not need.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.services.app import AppServices
from tests.accounts import TEST_PASSWORD

REPO = Path(__file__).resolve().parents[2]

# Loaded on first use (statistics, a letter, the law dock, an import…) or on a thread after the first
# paint (the dictionaries, the deadline calendar, the history check): never before it.
NOT_BEFORE_FIRST_PAINT = (
    "desktop.law.loader", "desktop.law.store", "desktop.law.diff",
    "desktop.services.stats", "desktop.services.quality", "desktop.services.supervision",
    "desktop.services.keys", "desktop.letters.audit_key", "desktop.letters.render",
    "jieba", "bm25s", "pypinyin", "holidays", "reportlab", "pyhanko", "alembic", "openpyxl",
    "desktop.ui.intake.form",  # the new-complaint tab is built once the queue is on screen
)
# The case view (the work area's first tab) still brings these with it; the queue alone, as
# desktop/bench_gui.py measures it, does not.
CASE_VIEW_BRINGS = (
    "desktop.law.index", "desktop.law.segment", "desktop.law.suggest",
    "desktop.services.citations", "desktop.services.law_learning", "desktop.services.letters",
    "desktop.services.privacy", "PySide6.QtPrintSupport", "PySide6.QtPdf",
    "desktop.services.drafts", "cryptography",
)

CHILD = """
import json, sys
from desktop.services.app import Store
from pathlib import Path
from desktop.settings import Settings
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from desktop.ui.application import create_application
from desktop.ui.main_window import MainWindow

url, password, settings_path, case_view = sys.argv[1:5]
create_application([sys.argv[0]])
store = Store.open(url)
services = store.sign_in("tester", password)
settings = Settings(Path(settings_path))
settings.set("queue_filter", "all")
factory = {} if case_view == "yes" else {"case_factory": lambda _services, _settings: None}
window = MainWindow(services, settings, **factory)
loaded = []
loop = QEventLoop()

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and window.queue_model.rowCount() and not loaded:
            loaded.append(sorted(sys.modules))
            QTimer.singleShot(0, loop.quit)
        return False

watch = FirstPaint()
window.queue_view.table.viewport().installEventFilter(watch)
window.show()
QTimer.singleShot(60000, loop.quit)
loop.exec()
window.runner.wait()
print(json.dumps(loaded[0] if loaded else None))
"""


@pytest.mark.slow
@pytest.mark.parametrize("case_view", ["yes", "no"])
def test_the_first_paint_loads_nothing_the_queue_does_not_need(desk_services: AppServices, tmp_path: Path,
                                                               case_view: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHILD, desk_services.url, TEST_PASSWORD,
                           str(tmp_path / "settings.ini"), case_view],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded is not None, "the queue was never painted"
    deferred = NOT_BEFORE_FIRST_PAINT if case_view == "yes" else NOT_BEFORE_FIRST_PAINT + CASE_VIEW_BRINGS
    early = [name for name in loaded if name.startswith(deferred)]
    assert early == [], " ".join(early)


def test_importing_the_translations_reads_no_catalog() -> None:
    """The catalogs are read at the first translated string, once, in the language then active."""
    code = ("import sys\n"
            "import desktop.i18n as i18n\n"
            "assert i18n._translation is None, 'catalogs read at import'\n"
            "i18n.set_language('en')\n"
            "i18n.set_language('zh_CN')\n"
            "assert i18n._translation is None, 'catalogs read by set_language'\n"
            "print(i18n._('Reply due at'))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "答复截止时间"
