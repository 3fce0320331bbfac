"""Errors services raise; every message is translated and meant for the agent."""

from __future__ import annotations

from typing import Any

from desktop.i18n import _


class ServiceError(Exception):
    """Base class: the message is ready to show."""


class NotFoundError(ServiceError):
    def __init__(self, number: str, *, hidden: bool = False) -> None:
        self.number = number
        if hidden:  # outside the actor's scope, or missing: the same answer for both
            super().__init__(_("No complaint numbered {number}, or you are not permitted to see it.").format(
                number=number))
        else:
            super().__init__(_("No complaint numbered {number}.").format(number=number))


class PermissionDeniedError(ServiceError):
    pass


class ConcurrentEditError(ServiceError):
    """Someone saved the case after this agent opened it; both versions are kept for the choice."""

    def __init__(self, current: Any, attempted: dict[str, Any], expected_version: int) -> None:
        self.current = current
        self.attempted = attempted
        self.expected_version = expected_version
        super().__init__(
            _(
                "Complaint {number} was changed by someone else (now version {current}, you opened version "
                "{expected}). Your changes were not saved; compare both versions and save again."
            ).format(number=current.number, current=current.version, expected=expected_version)
        )


class StoreBusyError(ServiceError):
    """Other seats kept the shared database file busy for too long; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(_("The database is busy with other seats' saves; nothing was saved. Try again."))
