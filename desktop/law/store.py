"""Packs a supervisor imported: kept side by side per version under the user data folder.

Older versions are never deleted, so a citation stored on a complaint (which
also carries its own text and version date) can always be traced to the pack
it came from.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop.i18n import _
from desktop.law.diff import PackDiff, diff_packs
from desktop.law.loader import PackValidationError, bundled_pack_dir, load_pack
from desktop.law.model import LawPack
from desktop.paths import user_data_dir


def imported_packs_dir() -> Path:
    return user_data_dir() / "law-packs"


def import_pack(source: Path, current: LawPack | None = None) -> tuple[LawPack, PackDiff]:
    """Validate the pack folder ``source``, copy it in as its own version, report what changed."""
    new_pack = load_pack(source)
    old_pack = current or load_active_pack()
    if new_pack.pack_version <= old_pack.pack_version:
        raise PackValidationError(
            [
                _("The pack version {new} is not newer than the installed {old}").format(
                    new=new_pack.pack_version, old=old_pack.pack_version
                )
            ]
        )
    target = imported_packs_dir() / new_pack.pack_version
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return new_pack, diff_packs(old_pack, new_pack)


def load_active_pack() -> LawPack:
    """The newest valid pack: an imported one if newer than the bundled pack."""
    best = load_pack(bundled_pack_dir())
    folder = imported_packs_dir()
    for candidate in sorted(folder.iterdir(), reverse=True) if folder.is_dir() else []:
        try:
            pack = load_pack(candidate)
        except PackValidationError:
            continue  # a damaged import never hides the bundled pack
        if pack.pack_version > best.pack_version:
            best = pack
        break
    return best


def load_pack_version(version: str) -> LawPack | None:
    """The pack a citation was taken from, if still present."""
    bundled = load_pack(bundled_pack_dir())
    if bundled.pack_version == version:
        return bundled
    folder = imported_packs_dir() / version
    return load_pack(folder) if folder.is_dir() else None
