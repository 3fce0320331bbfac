"""Start-up work the first screen does not need waits until the queue has been painted.

The desk's start is measured (and felt) up to the queue's first page on screen. Work started before
that — the history check walking every chain entry, warming the word segmenter and pinyin
dictionaries — runs on other threads, but Python runs one thread at a time, so it only made
the queue arrive later. Queued here, it starts in the event loop turn after that paint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Runs queued callbacks once ``widget`` has painted while ``ready()`` holds (the queue loaded)."""

    def __init__(self, widget: QWidget, ready: Callable[[], bool]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._ready = ready
        self._callbacks: list[Callable[[], object]] = []
        self.done = False
        widget.installEventFilter(self)

    def call(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` after the first paint (in the next event loop turn once it has happened)."""
        if self.done:
            QTimer.singleShot(0, self, callback)
        else:
            self._callbacks.append(callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Override QObject::eventFilter: notice the first paint of the loaded queue; never consume it."""
        if not self.done and watched is self._widget and event.type() == QEvent.Type.Paint and self._ready():
            self.done = True
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after this paint has reached the screen
        return False

    def _run(self) -> None:
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()
