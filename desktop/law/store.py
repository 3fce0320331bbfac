"""Packs a supervisor imported: kept side by side per version under the user data folder.

Older versions are never deleted, so a citation stored on a complaint (which
also carries its own text and version date) can always be traced to the pack
it came from.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.i18n import _
from desktop.law.diff import PackDiff, diff_packs
from desktop.law.loader import PackValidationError, bundled_pack_dir, load_pack
from desktop.law.model import LawPack
from desktop.law.signing import PackSignatureError, check_pack_files, read_manifest_bytes
from desktop.paths import user_data_dir

if TYPE_CHECKING:
    from cryptography import x509

log = logging.getLogger(__name__)


def imported_packs_dir() -> Path:
    return user_data_dir() / "law-packs"


def import_pack(source: Path, current: LawPack | None = None, *,
                site_roots: Sequence[x509.Certificate] | None = None) -> tuple[LawPack, PackDiff]:
    """Verify the pack folder ``source``, copy its expected files in as their own version, report changes.

    Refused before anything is copied: a symlink anywhere in the pack, a file the manifest does
    not name, a pack over the size limit, a missing or untrusted signature, any invalid content.
    Only plain files are copied, never following links, and the copy is verified again.
    """
    new_pack = load_pack(source, site_roots=site_roots)
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
    staging = _copy_plain_files(source, imported_packs_dir())
    try:
        load_pack(staging, site_roots=site_roots)  # the copy, not the source, is what will be used
    except PackValidationError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return new_pack, diff_packs(old_pack, new_pack)


def _copy_plain_files(source: Path, parent: Path) -> Path:
    try:
        manifest = json.loads(read_manifest_bytes(source).decode("utf-8"))
        files = check_pack_files(source, manifest)
    except (PackSignatureError, ValueError) as error:
        raise PackValidationError([str(error)]) from None
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=parent))
    for relative in files:
        destination = staging / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(source / relative, flags)
            with os.fdopen(descriptor, "rb") as handle:
                destination.write_bytes(handle.read(files[relative] + 1))
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise PackValidationError([_("{path} cannot be copied: {error}").format(
                path=relative, error=error)]) from None
    return staging


def load_active_pack() -> LawPack:
    """The newest valid pack: an imported one if newer than the bundled pack."""
    return active_pack_report()[0]


def active_pack_report() -> tuple[LawPack, list[str]]:
    """The pack in use and why any newer imported pack was refused (changed, unsigned, …).

    Every pack is verified (signature, checksums, files) on every load; a refused one never
    replaces the previous valid pack, which stays in use.
    """
    best = load_pack(bundled_pack_dir())
    refused: list[str] = []
    folder = imported_packs_dir()
    candidates = sorted((p for p in folder.iterdir() if not p.name.startswith(".")), reverse=True) \
        if folder.is_dir() else []
    for candidate in candidates:
        try:
            pack = load_pack(candidate)
        except PackValidationError as error:
            message = _("The law pack in {path} was refused and is not used: {problems}").format(
                path=candidate, problems="; ".join(error.problems))
            log.warning("%s", message)
            refused.append(message)
            continue  # a damaged import never hides the previous pack
        if pack.pack_version > best.pack_version:
            best = pack
        break
    return best, refused


def load_pack_version(version: str) -> LawPack | None:
    """The pack a citation was taken from, if still present."""
    bundled = load_pack(bundled_pack_dir())
    if bundled.pack_version == version:
        return bundled
    folder = imported_packs_dir() / version
    try:
        return load_pack(folder) if folder.is_dir() else None
    except PackValidationError:
        return None  # changed or unsigned since: never trusted for a citation
