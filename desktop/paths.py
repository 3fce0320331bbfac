"""Where bundled resources and per-user data live.

One resolver for the source tree, an installed wheel and a PyInstaller bundle
(``sys._MEIPASS``); user data never goes next to the program.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PurePosixPath

import platformdirs

APP_NAME = "ComplaintDesk"
APP_AUTHOR = "ComplaintDesk"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return _PACKAGE_DIR.parent


def resource_path(relative: str) -> Path:
    """Return the path of a file below ``resources/``.

    Absolute paths and ``..`` are rejected so a data file can never point the
    program outside its own resources.
    """
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts:
        raise ValueError(f"resource path must be relative and inside resources/: {relative!r}")
    return _bundle_root() / "resources" / pure


def i18n_source_dir() -> Path:
    """The top-level ``i18n/`` folder holding the ``.po`` catalogs."""
    return _bundle_root() / "i18n"


def compiled_locale_dir() -> Path:
    """Compiled ``.mo`` catalogs shipped inside the package."""
    return _PACKAGE_DIR / "locale"


def user_data_dir() -> Path:
    """Per-user data folder (database, drafts, keys); overridable for tests and portable use."""
    override = os.environ.get("COMPLAINT_DESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    override = os.environ.get("COMPLAINT_DESK_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path
