"""Unsaved input kept on disk so a crash or a power cut loses nothing, and nobody reads it there.

One file per draft in ``user_data_dir()/drafts/``, encrypted with AES-256-GCM: a draft holds a
customer's name, numbers, ID card and address, so it must not lie on disk in clear text. The key
is 32 random bytes kept in the user's profile (``user_config_dir()/draft.key``, owner-only), apart
from the data folder: a copied drafts folder, a backup of it or a support bundle shows nothing,
and a file altered on disk fails authentication and is set aside. (A database table was the
other choice; files keep drafts working while the database is unreachable, which is exactly
when an agent needs them.)

Files are written atomically (temporary file, fsync, ``os.replace``) so a draft on disk is
always either the previous complete one or the new complete one, never half of each.

Each draft records its owner (the desk login); a store opened for one user lists only that
user's drafts. A desk holds an OS file lock on each draft it has open (:meth:`DraftStore.claim`),
so a second desk on the same PC never offers another running desk's intake as a "crash
leftover": only drafts whose desk is gone can be claimed. No Qt here: the widgets decide when
to save; this module only stores, lists and deletes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop.paths import user_config_dir, user_data_dir

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
SUFFIX = ".draft"
MAGIC = b"CDDRAFT2"
NONCE_BYTES = 12
KEY_FILE = "draft.key"
INTAKE = "intake"  # a new complaint being typed
CASE_EDIT = "case_edit"  # edits to a stored case that could not be saved (e.g. a conflict)


def drafts_dir() -> Path:
    path = user_data_dir() / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_draft_key() -> str:
    return uuid.uuid4().hex


def draft_cipher_key(folder: Path | None = None) -> bytes:
    """The profile's draft key, created (owner-only) on first use; two desks starting at once
    agree on one key (exclusive create, the loser reads the winner's)."""
    path = (folder or user_config_dir()) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(50):
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            key = path.read_bytes()
            if len(key) == 32:
                return key
            time.sleep(0.02)  # being written by the desk that created it
            continue
        key = secrets.token_bytes(32)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
            stream.flush()
            os.fsync(stream.fileno())
        return key
    raise OSError(f"the draft key {path} is damaged; remove it to start afresh")


# Locks this process holds on drafts it has open: draft path -> open lock file.
_CLAIMS: dict[Path, Any] = {}


def _try_lock(stream: Any) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    saved_at: datetime
    fields: dict[str, Any]
    number: str | None = None  # the case a CASE_EDIT draft belongs to
    extra: dict[str, Any] = field(default_factory=dict)
    owner: str = ""  # the desk login that typed it

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "key": self.key,
            "kind": self.kind,
            "owner": self.owner,
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
            owner=str(data.get("owner") or ""),
        )


class DraftStore:
    """Drafts of one user profile; ``root`` defaults to the per-user drafts folder.

    ``owner`` (the desk login) is written into each draft and, when given, limits listing to
    that user's drafts; ``DraftStore()`` without an owner sees all (tests, support)."""

    def __init__(self, root: Path | None = None, *, owner: str | None = None,
                 key_folder: Path | None = None) -> None:
        self.root = root or drafts_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        self.owner = owner
        self._cipher = AESGCM(draft_cipher_key(key_folder))
        if owner is not None:
            self.encrypt_legacy_drafts()

    def encrypt_legacy_drafts(self) -> int:
        """Drafts an earlier version left as clear-text JSON are encrypted (as this user's) and the
        clear text removed; returns how many."""
        moved = 0
        for path in self.root.glob("*.json"):
            try:
                old = Draft.from_json(json.loads(path.read_text(encoding="utf-8")))
                self._path(old.key)
            except (OSError, ValueError, KeyError, TypeError) as error:
                log.warning("legacy draft %s left as it is: %s", path, error)
                continue
            self.save(old.key, old.kind, old.fields, number=old.number, extra=old.extra)
            path.unlink(missing_ok=True)
            moved += 1
        return moved

    def _path(self, key: str) -> Path:
        if not key or not all(c.isalnum() or c in "-_" for c in key):
            raise ValueError(f"invalid draft key {key!r}")
        return self.root / f"{key}{SUFFIX}"

    def encrypt(self, key: str, payload: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return MAGIC + nonce + self._cipher.encrypt(nonce, payload, key.encode("ascii"))

    def decrypt(self, key: str, blob: bytes) -> bytes:
        if not blob.startswith(MAGIC):
            raise ValueError("not an encrypted draft")
        nonce = blob[len(MAGIC):len(MAGIC) + NONCE_BYTES]
        return self._cipher.decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES:], key.encode("ascii"))

    def save(self, key: str, kind: str, fields: dict[str, Any], *, number: str | None = None,
             extra: dict[str, Any] | None = None) -> Draft:
        draft = Draft(key=key, kind=kind, saved_at=datetime.now(UTC), fields=dict(fields),
                      number=number, extra=dict(extra or {}), owner=self.owner or "")
        target = self._path(key)
        payload = self.encrypt(key, json.dumps(draft.to_json(), ensure_ascii=False).encode("utf-8"))
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

    # -- which desk has a draft open ------------------------------------------------------------
    def claim(self, key: str) -> bool:
        """Lock ``key`` for this desk while it is open; False when another running desk has it."""
        lock_path = self._path(key).with_suffix(".lock")
        if lock_path in _CLAIMS:
            return True
        stream = lock_path.open("a+b")
        if not _try_lock(stream):
            stream.close()
            return False
        _CLAIMS[lock_path] = stream
        return True

    def release(self, key: str) -> None:
        lock_path = self._path(key).with_suffix(".lock")
        stream = _CLAIMS.pop(lock_path, None)
        if stream is not None:
            stream.close()  # closing the file releases the OS lock
            with contextlib.suppress(OSError):
                lock_path.unlink()

    def in_use(self, key: str) -> bool:
        """Open in this desk or in another desk that is still running."""
        lock_path = self._path(key).with_suffix(".lock")
        if lock_path in _CLAIMS:
            return True
        if not lock_path.exists():
            return False
        with lock_path.open("a+b") as stream:
            return not _try_lock(stream)  # the lock (if we got it) goes with the file

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
            data = json.loads(self.decrypt(path.stem, path.read_bytes()).decode("utf-8"))
            return Draft.from_json(data)
        except (OSError, ValueError, KeyError, TypeError, InvalidTag) as error:
            # A damaged file is set aside, not deleted: someone may still want to read it.
            log.warning("unreadable draft %s: %s", path, error)
            with contextlib.suppress(OSError):
                path.replace(path.with_suffix(".damaged"))
            return None

    def list(self, kind: str | None = None, *, number: str | None = None,
             exclude: set[str] | frozenset[str] = frozenset(), leftovers_only: bool = False) -> list[Draft]:
        """Drafts newest first, optionally of one kind / case, skipping keys in ``exclude`` and other
        users' drafts; ``leftovers_only`` also skips drafts open in any running desk."""
        drafts = []
        for path in self.root.glob(f"*{SUFFIX}"):
            if path.stem in exclude or (leftovers_only and self.in_use(path.stem)):
                continue
            draft = self._read(path)
            if draft is None:
                continue
            if kind is not None and draft.kind != kind:
                continue
            if number is not None and draft.number != number:
                continue
            if self.owner is not None and draft.owner != self.owner:
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
