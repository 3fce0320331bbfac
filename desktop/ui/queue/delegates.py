"""How urgency looks: a shape AND a colour AND text per deadline state (colour is never alone).

Icons are painted, not loaded from files or font glyphs, so they look the same on every PC and
scale with the device pixel ratio.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from desktop.domain.deadline_state import DeadlineState

# Light tints that keep black text readable (WCAG AA) and strong strokes for the shapes.
TINTS: dict[DeadlineState, str | None] = {
    DeadlineState.OVERDUE: "#f8d0cc",
    DeadlineState.DUE_TODAY: "#fde0b8",
    DeadlineState.DUE_SOON: "#fbf0b4",
    DeadlineState.ON_TIME: None,
    DeadlineState.DONE: None,
}
STROKES: dict[DeadlineState, str] = {
    DeadlineState.OVERDUE: "#b3261e",
    DeadlineState.DUE_TODAY: "#c55a00",
    DeadlineState.DUE_SOON: "#8a6d00",
    DeadlineState.ON_TIME: "#2e7d32",
    DeadlineState.DONE: "#707070",
}
TEXT_COLOURS: dict[DeadlineState, str | None] = {
    DeadlineState.OVERDUE: "#7f1010",
    DeadlineState.DUE_TODAY: "#6b3200",
    DeadlineState.DUE_SOON: None,
    DeadlineState.ON_TIME: None,
    DeadlineState.DONE: "#606060",
}


def tint(state: DeadlineState) -> QBrush | None:
    colour = TINTS[state]
    return QBrush(QColor(colour)) if colour else None


def text_colour(state: DeadlineState) -> QBrush | None:
    colour = TEXT_COLOURS[state]
    return QBrush(QColor(colour)) if colour else None


def _shape(state: DeadlineState, box: QRectF) -> QPainterPath:
    path = QPainterPath()
    c = box.center()
    r = box.width() / 2
    if state == DeadlineState.OVERDUE:  # an octagon, like a stop sign
        points = [QPointF(c.x() + r * dx, c.y() + r * dy) for dx, dy in
                  ((-0.41, -1), (0.41, -1), (1, -0.41), (1, 0.41), (0.41, 1), (-0.41, 1), (-1, 0.41), (-1, -0.41))]
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    elif state == DeadlineState.DUE_TODAY:  # a warning triangle
        path.addPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), box.bottom()),
                                   QPointF(box.left(), box.bottom())]))
        path.closeSubpath()
    elif state == DeadlineState.DUE_SOON:  # a diamond
        path.addPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), c.y()),
                                   QPointF(c.x(), box.bottom()), QPointF(box.left(), c.y())]))
        path.closeSubpath()
    elif state == DeadlineState.ON_TIME:  # a circle
        path.addEllipse(box)
    else:  # done: a small square
        path.addRect(box.adjusted(r * 0.3, r * 0.3, -r * 0.3, -r * 0.3))
    return path


@cache
def deadline_icon(state: DeadlineState, size: int = 16, ratio: float = 2.0) -> QIcon:
    """A distinct shape per state (octagon, triangle, diamond, circle, square), high-DPI ready."""
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    stroke = QColor(STROKES[state])
    painter.setPen(QPen(stroke, 1.5))
    fill = QColor(stroke)
    fill.setAlpha(200 if state in (DeadlineState.OVERDUE, DeadlineState.DUE_TODAY) else 90)
    painter.setBrush(fill)
    painter.drawPath(_shape(state, QRectF(2, 2, size - 4, size - 4)))
    if state == DeadlineState.OVERDUE:  # a white cross, so the octagon never reads as a dot
        painter.setPen(QPen(QColor("white"), 2.0))
        inset = size * 0.34
        painter.drawLine(QPointF(inset, inset), QPointF(size - inset, size - inset))
        painter.drawLine(QPointF(size - inset, inset), QPointF(inset, size - inset))
    painter.end()
    return QIcon(pixmap)
