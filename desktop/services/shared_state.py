"""State every seat computes with — deadline periods, imported calendars, the statute pack — read from
the store and revalidated on each use with one cheap query, so a change on one seat holds on every
other seat's next operation without a restart."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import threading
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import build_rules
from desktop.i18n import _
from desktop.paths import user_data_dir
from desktop.services.calendar import CalendarService
from desktop.services.complaints import _Clock
from desktop.services.permissions import require
from desktop.services.records import Actor
from desktop.services.site import SiteSettingsService
from desktop.store.changes import shared_revision
from desktop.store.models import LawPackRecord

if TYPE_CHECKING:
    from desktop.law import LawPack


class SharedState:
    """Caches the clock and the law pack per shared-state revision of the store."""

    def __init__(self, sessions: sessionmaker[Session], site: SiteSettingsService, calendar: CalendarService) -> None:
        self._sessions = sessions
        self._site = site
        self._calendar = calendar
        self._lock = threading.Lock()
        self._clock: tuple[int, _Clock] | None = None
        self._pack: tuple[int, LawPack] | None = None
        self.reloads = 0  # how often the clock was rebuilt (tests, figures)

    def revision(self) -> int:
        with self._sessions() as session:
            return shared_revision(session.connection())

    def clock(self) -> _Clock:
        revision = self.revision()
        with self._lock:
            if self._clock is None or self._clock[0] != revision:
                clock = _Clock(build_rules(self._site.get("deadline_rules")), self._calendar.load())
                self._clock = (revision, clock)
                self.reloads += 1
            return self._clock[1]

    def law_pack(self) -> LawPack:
        revision = self.revision()
        with self._lock:
            if self._pack is None or self._pack[0] != revision:
                self._pack = (revision, newest_pack(self._sessions))
            return self._pack[1]

    def invalidate(self) -> None:
        with self._lock:
            self._clock = None
            self._pack = None


def shared_packs_dir() -> Path:
    return user_data_dir() / "law-packs-shared"


def pack_archive(folder: Path) -> bytes:
    """The pack folder as a zip (relative paths, sorted, so the same folder gives the same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def unpack_archive(data: bytes, sha256: str) -> Path:
    """Unpack a stored pack once per content into the data folder; the loader then validates it."""
    from desktop.law import PackValidationError  # the law package is not start-up work

    target = shared_packs_dir() / sha256
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpack-"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                relative = Path(name)
                if relative.is_absolute() or ".." in relative.parts:
                    raise PackValidationError([_("The stored law pack holds an unsafe path: {name}").format(
                        name=name)])
            archive.extractall(staging)
        try:
            staging.rename(target)
        except OSError:  # another seat on this PC unpacked it first
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def newest_pack(sessions: sessionmaker[Session]) -> LawPack:
    """The newest valid pack among the bundled one, older per-PC imports and the packs in the store."""
    from desktop.law import PackValidationError, load_active_pack, load_pack

    best = load_active_pack()
    with sessions() as session:
        rows = session.execute(select(LawPackRecord.version, LawPackRecord.sha256)
                               .order_by(LawPackRecord.version.desc())).all()
        for version, sha in rows:
            if version <= best.pack_version:
                break
            data = session.execute(select(LawPackRecord.archive).where(LawPackRecord.version == version)).scalar_one()
            try:
                return load_pack(unpack_archive(data, sha))
            except PackValidationError:
                continue  # a damaged pack never hides an older valid one
    return best


def share_pack(sessions: sessionmaker[Session], actor: Actor, folder: Path) -> LawPack:
    """Store a validated pack folder in the database so every seat uses it (``lawpack.import``)."""
    require(actor, "lawpack.import")
    from desktop.law import load_pack

    pack = load_pack(folder)
    data = pack_archive(folder)
    sha = hashlib.sha256(data).hexdigest()
    with sessions.begin() as session:
        row = session.get(LawPackRecord, pack.pack_version)
        if row is None:
            session.add(LawPackRecord(version=pack.pack_version, archive=data, sha256=sha, imported_by_id=actor.id,
                                      imported_at=datetime.now(UTC)))
        elif row.sha256 != sha:
            row.archive, row.sha256, row.imported_by_id = data, sha, actor.id
            row.imported_at = datetime.now(UTC)
    return pack
