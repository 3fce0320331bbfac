"""The desk follows every seat: one Qt signal carries this seat's and other seats' changes.

The change feed listens on its own thread (PostgreSQL LISTEN, or SQLite ``data_version`` polling),
which on PostgreSQL also connects, so the desk never waits for the server to start; once listening
it sends one refresh, and the queue and the open case re-read. Its callback only emits
:attr:`ChangeSignal.changed`, which Qt queues to the GUI thread. There the queue re-reads itself
(bursts coalesced) and the open case reloads when someone else changed it — unless the agent has
unsaved edits, which are never thrown away: the case then says it changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow

from desktop.i18n import _
from desktop.store.changes import OpChanges

COALESCE_MS = 150


class ChangeSignal(QObject):
    changed = Signal(object)  # OpChanges, local or remote


class LiveUpdates(QObject):
    """Attached to the desk window; ``stop()`` (or closing the window) detaches it from the feed."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.services = window.services  # type: ignore[attr-defined]
        self.signal = ChangeSignal(self)
        self.signal.changed.connect(self._on_changes)
        self.received: list[OpChanges] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(COALESCE_MS)
        self._refresh_timer.timeout.connect(self._refresh_queue)
        self._feed = self.services.changes
        self._feed.subscribe(self._from_feed)
        self._feed.start()

    def _from_feed(self, changes: OpChanges) -> None:
        """Any thread: hand over to the GUI thread."""
        self.signal.changed.emit(changes)

    def _on_changes(self, changes: OpChanges) -> None:
        self.received.append(changes)
        if changes.numbers or changes.shared or changes.refresh:
            self._refresh_timer.start()
        if changes.local:
            return  # the desk already shows what it just saved
        case_view = getattr(self.window, "case_view", None)
        record = getattr(case_view, "record", None)
        if record is None or not changes.touches(record.number):
            return
        unsaved = getattr(case_view, "has_unsaved_changes", None)
        if callable(unsaved) and unsaved():
            if changes.refresh:
                return  # nobody is known to have changed it: the agent's edits stand as they are
            message = getattr(case_view, "message", None)
            if message is not None:
                message.show_message(_("Someone else changed this case meanwhile; saving will show both versions."))
            return
        show = getattr(case_view, "show_case", None)
        if callable(show):
            show(record.number)
            if changes.refresh:
                return  # a re-read in case something changed, not news of a change
            self.window.statusBar().showMessage(
                _("Complaint {number} was changed on another seat and has been reloaded.").format(
                    number=record.number), 8000)

    def _refresh_queue(self) -> None:
        self.window.queue_model.refresh()  # type: ignore[attr-defined]
        self.window.refresh_counts()  # type: ignore[attr-defined]

    def stop(self) -> None:
        self._feed.unsubscribe(self._from_feed)
        self._refresh_timer.stop()
