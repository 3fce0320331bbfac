"""A pad that records a handwritten signature as vector strokes (mouse, pen/tablet, touch)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.i18n import _
from desktop.letters.content import SIGNATURE_ASPECT, SignaturePoint, SignatureStrokes

MOUSE_PRESSURE = 0.5  # a mouse reports no pressure; draw it as a medium pen
INK = QColor("#0b2a6b")


class SignaturePad(QWidget):
    """Records strokes of (x, y, pressure) normalised to a 0..1 box, y downwards.

    The box has the letter's signature-box aspect ratio, so what the customer
    sees is what the letter prints.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[SignaturePoint]] = []
        self._redo: list[list[SignaturePoint]] = []
        self._drawing = False
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumSize(360, int(360 / SIGNATURE_ASPECT))
        self.setAccessibleName(_("Signature pad"))
        self.setToolTip(_("Sign here with a pen, a finger or the mouse"))

    # -- public API ------------------------------------------------------
    def strokes(self) -> SignatureStrokes:
        return tuple(tuple(stroke) for stroke in self._strokes)

    def set_strokes(self, strokes: SignatureStrokes | None) -> None:
        self._strokes = [list(stroke) for stroke in strokes or ()]
        self._redo.clear()
        self.update()
        self.changed.emit()

    def is_empty(self) -> bool:
        return not self._strokes

    def clear(self) -> None:
        if not self._strokes and not self._redo:
            return
        self._strokes.clear()
        self._redo.clear()
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        if self._strokes:
            self._redo.append(self._strokes.pop())
            self.update()
            self.changed.emit()

    def redo(self) -> None:
        if self._redo:
            self._strokes.append(self._redo.pop())
            self.update()
            self.changed.emit()

    def can_undo(self) -> bool:
        return bool(self._strokes)

    def can_redo(self) -> bool:
        return bool(self._redo)

    # -- geometry --------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        """Override QWidget::hasHeightForWidth: keep the letter's aspect ratio."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        """Override QWidget::heightForWidth."""
        return int(width / SIGNATURE_ASPECT)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Override QWidget::sizeHint."""
        return QSize(540, int(540 / SIGNATURE_ASPECT))

    def _box(self) -> QRectF:
        """The drawing box: the largest rectangle of the right aspect, centred."""
        width, height = float(self.width()), float(self.height())
        if width / max(height, 1.0) > SIGNATURE_ASPECT:
            box_width = height * SIGNATURE_ASPECT
            return QRectF((width - box_width) / 2, 0, box_width, height)
        box_height = width / SIGNATURE_ASPECT
        return QRectF(0, (height - box_height) / 2, width, box_height)

    def _normalise(self, position: QPointF, pressure: float) -> SignaturePoint:
        box = self._box()
        x = (position.x() - box.left()) / max(box.width(), 1.0)
        y = (position.y() - box.top()) / max(box.height(), 1.0)
        return (min(1.0, max(0.0, x)), min(1.0, max(0.0, y)), min(1.0, max(0.0, pressure)))

    # -- input -----------------------------------------------------------
    def _begin(self, position: QPointF, pressure: float) -> None:
        self._drawing = True
        self._redo.clear()
        self._strokes.append([self._normalise(position, pressure)])
        self.update()

    def _extend(self, position: QPointF, pressure: float) -> None:
        if self._drawing and self._strokes:
            point = self._normalise(position, pressure)
            if point[:2] != self._strokes[-1][-1][:2]:
                self._strokes[-1].append(point)
                self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Override QWidget::mousePressEvent."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), MOUSE_PRESSURE)
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Override QWidget::mouseMoveEvent."""
        self._extend(event.position(), MOUSE_PRESSURE)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        """Override QWidget::mouseReleaseEvent."""
        self._extend(event.position(), MOUSE_PRESSURE)
        self._end()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 - Qt override
        """Override QWidget::tabletEvent: pen pressure; accepting stops the synthesised mouse."""
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def event(self, event: QEvent) -> bool:
        """Override QWidget::event for touch: the first finger draws."""
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                point = points[0]
                pressure = point.pressure() if point.pressure() > 0 else MOUSE_PRESSURE
                if kind == QEvent.Type.TouchBegin:
                    self._begin(point.position(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(point.position(), pressure)
                else:
                    self._extend(point.position(), pressure)
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # -- painting --------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        """Override QWidget::paintEvent."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#fafafa"))
        box = self._box()
        painter.fillRect(box, QColor("white"))
        painter.setPen(QPen(QColor("#c8c8c8"), 1, Qt.PenStyle.DashLine))
        painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
        baseline = box.top() + box.height() * 0.8
        painter.drawLine(QPointF(box.left() + 12, baseline), QPointF(box.right() - 12, baseline))
        if not self._strokes:
            painter.setPen(QColor("#9e9e9e"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _("Sign here"))
        scale = box.height() / 100.0  # pen width follows the pad's size, like the printed box
        for stroke in self._strokes:
            previous: QPointF | None = None
            for x, y, pressure in stroke:
                current = QPointF(box.left() + x * box.width(), box.top() + y * box.height())
                pen = QPen(INK, max(1.0, (0.8 + 2.6 * pressure) * scale))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                if previous is None:
                    painter.drawPoint(current)
                else:
                    painter.drawLine(previous, current)
                previous = current
        painter.end()
