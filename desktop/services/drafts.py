"""Unsaved input kept on disk so a crash or a power cut loses nothing.

One JSON file per draft in ``user_data_dir()/drafts/``. Files are written atomically
(temporary file, fsync, ``os.replace``) so a draft on disk is always either the previous
complete one or the new complete one, never half of each. No Qt here: the widgets decide
when to save; this module only stores, lists and deletes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.paths import user_data_dir

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
INTAKE = "intake"  # a new complaint being typed
CASE_EDIT = "case_edit"  # edits to a stored case that could not be saved (e.g. a conflict)


def drafts_dir() -> Path:
    path = user_data_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_draft_key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    saved_at: datetime
    fields: dict[str, Any]
    number: str | None = None  # the case a CASE_EDIT draft belongs to
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "key": self.key,
            "kind": self.kind,
            "saved_at": self.saved_at.isoformat(),
            "number": self.number,
            "fields": self.fields,
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        fields = data["fields"]
        extra = data.get("extra") or {}
        if not isinstance(fields, dict) or not isinstance(extra, dict):
            raise ValueError("draft fields must be an object")
        return cls(
            key=str(data["key"]),
            kind=str(data["kind"]),
            saved_at=datetime.fromisoformat(str(data["saved_at"])),
            fields=fields,
            number=data.get("number"),
            extra=extra,
        )


class DraftStore:
    """Drafts of one user profile; ``root`` defaults to the per-user drafts folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or drafts_dir()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not key or not all(c.isalnum() or c in "-_" for c in key):
            raise ValueError(f"invalid draft key {key!r}")
        return self.root / f"{key}.json"

    def save(self, key: str, kind: str, fields: dict[str, Any], *, number: str | None = None,
             extra: dict[str, Any] | None = None) -> Draft:
        draft = Draft(key=key, kind=kind, saved_at=datetime.now(UTC), fields=dict(fields),
                      number=number, extra=dict(extra or {}))
        payload = json.dumps(draft.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        target = self._path(key)
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.root)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._sync_directory()
        return draft

    def _sync_directory(self) -> None:
        # The rename itself must reach the disk too; Windows cannot open a folder for fsync.
        if os.name != "posix":
            return
        descriptor = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def load(self, key: str) -> Draft | None:
        path = self._path(key)
        if not path.exists():
            return None
        return self._read(path)

    def _read(self, path: Path) -> Draft | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Draft.from_json(data)
        except (OSError, ValueError, KeyError, TypeError) as error:
            # A damaged file is set aside, not deleted: someone may still want to read it.
            log.warning("unreadable draft %s: %s", path, error)
            with contextlib.suppress(OSError):
                path.replace(path.with_suffix(".damaged"))
            return None

    def list(self, kind: str | None = None, *, number: str | None = None,
             exclude: set[str] | frozenset[str] = frozenset()) -> list[Draft]:
        """Drafts newest first, optionally of one kind / case, skipping keys still in use."""
        drafts = []
        for path in self.root.glob("*.json"):
            if path.stem in exclude:
                continue
            draft = self._read(path)
            if draft is None:
                continue
            if kind is not None and draft.kind != kind:
                continue
            if number is not None and draft.number != number:
                continue
            drafts.append(draft)
        drafts.sort(key=lambda d: d.saved_at, reverse=True)
        return drafts

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def cleanup_temporaries(self) -> int:
        """Remove temporary files a crash left between write and rename; returns how many."""
        removed = 0
        for path in self.root.glob(".*.tmp"):
            path.unlink(missing_ok=True)
            removed += 1
        return removed
