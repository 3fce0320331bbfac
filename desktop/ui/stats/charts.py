"""The two charts: complaints per category (horizontal bars) and complaints received over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from desktop.domain.codes import category_label
from desktop.i18n import _
from desktop.services.stats import Figures


def _view(parent: QWidget | None, name: str) -> QChartView:
    chart = QChart()
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(chart.margins() * 0)
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


def _value_axis(maximum: int) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, max(maximum, 1))
    axis.applyNiceNumbers()
    return axis


class CategoryChart:
    """Horizontal bars: long Chinese category names read well on the left axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.view = _view(parent, "chart_by_category")

    def show(self, rows: Sequence[Figures]) -> None:
        chart = self.view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(_("Complaints by category"))
        ordered = list(reversed(rows))  # largest at the top
        bars = QBarSet(_("Number received"))
        bars.append([float(row.received) for row in ordered])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([category_label(row.key) for row in ordered])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        values = _value_axis(max((row.received for row in rows), default=0))
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)

    def labels(self) -> list[str]:
        return [label for axis in self.view.chart().axes() if isinstance(axis, QBarCategoryAxis)
                for label in axis.categories()]


class TimeChart:
    """A line of complaints received per day (or per week for long periods) on a date axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.view = _view(parent, "chart_by_time")

    def show(self, rows: Sequence[Figures], bucket: str) -> None:
        chart = self.view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(_("Complaints received per week") if bucket == "week" else _("Complaints received per day"))
        series = QLineSeries()
        series.setPointsVisible(len(rows) <= 62)
        for row in rows:
            series.append(float(_moment(date.fromisoformat(row.key), 12).toMSecsSinceEpoch()), float(row.received))
        chart.addSeries(series)
        axis = QDateTimeAxis()
        axis.setFormat("MM-dd")
        axis.setTickCount(min(max(len(rows), 2), 8))
        if rows:
            axis.setRange(_moment(date.fromisoformat(rows[0].key), 0), _moment(date.fromisoformat(rows[-1].key), 23))
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        values = _value_axis(max((row.received for row in rows), default=0))
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)

    def point_count(self) -> int:
        series = self.view.chart().series()
        return series[0].count() if series and isinstance(series[0], QLineSeries) else 0


def _moment(day: date, hour: int) -> QDateTime:
    return QDateTime(QDate(day.year, day.month, day.day), QTime(hour, 0))
