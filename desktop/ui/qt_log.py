"""Qt's own warnings and errors go to the desk's log (a GUI desk has no console to print them on)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("desktop.qt")
LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.file}:{context.line})" if context.file else ""
    log.log(LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install_qt_message_log() -> Any:
    """Route Qt's messages to the log; returns the handler that was installed before."""
    return qInstallMessageHandler(qt_message)
