"""One desk per user: a second launch hands over to the running one and exits.

The running desk listens on a local socket (a named pipe on Windows) whose name is derived from
the user and their data folder; a second launch connects, sends one JSON line — “come to the
front”, or “verify this PDF” from Explorer's “Verify with Complaint Desk” — and ends. Another
user on the same PC gets another name, so their desks never meet.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from desktop.paths import user_data_dir

log = logging.getLogger(__name__)
TIMEOUT_MS = 2000


def server_name() -> str:
    key = f"{getpass.getuser()}|{user_data_dir().resolve()}"
    return "complaint-desk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def hand_over(message: dict[str, Any], name: str | None = None) -> bool:
    """Give ``message`` to the desk already running; False when there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(TIMEOUT_MS):
        return False
    socket.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    socket.waitForBytesWritten(TIMEOUT_MS)
    answered = socket.waitForReadyRead(TIMEOUT_MS) and bytes(socket.readAll().data()).strip() == b"ok"
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for second launches; ``message_received`` carries what they asked for."""

    message_received = Signal(dict)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def start(self) -> bool:
        if self.server.listen(self.name):
            return True
        # A desk that crashed leaves its socket file behind on Unix: nobody answers there.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("ignored a malformed hand-over: %r", line[:200])
            return
        socket.write(b"ok\n")
        socket.flush()
        if isinstance(message, dict):
            log.info("second launch handed over: %s", message)
            self.message_received.emit(message)


def bring_to_front(window: QWidget) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def act_on(window: QWidget, message: dict[str, Any]) -> None:
    """What a second launch asked for: the window in front, then the PDF it named verified."""
    bring_to_front(window)
    path = message.get("verify")
    if path:
        verify_file(window, Path(str(path)))


def verify_file(window: QWidget, path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.domain.work_limit import WorkTimeoutError
    from desktop.i18n import _
    from desktop.letters.content import LetterError
    from desktop.ui.letters.verify_dialog import VerifyLetterDialog

    log.info("verifying %s", path)
    try:
        VerifyLetterDialog.ask(window, path)
    except (OSError, LetterError, WorkTimeoutError) as error:
        QMessageBox.warning(window, _("Verify a letter"),
                            _("{file} could not be verified: {error}").format(file=path.name, error=error))
