"""Bounded work on untrusted files: a wall-clock deadline checked inside the parsing loops.

Size limits stop a file that is too big; they do not stop a small file built to make parsing
slow (a PDF whose objects point at each other, a pack of many tiny statutes, a spreadsheet of
empty rows). Each reader of an untrusted file creates a :class:`WorkDeadline` and calls
:meth:`~WorkDeadline.check` in its loops; past the limit it raises :class:`WorkTimeoutError`,
one clear message, and the caller stores nothing.

The limits are generous (a real file takes a fraction of them). An administrator on a very
slow PC, or a test, sets ``COMPLAINT_DESK_TIME_LIMIT_<KIND>`` (seconds) to change one.
"""

from __future__ import annotations

import os
import time

from desktop.i18n import N_, _

# What each kind of file may cost, in seconds of wall-clock time.
LIMITS: dict[str, float] = {"pdf": 60.0, "law_pack": 60.0, "calendar": 10.0, "import": 600.0}
ENV_PREFIX = "COMPLAINT_DESK_TIME_LIMIT_"
_WHAT = {"pdf": N_("Checking the signed PDF"), "law_pack": N_("Reading the law pack"),
         "calendar": N_("Reading the calendar file"), "import": N_("Reading the import file")}


class WorkTimeoutError(Exception):
    """Reading an untrusted file took longer than its limit; nothing was changed."""

    def __init__(self, kind: str, seconds: float) -> None:
        self.kind = kind
        self.seconds = seconds
        super().__init__(_("{what} took longer than {seconds:g} seconds and was stopped: the file may be damaged "
                           "or built to be slow. Nothing was changed.").format(what=_(_WHAT[kind]),
                                                                              seconds=seconds))


def limit_for(kind: str) -> float:
    """The limit for ``kind``: its ``COMPLAINT_DESK_TIME_LIMIT_<KIND>`` when set to a number, else ``LIMITS``."""
    raw = os.environ.get(ENV_PREFIX + kind.upper())
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if value > 0:
            return value
    return LIMITS[kind]


class WorkDeadline:
    """``check()`` raises once ``seconds`` (default: the kind's limit) have passed since creation."""

    __slots__ = ("ends", "kind", "seconds")

    def __init__(self, kind: str, seconds: float | None = None) -> None:
        self.kind = kind
        self.seconds = limit_for(kind) if seconds is None else seconds
        self.ends = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise WorkTimeoutError(self.kind, self.seconds)

    def remaining(self) -> float:
        return max(0.0, self.ends - time.monotonic())
