"""What every CLI command receives: parsed globals and a lazily opened store."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.services.app import AppServices


class CliError(Exception):
    """A failure the user can act on; printed as one line on stderr, exit code 2."""


@dataclass
class CliContext:
    db_url: str | None
    user_login: str | None
    as_json: bool
    _services: AppServices | None = field(default=None, repr=False)

    def services(self) -> AppServices:
        """Open the store (migrating it) on first use; commands that need no database never pay."""
        if self._services is None:
            from desktop.services.app import AppServices

            self._services = AppServices.open(self.db_url, user_login=self.user_login)
        return self._services

    def emit(self, payload: Any, text: str | None = None) -> None:
        """Print JSON when ``--json`` was given, otherwise the human-readable text."""
        if self.as_json or text is None:
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(text.rstrip("\n") + "\n")

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None
