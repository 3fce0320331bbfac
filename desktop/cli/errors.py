"""How ``complaint-desk`` reports a failure: one line on stderr, never a traceback on the terminal.

Expected failures (bad input, a refused action, an unusable file or database) print their message
in the user's language and exit with 2. Anything else is a defect: the traceback goes to the log
file and the terminal gets one line naming that file, exit code 1.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from desktop.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

log = logging.getLogger("desktop.cli")

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


def say(line: str) -> None:
    """Write one line to stderr; characters the terminal cannot take (a lone surrogate) are escaped."""
    sys.stderr.write(line.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def expected_message(error: BaseException) -> str | None:
    """The message for a failure the user can act on, or ``None`` for a defect."""
    from sqlalchemy.exc import DBAPIError, OperationalError  # here: `--help` loads no database code

    from desktop.cli.context import CliError
    from desktop.domain.deadlines.calendar_year import CalendarError
    from desktop.domain.deadlines.rules import RuleConfigError
    from desktop.domain.intake import IntakeError
    from desktop.domain.validation import FieldError
    from desktop.domain.work_limit import WorkTimeoutError
    from desktop.domain.workflow import IllegalTransitionError, MissingReasonError
    from desktop.law.loader import PackValidationError
    from desktop.services.errors import ServiceError
    from desktop.services.import_journal import ImportCancelledError, ImportInterruptedError, ImportLostError
    from desktop.services.import_read import ImportRejectedError
    from desktop.store.db import DatabaseUrlError

    if isinstance(error, IntakeError):
        return "; ".join(e.message for e in error.errors)
    if isinstance(error, PackValidationError):
        return _("The law pack is invalid: {problems}").format(problems="; ".join(error.problems))
    if isinstance(error, CliError | ServiceError | FieldError | IllegalTransitionError | MissingReasonError
                  | CalendarError | RuleConfigError | DatabaseUrlError | ImportRejectedError | ImportCancelledError
                  | ImportLostError | ImportInterruptedError | WorkTimeoutError):
        return str(error)
    if isinstance(error, OperationalError | DBAPIError) and _is_connection_problem(error):
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else ""
        return _("The database cannot be opened or reached: {reason}").format(reason=reason)
    if isinstance(error, RecursionError):
        return _("The input is nested too deeply to be read.")
    if isinstance(error, MemoryError):
        return _("The input is too large to be read.")
    if isinstance(error, OSError) and error.strerror:
        return _("Cannot use {path}: {reason}").format(path=error.filename or "", reason=error.strerror)
    return None


def _is_connection_problem(error: DBAPIError) -> bool:
    from sqlalchemy.exc import DatabaseError, OperationalError

    if error.connection_invalidated or isinstance(error, OperationalError):
        return True
    # SQLite: "file is not a database" — the --db points at something else.
    return isinstance(error, DatabaseError) and "not a database" in str(error.orig)


def report_unexpected(error: BaseException) -> None:
    """Log the traceback to the log file; one line on stderr says where it is."""
    try:
        from desktop.logs import configure_file_logging

        path = configure_file_logging()
        log.error("complaint-desk failed", exc_info=error)
        where = str(path)
    except Exception:  # the log folder itself is unusable: still no traceback on the terminal
        where = _("(the log file could not be written)")
    say("complaint-desk: " + _(
        "internal error ({kind}); nothing more was changed. Details for support: {path}").format(
            kind=type(error).__name__, path=where))
