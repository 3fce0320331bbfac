"""What happens when something unexpected breaks: keep the agent's typing, log it, say so plainly."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain.masking import mask_text
from desktop.i18n import _
from desktop.logs import log_path

log = logging.getLogger(__name__)


def interactive() -> bool:
    """False on the offscreen platform (screenshots, tests): nobody could answer a dialog there."""
    return QGuiApplication.platformName() not in ("offscreen", "minimal")


def rescue_drafts(window: QWidget | None) -> None:
    """Write whatever the agent has typed before anything else happens."""
    if window is None:
        return
    if not getattr(window, "intake_built", True):
        names: tuple[str, ...] = ("case_view",)  # a form not yet built holds nothing typed
    else:
        names = ("intake", "case_view")
    for name in names:
        part = getattr(window, name, None)
        save = getattr(part, "save_draft_now", None)
        if callable(save):
            try:
                save()
            except Exception:  # the rescue must never be the second failure
                log.exception("saving the draft after an error failed")


def install_excepthook(window: Callable[[], QWidget | None]) -> None:
    """Replace the default hook, which would only print to a console agents never see."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        current = window()
        rescue_drafts(current)
        message = _(
            "Something unexpected went wrong: {error}\n\nWhat you typed has been kept as a draft. "
            "Details are in {log}; please pass them to your supervisor."
        ).format(error=mask_text(str(error)), log=log_path())
        sys.stderr.write(message + "\n")
        if interactive():
            QMessageBox.critical(current, _("Complaint Desk"), message)

    sys.excepthook = hook


def report_startup_error(message: str) -> None:
    log.error("start-up failed: %s", message)
    message = mask_text(message)
    sys.stderr.write(f"complaint-desk: {message}\n")
    if interactive():
        QMessageBox.critical(None, _("Complaint Desk"), message)
