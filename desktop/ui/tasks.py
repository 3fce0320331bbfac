"""Background work off the GUI thread, with success / failure callbacks back on it.

Like Anki's ``CollectionOp``: ``run_in_background(work, on_done, on_error)`` runs ``work()`` on a
``QThreadPool`` worker; its result (or exception) is delivered through a queued signal, so the
callbacks always run on the GUI thread and may touch widgets. A newer task with the same ``key``
supersedes an older one: the stale result is dropped (typing in the search box fires many).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Relay(QObject):
    """Created on the GUI thread; its slots run there because the connections are queued."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_failed: Callable[[Any], None]) -> None:
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed
        self.finished.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _deliver_result(self, result: Any) -> None:
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, error: Any) -> None:
        self._on_failed(error)


class _Runnable(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # delivered to on_error on the GUI thread
            self._relay.failed.emit(error)
        else:
            self._relay.finished.emit(result)


class TaskRunner(QObject):
    """Owns the pool and the relays of running tasks (one per window)."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        # SQLite allows one writer; two readers keep counts and pages flowing without contention.
        self._pool.setMaxThreadCount(max_threads)
        self._generation: dict[str, int] = {}
        self._relays: set[_Relay] = set()

    def run(self, work: Callable[[], T], on_done: Callable[[T], None],
            on_error: Callable[[Exception], None] | None = None, *, key: str | None = None) -> None:
        generation = 0
        if key is not None:
            generation = self._generation.get(key, 0) + 1
            self._generation[key] = generation
        def current() -> bool:
            return key is None or self._generation.get(key) == generation

        def done(result: Any) -> None:
            self._release(relay)
            if current():
                on_done(result)

        def failed(error: Any) -> None:
            self._release(relay)
            if not current():
                return
            if on_error is not None:
                on_error(error)
            else:
                log.error("background task failed", exc_info=error)

        relay = _Relay(done, failed)
        self._relays.add(relay)
        self._pool.start(_Runnable(work, relay))

    def _release(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until running tasks end (tests, shutdown); their callbacks still need the event loop."""
        return self._pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._relays)
