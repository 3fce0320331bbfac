"""Reading files a user hands the CLI: bounded in size, decoded strictly, each failure one message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop.cli.context import CliError
from desktop.i18n import _


def read_bounded(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing a missing file, a folder or anything larger than ``limit``."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise CliError(_("{path} is a folder, not a file.").format(path=path))
        if size > limit:
            raise CliError(_("{path} has {size} KB; at most {limit} KB are accepted.").format(
                path=path, size=size // 1024, limit=limit // 1024))
        with path.open("rb") as handle:
            return handle.read(limit + 1)[:limit]
    except OSError as error:
        raise CliError(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None


def read_utf8(path: Path, limit: int) -> str:
    try:
        return read_bounded(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError(_("{path} is not UTF-8 text (byte {position}); save it as UTF-8.").format(
            path=path, position=error.start + 1)) from None


def read_json(path: Path, limit: int) -> Any:
    text = read_utf8(path, limit)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CliError(_("{path} is not valid JSON (line {line}, column {column}).").format(
            path=path, line=error.lineno, column=error.colno)) from None
    except RecursionError:
        raise CliError(_("The input is nested too deeply to be read.")) from None
