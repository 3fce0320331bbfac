#!/usr/bin/env python3
"""One command to set up and launch Complaint Desk, or to set up and run every test.

    python3 packaging/bootstrap.py run  [app arguments]   # the demo store; --real or --db URL for a real one
    python3 packaging/bootstrap.py test [pytest arguments]

Creates `.venv` beside the sources (re-installing only when pyproject.toml changed), compiles
the translation catalogs, on Linux installs the xcb libraries Qt's window needs (apt, as root),
and for `test` installs the system tools the suite reads PDFs and
runs PostgreSQL with (Debian/Ubuntu, as root: poppler-utils and postgresql).
Works with the standard library of Python 3.11+ only, on Windows and Linux.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
SYSTEM_TEST_PACKAGES = {"pdfsig": "poppler-utils", "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils"}


# The shared libraries PySide6's xcb platform plugin loads (ldd of libqxcb.so and libQt6XcbQpa.so,
# plus libxcb-cursor, which Qt 6.5+ opens at run time) and the Debian/Ubuntu package of each. On a
# fresh Debian 12 the first two are missing; without them Qt stops with "could not load xcb".
QT_XCB_LIBRARIES = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def say(message: str) -> None:
    print(f"[bootstrap] {message}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(extras: str) -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older Python
        sys.exit("Complaint Desk needs Python 3.11 or newer.")
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'app'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say("installing dependencies (first run or pyproject.toml changed)")
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        target = f".[{extras}]" if extras else "."
        run([str(python), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT)
        stamp.write_text(digest)
    return python


def compile_catalogs(python: Path) -> None:
    run([str(python), str(ROOT / "packaging" / "compile_catalogs.py")], cwd=ROOT)


def ensure_system_test_tools() -> None:
    missing = sorted({pkg for tool, pkg in SYSTEM_TEST_PACKAGES.items() if shutil.which(tool) is None})
    if not any(Path(p).exists() for p in ("/usr/lib/postgresql",)) and shutil.which("initdb") is None:
        missing.append("postgresql")
    if not missing:
        return
    if sys.platform != "linux" or shutil.which("apt-get") is None or os.geteuid() != 0:
        say(f"please install: {', '.join(missing)} (the PDF and PostgreSQL tests need them)")
        return
    say(f"installing system packages: {', '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *missing], env=env)


def missing_qt_packages(known_libraries: str) -> list[str]:
    """Debian packages for the Qt xcb libraries absent from ``ldconfig -p`` output."""
    return sorted({pkg for lib, pkg in QT_XCB_LIBRARIES.items() if lib not in known_libraries})


def ensure_qt_system_libraries() -> None:
    """Linux only: install Qt's xcb libraries with apt where we may (root), else name them."""
    if sys.platform != "linux" or shutil.which("ldconfig") is None:
        return
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    missing = missing_qt_packages(listing)
    if not missing:
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        say(f"the desk's window needs these system packages; please install: {' '.join(missing)}")
        return
    say(f"installing Qt's system libraries: {', '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *missing], env=env)


def run(command: list[str], **kwargs: object) -> None:
    result = subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.exit(f"[bootstrap] failed ({result.returncode}): {' '.join(command)}")


def desk_arguments(args: list[str]) -> list[str]:
    """``run`` opens the separate demo store unless a real one is named (``--db URL``) or asked for
    (``--real``: the configured store, never filled with demo data)."""
    if "--real" in args:
        return [a for a in args if a != "--real"]
    if any(a == "--db" or a.startswith("--db=") for a in args) or "--demo" in args:
        return list(args)
    return ["--demo", *args]


def cmd_run(args: list[str]) -> int:
    python = ensure_venv("")
    ensure_qt_system_libraries()
    compile_catalogs(python)
    return subprocess.call([str(python), "-m", "desktop", *desk_arguments(args)], cwd=ROOT)


def cmd_test(args: list[str]) -> int:
    python = ensure_venv("test")
    ensure_system_test_tools()
    compile_catalogs(python)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    scratch = Path(tempfile.mkdtemp(prefix="complaint-desk-check-")) / "schema.sqlite3"
    alembic = [str(python), "-m", "alembic", "-c", "desktop/migrations/alembic.ini", "-x", f"db=sqlite:///{scratch}"]
    steps = [
        ("ruff", [str(python), "-m", "ruff", "check", "desktop", "tests", "packaging"]),
        ("mypy", [str(python), "-m", "mypy"]),
        # Dependencies point one way (pyproject.toml [tool.importlinter]): a checked contract.
        ("import contracts", [str(python.parent / ("lint-imports.exe" if os.name == "nt" else "lint-imports"))]),
        ("alembic upgrade", [*alembic, "upgrade", "head"]),
        ("alembic check", [*alembic, "check"]),
    ]
    for name, command in steps:
        say(f"{name} …")
        if subprocess.call(command, cwd=ROOT, env=env) != 0:
            say(f"{name} failed")
            return 1
    say("pytest …")
    code = subprocess.call([str(python), "-m", "pytest", *args], cwd=ROOT, env=env)
    if code == 5:
        say("pytest collected no tests: that is a failure, not a pass")
        return 1
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return cmd_run(rest) if command == "run" else cmd_test(rest)


if __name__ == "__main__":
    sys.exit(main())
