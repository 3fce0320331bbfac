"""A log file per desk process for support: what went wrong, when, on which PC (no Qt).

Several desks (and CLI runs) on one PC must not share one rotating file: two processes
rotating the same file lose or garble each other's records. Each process writes its own
``logs/desk-<start>-<pid>.log``; the oldest files beyond ``KEEP_LOGS`` are removed at start.
Native crashes (a fault inside Qt or a driver) are written to the same file by
:mod:`faulthandler`, so a desk that vanished still leaves its last words.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import os
import time
from pathlib import Path
from typing import IO

from desktop.domain.masking import mask_text
from desktop.paths import user_data_dir

LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
KEEP_LOGS = 30
_PROCESS_NAME = f"desk-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
_fault_stream: IO[str] | None = None


def logs_dir() -> Path:
    return user_data_dir() / "logs"


class PersonalDataFilter(logging.Filter):
    """Mask phone and ID numbers in every record (message, arguments and traceback) before it is written.

    A log file is copied to support staff and kept for months: it must not become a list of customers.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def log_path() -> Path:
    """This process's log file."""
    return logs_dir() / _PROCESS_NAME


def prune_logs(folder: Path, keep: int = KEEP_LOGS) -> int:
    """Remove the oldest per-process logs beyond ``keep``; returns how many went."""
    logs = sorted(folder.glob("desk-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = 0
    for old in logs[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed += 1
    return removed


def configure_file_logging(level: int = logging.INFO) -> Path:
    """Send the package's log records, and native crash dumps, to this process's file."""
    global _fault_stream
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("desktop")
    if not any(isinstance(h, logging.FileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        prune_logs(path.parent)
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(PersonalDataFilter())
        root.addHandler(handler)
        stream = path.open("a", encoding="utf-8")
        faulthandler.enable(file=stream, all_threads=True)
        if _fault_stream is not None:
            _fault_stream.close()
        _fault_stream = stream
    root.setLevel(level)
    return path
