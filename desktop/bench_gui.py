"""GUI benchmark: ``python -m desktop.bench_gui --rows 1000000 --json``.

Start-up is measured from process creation to the queue's first page painted, beside a bare
PySide6 window measured the same way in the same run (both as subprocesses), so the figure says
what the desk adds over Qt itself on this machine; and beside the same bare window with SQLAlchemy
imported and one Argon2id sign-in check, the floor no desk code can go below. Filter and sort
changes, the jump to the last row and searches are timed inside the desk's process up to the repaint
of the table; opening a case is timed in a case view (as the window's) from the call to its repaint.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.services.app import AppServices

from desktop.memory import resident_mb

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_USER = "agent01"  # a demo agent who owns about one case in eight
BENCH_PASSWORD = "Bench-2026-agent01"  # benchmark stores only (see bench_seat)
TARGETS = {"startup_s": 1.5, "filter_change_ms": 100, "sort_change_ms": 100, "jump_last_ms": 150,
           "search_3char_ms": 50, "case_open_ms": 50, "rss_mb": 300}
STARTUP_RATIO_TARGET = 3  # the painted queue within three bare PySide6 windows, measured in the same run
CASES_OPENED = 10


def bench_db(rows: int, folder: Path | None = None) -> Path:
    """Reuse ``bench-data/bench-N.sqlite3`` or build it with the demo generator (minutes for 1M)."""
    folder = folder or REPO_ROOT / "bench-data"
    path = folder / f"bench-{rows}.sqlite3"
    if path.exists():
        return path
    from desktop.services.demo import generate
    from desktop.store.maintenance import analyze

    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    app = bench_seat(f"sqlite:///{partial.as_posix()}")
    generate(app.sessions, app.complaints, app.actor, rows, batch_size=10000)
    # The same maintenance `complaint-desk demo-data` does after a bulk change, and no more: the
    # benchmark measures a store as a user's would be.
    analyze(app.engine)
    with app.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    app.close()
    partial.rename(path)  # only a complete database is ever reused
    return path


def bench_seat(url: str) -> AppServices:
    """The benchmark agent's seat (李静, agent01) on a benchmark store, signed in with a real password.

    Benchmark stores are demo stores: the demo accounts are added, and agent01 (a demo colleague
    without a password elsewhere) gets the benchmark password here and only here.
    """
    from desktop.services.app import Store
    from desktop.services.demo import ensure_demo_accounts, ensure_demo_agents
    from desktop.services.identity import hash_password
    from desktop.store.models import User

    store = Store.open(url)
    try:
        ensure_demo_accounts(store.sessions)
        ensure_demo_agents(store.sessions)
        with store.sessions.begin() as session:
            user = session.query(User).filter(User.login == BENCH_USER).one()
            if user.password_hash is None:
                user.password_hash = hash_password(BENCH_PASSWORD)
        return store.sign_in(BENCH_USER, BENCH_PASSWORD)
    except BaseException:
        store.close()
        raise


def _rss_mb() -> tuple[float, float]:
    return resident_mb()


# -- children -----------------------------------------------------------------------------------
def _child_bare(prepare: Callable[[], None] | None = None) -> dict[str, Any]:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget

    app = QApplication([sys.argv[0]])
    if prepare is not None:
        prepare()
    window = QMainWindow()
    table = QTableWidget(30, 9)
    window.setCentralWidget(table)
    painted: dict[str, float] = {}

    class Watch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and "at" not in painted:
                painted["at"] = time.time()
                app.quit()
            return False

    watch = Watch()
    table.viewport().installEventFilter(watch)
    window.resize(1400, 860)
    window.show()
    app.exec()
    return {"painted_at": painted["at"]}


def _child_floor(password_hash: str) -> dict[str, Any]:
    """The bare window plus the two things the desk cannot paint its queue without, and nothing of
    the desk's own: SQLAlchemy (imported before Qt, as the desk does) and one Argon2id check of the
    bench agent's password (the product's parameters travel in the hash). What start-up can reach
    at best on this machine, whatever the desk's own code does."""
    import sqlalchemy.orm  # noqa: F401 - the import is what is measured
    from argon2 import PasswordHasher

    def sign_in_check() -> None:
        PasswordHasher().verify(password_hash, BENCH_PASSWORD)  # raises when it does not match

    return _child_bare(sign_in_check)


SEARCH_REPEATS = 5


def _start_desk(url: str, *, whole: bool) -> tuple[Any, dict[str, float]]:
    """The desk signed in and shown, up to the queue's first painted rows; the window and that moment.

    ``whole``: the window as the desk builds it. Otherwise without the case view, whose start-up
    work (law index, segmenter) would share the cores with the timings that follow.
    """
    # The desk's own order (desktop/__main__.py): the store and services load before Qt. Modules
    # imported after PySide6 pass through its import hook, which reads each one's source.
    from desktop.i18n import set_language
    from desktop.services.app import AppServices  # noqa: F401 - loaded here as the desk loads it
    from desktop.services.queue import QueueFilter
    from desktop.settings import Settings

    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # isort: skip

    from desktop.ui.application import create_application
    from desktop.ui.main_window import MainWindow

    settings = Settings()
    settings.set("queue_filter", QueueFilter.MINE.value)
    set_language("zh_CN")
    create_application([sys.argv[0]])
    services = bench_seat(url)
    window = (MainWindow(services, settings) if whole
              else MainWindow(services, settings, case_factory=lambda _s, _t: None))
    table, model = window.queue_view.table, window.queue_model
    painted: dict[str, float] = {}
    first_paint = QEventLoop()

    class Watch(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and model.rowCount() and "at" not in painted:
                painted["at"] = time.time()
                QTimer.singleShot(0, first_paint.quit)
            return False

    watch = Watch()
    table.viewport().installEventFilter(watch)
    window.resize(1400, 860)
    window.show()
    first_paint.exec()  # not app.exec(): after QApplication.quit() later loops would end at once
    table.viewport().removeEventFilter(watch)
    return window, painted


def _child_whole_desk(url: str) -> dict[str, Any]:
    """Start-up only, of the window exactly as the desk builds it (case view included)."""
    window, painted = _start_desk(url, whole=True)
    window.runner.wait()
    window.close()
    window.services.close()
    return {"painted_at": painted["at"]}


def _child_desk(url: str, searches: list[str]) -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop  # isort: skip
    from PySide6.QtWidgets import QApplication  # isort: skip

    from desktop.services.queue import QueueFilter
    from desktop.ui.queue.state import column_index

    window, painted = _start_desk(url, whole=False)
    services, settings = window.services, window.settings
    table, model = window.queue_view.table, window.queue_model

    def until_refreshed(action: Callable[[], None]) -> float:
        loop = QEventLoop()
        model.refreshed.connect(loop.quit)
        started = time.perf_counter()
        action()
        if model.loading:
            loop.exec()
        model.refreshed.disconnect(loop.quit)
        table.viewport().repaint()  # paint now, synchronously: the figure includes drawing the rows
        return (time.perf_counter() - started) * 1000

    window.runner.wait()
    QApplication.processEvents()
    filters = [until_refreshed(lambda f=f: window.queue_view.set_filter(f))  # type: ignore[misc]
               for f in (QueueFilter.OPEN, QueueFilter.OVERDUE, QueueFilter.ALL, QueueFilter.DUE_SOON,
                         QueueFilter.MINE, QueueFilter.OPEN)]
    from PySide6.QtCore import Qt

    sorts = [until_refreshed(lambda c=c, o=o: model.sort(column_index(c), o))  # type: ignore[misc]
             for c, o in (("received_at", Qt.SortOrder.DescendingOrder), ("number", Qt.SortOrder.AscendingOrder),
                          ("category", Qt.SortOrder.AscendingOrder), ("customer", Qt.SortOrder.AscendingOrder),
                          ("agent", Qt.SortOrder.AscendingOrder), ("due", Qt.SortOrder.AscendingOrder))]
    until_refreshed(lambda: window.queue_view.set_filter(QueueFilter.ALL))
    jumps = []
    for _round in range(3):
        started = time.perf_counter()
        table.scrollToBottom()
        table.viewport().repaint()
        jumps.append((time.perf_counter() - started) * 1000)
        table.scrollToTop()
        table.viewport().repaint()
    def clear_search() -> None:
        window.queue_view.search.clear()
        window.queue_view.apply_search()

    search_times: dict[str, float] = {}
    for term in searches:
        def search(term: str = term) -> None:
            window.queue_view.search.setText(term)
            window.queue_view.apply_search()
        painted_ms, counted_ms = [], []
        for _repeat in range(SEARCH_REPEATS):
            started = time.perf_counter()
            painted_ms.append(until_refreshed(search))
            if model.counting:  # the first page is painted; the full count follows in the background
                loop = QEventLoop()
                model.counted.connect(loop.quit)
                loop.exec()
                model.counted.disconnect(loop.quit)
            counted_ms.append((time.perf_counter() - started) * 1000)
            rows_found = model.rowCount()
            until_refreshed(clear_search)
        # The median is what an agent typing all day meets; the first, cold run is reported beside it.
        search_times[term] = round(statistics.median(painted_ms), 1)
        search_times[term + " (first run)"] = round(painted_ms[0], 1)
        search_times[term + " (full count ms)"] = round(statistics.median(counted_ms), 1)
        search_times[term + " (rows)"] = rows_found
    numbers = [n for n in (model.number_at(row) for row in range(5, 5 + CASES_OPENED)) if n]
    case_open = _time_case_open(services, settings, numbers)
    rss, peak = _rss_mb()
    result = {
        "painted_at": painted["at"], "total_rows_all": model.rowCount(),
        "filter_change_ms": [round(v, 1) for v in filters], "sort_change_ms": [round(v, 1) for v in sorts],
        "jump_last_ms": [round(v, 1) for v in jumps], "search_ms": search_times,
        "rss_mb": rss, "peak_rss_mb": peak, "cached_rows": model.page_cache.cached_rows, **case_open,
    }
    window.close()
    services.close()
    return result


def _time_case_open(services: AppServices, settings: Any, numbers: list[str]) -> dict[str, Any]:
    """Open each case in a case view, as a click in the queue does, until it is repainted.

    The desk loads the pickers' pinyin keys after its first paint
    (``desktop.__main__.warm_up_dictionaries``) and builds the case view's law index on a worker
    (``MainWindow._warm_shared_state``); both are done here first, as by then. The view is shown on
    its first tab, as the desk's is: suggestions (and their word segmenter) wait for the Citations
    tab. The first case is still reported apart.
    """
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop.domain import pick_match
    from desktop.ui.main_parts import default_case_view
    from desktop.ui.tasks import TaskRunner

    pick_match.warm_up()
    started = time.perf_counter()
    view = default_case_view(services, settings)
    build_ms = (time.perf_counter() - started) * 1000
    if view is None or not numbers:
        return {"case_open_ms": []}
    assert isinstance(view, QWidget)
    runner = TaskRunner()
    view.citations.warm_index(runner)  # type: ignore[attr-defined]
    runner.wait()
    QApplication.processEvents()  # the built index reaches the view on the GUI thread
    view.resize(900, 800)
    view.show()
    times = []
    for number in numbers:
        started = time.perf_counter()
        view.show_case(number)  # type: ignore[attr-defined]
        view.repaint()
        times.append(round((time.perf_counter() - started) * 1000, 1))
    view.close()
    return {"case_open_ms": times, "case_view_build_ms": round(build_ms, 1)}


def _run_child(kind: str, *extra: str) -> tuple[float, dict[str, Any]]:
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "")
    if not env["QT_QPA_PLATFORM"]:
        del env["QT_QPA_PLATFORM"]
    with tempfile.TemporaryDirectory() as config:
        env["COMPLAINT_DESK_CONFIG_DIR"] = config  # never touch the real per-user settings
        started = time.time()
        done = subprocess.run([sys.executable, "-m", "desktop.bench_gui", "--child", kind, *extra],
                              capture_output=True, text=True, env=env, cwd=REPO_ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} child failed:\n{done.stderr}")
    payload: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return payload["painted_at"] - started, payload


def startup_floor_s() -> float:
    """Seconds from process creation to the painted window of :func:`_child_floor`."""
    from desktop.services.identity import hash_password

    floor_s, _ = _run_child("floor", "--password-hash", hash_password(BENCH_PASSWORD))
    return floor_s


def run(rows: int, searches: list[str], store: Path | None = None) -> dict[str, Any]:
    path = store or bench_db(rows)
    url = f"sqlite:///{path.as_posix()}"
    from desktop.i18n import areas_read_from_po

    # The desk starts in zh_CN here; an installed desk has every catalog compiled.
    from_po = areas_read_from_po("zh_CN")
    if from_po:
        print(f"warning: start-up includes parsing the {', '.join(from_po)} catalog(s) from .po; "  # noqa: T201
              "run `python packaging/compile_catalogs.py` (the setup command does) for a user's figure",
              file=sys.stderr)
    _run_child("bare")  # warm the OS file cache for Qt's libraries, as a second start would be
    bare_s, _ = _run_child("bare")
    floor_s = startup_floor_s()
    desk_s, desk = _run_child("desk", "--db", url, *(a for s in searches for a in ("--search", s)))
    whole_s, _ = _run_child("whole-desk", "--db", url)
    search_3 = {k: v for k, v in desk["search_ms"].items() if "(" not in k and len(k) == 3}
    figures = {
        "rows": None if store else rows, "queue_rows_all": desk["total_rows_all"], "database": str(path),
        "catalogs_read_from_po": from_po,
        "startup_s": round(desk_s, 3), "bare_pyside6_window_s": round(bare_s, 3),
        "startup_ratio": round(desk_s / bare_s, 1), "startup_ratio_target": STARTUP_RATIO_TARGET,
        # The bare window with SQLAlchemy imported and one Argon2id sign-in check: the least a
        # signed-in queue can take, the desk's own code aside.
        "startup_floor_s": round(floor_s, 3), "startup_floor_ratio": round(floor_s / bare_s, 1),
        # The same, for the window exactly as the desk builds it (with its case view).
        "startup_whole_desk_s": round(whole_s, 3), "startup_whole_desk_ratio": round(whole_s / bare_s, 1),
        "filter_change_ms_median": statistics.median(desk["filter_change_ms"]),
        "filter_change_ms_max": max(desk["filter_change_ms"]),
        "sort_change_ms_median": statistics.median(desk["sort_change_ms"]),
        "sort_change_ms_max": max(desk["sort_change_ms"]),
        "jump_last_ms_median": statistics.median(desk["jump_last_ms"]),
        "search_ms": desk["search_ms"],
        "search_3char_ms_max": max(search_3.values()) if search_3 else None,
        "case_open_ms_first": desk["case_open_ms"][0] if desk["case_open_ms"] else None,
        "case_open_ms_median": statistics.median(desk["case_open_ms"][1:]) if desk["case_open_ms"][1:] else None,
        "case_open_ms_max": max(desk["case_open_ms"][1:], default=None),
        "case_view_build_ms": desk.get("case_view_build_ms"),
        "rss_mb": desk["rss_mb"], "peak_rss_mb": desk["peak_rss_mb"], "cached_rows": desk["cached_rows"],
        "raw": {k: desk[k] for k in ("filter_change_ms", "sort_change_ms", "jump_last_ms", "case_open_ms")},
        "targets": TARGETS,
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.bench_gui")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", dest="json")
    parser.add_argument("--search", action="append", default=None, help="a search to time (repeatable)")
    parser.add_argument("--child", choices=("bare", "floor", "desk", "whole-desk"), help=argparse.SUPPRESS)
    parser.add_argument("--password-hash", help=argparse.SUPPRESS)
    parser.add_argument("--db", help="an existing SQLite store to measure instead of bench-data/bench-ROWS")
    args = parser.parse_args(argv)
    searches = args.search or ["王建国", "营业厅", "宽带", "TS-20261120-0001", "13812345678"]
    if args.child == "bare":
        print(json.dumps(_child_bare()))  # noqa: T201 - the parent reads this line
        return 0
    if args.child == "floor":
        print(json.dumps(_child_floor(args.password_hash)))  # noqa: T201
        return 0
    if args.child == "desk":
        print(json.dumps(_child_desk(args.db, searches), ensure_ascii=False))  # noqa: T201
        return 0
    if args.child == "whole-desk":
        print(json.dumps(_child_whole_desk(args.db)))  # noqa: T201
        return 0
    store = Path(args.db.removeprefix("sqlite:///")) if args.db else None
    figures = run(args.rows, searches, store)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))  # noqa: T201
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
