"""The desk as a Windows/Linux program: one instance per user, an icon everywhere, logs per
process that also catch Qt's messages and native crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from desktop.logs import log_path, logs_dir, prune_logs

REPO_ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO_ROOT)}


def wait_for(predicate, timeout: float = 90.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def logs_saying(text: str) -> list[Path]:
    return [p for p in logs_dir().glob("desk-*.log") if text in p.read_text(encoding="utf-8", errors="replace")]


@pytest.mark.slow
@pytest.mark.gui  # real desks in subprocesses
def test_a_second_launch_hands_the_pdf_to_the_running_desk_and_exits(tmp_path: Path, db_url: str) -> None:
    pdf = tmp_path / "告知书.pdf"
    pdf.write_bytes(b"%PDF-1.7 not really a letter")
    with subprocess.Popen([sys.executable, "-m", "desktop", "--demo"], cwd=REPO_ROOT, env=child_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as first:
        try:
            assert wait_for(lambda: bool(logs_saying("desk ready"))), "the first desk did not start"
            started = time.monotonic()
            second = subprocess.run([sys.executable, "-m", "desktop", "--demo", "--verify", str(pdf)],
                                    cwd=REPO_ROOT, env=child_env(), capture_output=True, text=True, timeout=60,
                                    check=False)
            assert second.returncode == 0, second.stderr
            assert "已在运行" in second.stdout
            assert time.monotonic() - started < 30
            assert wait_for(lambda: bool(logs_saying(f"verifying {pdf}")), timeout=30)
            assert len(logs_saying("desk ready")) == 1  # the second never opened a window of its own
        finally:
            first.kill()
            first.wait(timeout=30)


def test_qt_messages_and_native_crashes_reach_the_processes_own_log(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import faulthandler
        from PySide6.QtCore import QCoreApplication, qWarning
        from desktop.logs import configure_file_logging
        from desktop.ui.qt_log import install_qt_message_log
        app = QCoreApplication([])
        path = configure_file_logging()
        print(path, flush=True)
        install_qt_message_log()
        qWarning("模拟的 Qt 警告")
        faulthandler._sigsegv()
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=child_env(), capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode != 0  # it did crash
    path = Path(result.stdout.strip())
    text = path.read_text(encoding="utf-8")
    assert "WARNING desktop.qt: 模拟的 Qt 警告" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert path != log_path()  # one log per process: this test's process has its own
    assert str(os.getpid()) in log_path().name


def test_old_process_logs_are_pruned(tmp_path: Path) -> None:
    for index in range(5):
        log = tmp_path / f"desk-2026010{index}-000000-{index}.log"
        log.write_text("x", encoding="utf-8")
        os.utime(log, (1_700_000_000 + index, 1_700_000_000 + index))
    assert prune_logs(tmp_path, keep=2) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk-20260103-000000-3.log", "desk-20260104-000000-4.log"]


def test_the_icon_is_in_the_window_the_tray_the_exe_and_the_installer(qapp: object) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImageReader

    from desktop.ui.application import app_icon, create_application

    app = create_application()
    icon = app_icon()
    assert {icon.actualSize(QSize(s, s)).width() for s in (16, 32, 256)} == {16, 32, 256}
    assert not app.windowIcon().isNull()
    ico = REPO_ROOT / "resources" / "icons" / "complaint-desk.ico"
    reader = QImageReader(str(ico))
    assert reader.imageCount() == 7
    spec = (REPO_ROOT / "packaging" / "complaint-desk.spec").read_text(encoding="utf-8")
    assert "complaint-desk.ico" in spec and "icon=ICON" in spec
    assert 'runpy.run_path(str(ROOT / "packaging" / "compile_catalogs.py")' in spec  # catalogs always shipped
    iss = (REPO_ROOT / "packaging" / "complaint-desk.iss").read_text(encoding="utf-8")
    assert "SetupIconFile=..\\resources\\icons\\complaint-desk.ico" in iss
    assert "Root: HKCU; Subkey: \"Software\\Classes\\SystemFileAssociations\\.pdf\\shell\\ComplaintDesk.Verify" in iss
    assert '--verify ""%1""' in iss
