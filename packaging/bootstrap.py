#!/usr/bin/env python3
"""One command to set up and launch Complaint Desk, or to set up and run every test.

    python3 packaging/bootstrap.py run  [app arguments]   # e.g. --lang en, --db URL
    python3 packaging/bootstrap.py test [pytest arguments]

Creates `.venv` beside the sources (re-installing only when pyproject.toml changed), compiles
the translation catalogs, and for `test` installs the system tools the suite reads PDFs and
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


def run(command: list[str], **kwargs: object) -> None:
    result = subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.exit(f"[bootstrap] failed ({result.returncode}): {' '.join(command)}")


def cmd_run(args: list[str]) -> int:
    python = ensure_venv("")
    compile_catalogs(python)
    return subprocess.call([str(python), "-m", "desktop", *args], cwd=ROOT)


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
