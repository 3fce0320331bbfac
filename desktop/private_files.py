"""Files only the signed-in OS user may read: key files, their folders, the SQLite database.

On POSIX a private file is mode 0600 and a private folder 0700, set when created
(never world-readable for an instant) and tightened if an older version left them
looser. On Windows the same is done with ``icacls`` (part of every Windows since
Vista, so no pywin32): inheritance is removed and only the current user gets full
control. ``icacls`` failing (e.g. on FAT32 media that has no ACLs) is not fatal: the
file is still written, and the folder's own ACL applies.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def _windows_user_only(path: Path) -> None:  # pragma: no cover - exercised on Windows only
    user = os.environ.get("USERNAME")
    if not user:
        return
    subprocess.run(["icacls", str(path), "/inheritance:r", "/grant:r", f"{user}:(F)"],
                   capture_output=True, check=False)


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; the folder itself is private to the user."""
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    restrict(path)
    return path


def restrict(path: Path) -> None:
    """Tighten an existing file or folder to the user only."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        _windows_user_only(path)
        return
    mode = FOLDER_MODE if path.is_dir() else FILE_MODE
    if stat.S_IMODE(path.stat().st_mode) != mode:
        os.chmod(path, mode)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the user only (created 0600, never readable by others).

    A missing folder is created private; an existing one the user chose (``--out``) is left as it is.
    """
    if not path.parent.exists():
        make_private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    restrict(path)  # an existing file keeps its old mode through O_CREAT: tighten it


def create_private_file(path: Path) -> None:
    """Make sure ``path`` exists and is private, without changing its content (the SQLite file)."""
    if not path.parent.exists():  # a folder the user chose stays as it is; a new one is private
        make_private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
    os.close(descriptor)
    restrict(path)
