"""Per-PC settings in an explicit INI file: one table of defaults drives typed reads.

Site-wide settings shared by all seats (deadline rule amounts, operator name) live in the
database instead (``desktop.services.site``).
"""

from __future__ import annotations

import configparser
import json
from pathlib import Path
from typing import Any

from desktop.paths import user_config_dir

SECTION = "desk"
DEFAULTS: dict[str, Any] = {
    "database_url": "",
    "language": "zh_CN",
    "user_login": "",
    "autosave_seconds": 5,
    "window_geometry": "",
    "window_state": "",
    "queue_columns": [],
    "queue_filter": "mine",
    "tray_notifications": True,
}


def settings_path() -> Path:
    return user_config_dir() / "settings.ini"


class Settings:
    """Typed access to the INI file; unknown keys are a programming error."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._parser = configparser.ConfigParser(interpolation=None)
        if self.path.exists():
            self._parser.read(self.path, encoding="utf-8")
        if not self._parser.has_section(SECTION):
            self._parser.add_section(SECTION)

    def get(self, key: str) -> Any:
        default = DEFAULTS[key]
        raw = self._parser.get(SECTION, key, fallback=None)
        if raw is None:
            return default
        try:
            if isinstance(default, bool):
                return raw.strip().lower() in ("1", "true", "yes", "on")
            if isinstance(default, int):
                return int(raw)
            if isinstance(default, list | dict):
                return json.loads(raw)
        except (ValueError, json.JSONDecodeError):
            return default  # a hand-edited file with a bad value falls back rather than stopping the desk
        return raw

    def set(self, key: str, value: Any) -> None:
        default = DEFAULTS[key]
        text = json.dumps(value, ensure_ascii=False) if isinstance(default, list | dict) else str(value)
        self._parser.set(SECTION, key, text)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            self._parser.write(handle)
        temporary.replace(self.path)
