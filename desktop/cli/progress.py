"""A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes or logs)."""

from __future__ import annotations

import sys
import time

from desktop.i18n import N_, _

_STAGES = {"check": N_("Checking"), "store": N_("Storing"), "stage": N_("Staging"), "publish": N_("Publishing"),
           "export": N_("Exporting")}


class TerminalProgress:
    def __init__(self, title: str, *, min_interval: float = 0.2) -> None:
        self.title = title
        self.enabled = sys.stderr.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self._drawn = False

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.min_interval and done != total:
            return
        self._last = now
        label = _(_STAGES.get(stage, stage))
        if total:
            filled = int(30 * done / total)
            bar = "█" * filled + "·" * (30 - filled)
            line = f"{self.title} – {label} [{bar}] {done}/{total}"
        else:
            line = f"{self.title} – {label} {done}"
        sys.stderr.write("\r" + line + "\x1b[K")
        sys.stderr.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._drawn = False
