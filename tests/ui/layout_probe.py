"""Open every view of the real desk at a window size and list interactive widgets that do not fit.

Used by tests/ui/test_layout_fit.py in-process, and as a script in a subprocess with
``QT_SCALE_FACTOR=1.5`` (a 1920x1080 screen at 150 % is 1280x720 logical pixels):

    python -m tests.ui.layout_probe DB_URL WIDTH HEIGHT OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QTextEdit,
    QWidget,
)

from desktop.ui.main_window import MainWindow

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit,
               QTextEdit, QTabBar)


def _scroll_viewports(window: QWidget, widget: QWidget) -> list[QRect]:
    """The viewports (in window coordinates) of every scroll area ``widget`` sits in, innermost first."""
    ports: list[QRect] = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            viewport = parent.viewport()
            ports.append(QRect(viewport.mapTo(window, viewport.rect().topLeft()), viewport.size()))
        parent = parent.parentWidget()
    return ports


def misplaced(window: MainWindow) -> list[str]:
    """Every shown interactive widget lies inside the window; inside a scroll area it fits the width
    of the viewport (vertical scrolling is fine, horizontal clipping is not)."""
    frame = QRect(0, 0, window.width(), window.height())
    problems: list[str] = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        if isinstance(widget.parentWidget(), (QAbstractItemView, QAbstractSpinBox, QComboBox, QLineEdit)):
            continue  # editors' own clear buttons and viewports follow their owner
        if _inside_view_port_helpers(widget):
            continue
        top_left = widget.mapTo(window, widget.rect().topLeft())
        rect = QRect(top_left, widget.size())
        ports = _scroll_viewports(window, widget)
        if ports:
            # Horizontally inside every scroll area around it; the outermost one inside the window.
            fits = all(rect.left() >= port.left() - 1 and rect.right() <= port.right() + 1 for port in ports)
            fits = fits and frame.contains(ports[-1])
        else:
            fits = frame.contains(rect)
        if not fits:
            name = widget.objectName() or getattr(widget, "text", lambda: "")() or type(widget).__name__
            problems.append(f"{type(widget).__name__} {name!r} at {rect.getRect()} outside {frame.getRect()}")
    return problems


def _inside_view_port_helpers(widget: QWidget) -> bool:
    """Scroll bars' buttons and the tab bar's scroll arrows are Qt's own helpers."""
    name = type(widget).__name__
    return name in {"QToolButton"} and isinstance(widget.parentWidget(), QTabBar)


def views(window: MainWindow, shots: Path | None = None) -> list[tuple[str, list[str]]]:
    """Bring each view on screen in turn; return (name, problems) for each (and save a PNG of each
    into ``shots``)."""
    results: list[tuple[str, list[str]]] = []

    def check(name: str) -> None:
        for _round in range(3):
            QApplication.processEvents()
        results.append((name, misplaced(window)))
        if shots is not None:
            window.grab().save(str(shots / f"{window.width()}x{window.height()}-{name}.png"))

    window.law_dock.hide()
    window.focus_queue()
    check("queue")
    window.new_complaint()
    check("intake")
    number = window.queue_model.number_at(0) if window.queue_model.rowCount() else None
    if number:
        window.open_case(number)
        tabs = window.case_view.tabs  # type: ignore[attr-defined]
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            check(f"case-{index}")
        tabs.setCurrentIndex(0)
    window.law_dock.show()
    check("law")
    return results


def main(argv: list[str]) -> int:
    """Subprocess entry: exits 1 listing the problems, 0 when everything fits; saves PNGs."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    url, width, height, out = argv[0], int(argv[1]), int(argv[2]), Path(argv[3])
    from desktop.settings import Settings
    from desktop.ui.application import create_application
    from tests.accounts import open_as

    app = create_application(["layout_probe"])
    services = open_as(url, "tester", role="admin", display_name="测试员")
    settings = Settings(out / f"settings-{width}x{height}.ini")
    settings.set("queue_filter", "all")
    window = MainWindow(services, settings, background=False)
    window.resize(width, height)
    window.show()
    failed = False
    for name, problems in views(window, out):
        for problem in problems:
            print(f"{name}: {problem}")
            failed = True
    print(f"window {window.width()}x{window.height()} dpr {window.devicePixelRatio()} "
          f"minimum {window.minimumSizeHint().width()}x{window.minimumSizeHint().height()}")
    window.deleteLater()  # not close(): closing would store this layout for the next run
    services.close()
    del app
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
