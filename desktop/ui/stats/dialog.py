"""The statistics window: pick a period, read the key figures, charts and breakdown tables, export CSV."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import category_label, channel_label
from desktop.domain.figures import definition
from desktop.formatting import fmt_datetime, fmt_money, fmt_number
from desktop.i18n import N_, _, add_language_listener, remove_language_listener
from desktop.reports.monthly import REPORT_FORMATS, write_pdf, write_xlsx
from desktop.services.app import AppServices
from desktop.services.stats import Figures, Period, PeriodError, Statistics, beijing_today
from desktop.ui.stats.charts import CategoryChart, TimeChart
from desktop.ui.stats.models import AGENT_COLUMNS, GROUP_COLUMNS, BreakdownModel, write_csv
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PRESETS = (("this_month", N_("This month")), ("last_month", N_("Last month")), ("this_year", N_("This year")),
           ("custom", N_("Custom range")))
KPIS = (("received", N_("Number received")), ("validity", N_("Valid / invalid")), ("open", N_("Still open")),
        ("overdue", N_("Overdue now")), ("on_time", N_("On time / late (of which unanswered)")),
        ("on_time_rate", N_("On-time rate")), ("reply_days", N_("Average days to reply")),
        ("repeats", N_("Repeat numbers (complaints)")), ("appeals", N_("Appeals to the regulator")),
        ("compensation", N_("Compensation paid")), ("satisfaction", N_("Average satisfaction (follow-ups)")),
        ("repeat_rate", N_("Repeat rate")), ("appeal_rate", N_("Appeal rate")),
        ("qa_score", N_("Quality review score")))
# Which definition (desktop/domain/figures.py) each key figure shows as its tooltip.
KPI_DEFINITIONS = {"on_time": "on_time_rate", "on_time_rate": "on_time_rate", "reply_days": "handling_days",
                   "repeats": "repeat_rate", "repeat_rate": "repeat_rate", "appeals": "appeal_rate",
                   "appeal_rate": "appeal_rate", "satisfaction": "satisfaction", "qa_score": "qa_score"}


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _agent_label(row: Figures) -> str:
    return row.name or (_("Unassigned") if not row.key else row.key)


class StatisticsDialog(QDialog):
    """Non-modal; queries run on the window's own ``TaskRunner``, never on the GUI thread."""

    loaded = Signal(object)  # Statistics, after the figures are shown
    failed = Signal(str)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statistics_dialog")
        self.setModal(False)
        self.services = services
        self.statistics: Statistics | None = None
        self.runner = TaskRunner(self, max_threads=1)
        self.show_agents = services.actor.is_supervisor
        self._ready = False  # the preset box fires while it is being filled
        self._build()
        self._language_listener = self._on_language
        add_language_listener(self._language_listener)
        self.retranslate()
        self.resize(1180, 820)
        self._ready = True
        self.reload()

    @classmethod
    def show_for(cls, services: AppServices, parent: QWidget | None = None) -> StatisticsDialog:
        """Open (non-modal) and start loading this month's figures; the caller may keep working."""
        dialog = cls(services, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_period_row())
        layout.addLayout(self._build_kpis())
        charts = QSplitter(Qt.Orientation.Horizontal, self)
        self.category_chart = CategoryChart(charts)
        self.time_chart = TimeChart(charts)
        charts.addWidget(self.category_chart.view)
        charts.addWidget(self.time_chart.view)
        charts.setSizes([1, 1])
        self.tables = QTabWidget(self)
        self.tables.setObjectName("stats_tables")
        self.category_model = BreakdownModel(GROUP_COLUMNS, lambda row: category_label(row.key), self)
        self.channel_model = BreakdownModel(GROUP_COLUMNS, lambda row: channel_label(row.key), self)
        self.agent_model = BreakdownModel(AGENT_COLUMNS, _agent_label, self)
        self.category_table = self._table(self.category_model, "table_by_category")
        self.channel_table = self._table(self.channel_model, "table_by_channel")
        self.agent_table = self._table(self.agent_model, "table_by_agent")
        self.tables.addTab(self.category_table, "")
        self.tables.addTab(self.channel_table, "")
        if self.show_agents:
            self.tables.addTab(self.agent_table, "")
        else:
            self.agent_table.hide()
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.addWidget(charts)
        body.addWidget(self.tables)
        body.setSizes([380, 300])
        layout.addWidget(body, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("export_csv")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._choose_export)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.report_buttons: dict[str, QPushButton] = {}
        for report_format in REPORT_FORMATS:
            button = QPushButton(self)
            button.setObjectName(f"report_{report_format}")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, f=report_format: self._choose_report(f))
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            self.report_buttons[report_format] = button
        self.buttons.rejected.connect(self.close)
        layout.addWidget(self.buttons)

    def _build_period_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.period_label = QLabel(self)
        self.preset = QComboBox(self)
        self.preset.setObjectName("period_preset")
        for key, _label in PRESETS:
            self.preset.addItem("", key)
        today = beijing_today()
        self.start_edit = self._date_edit("period_from", today.replace(day=1))
        self.end_edit = self._date_edit("period_to", today)
        self.to_label = QLabel("–", self)
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh_stats")
        self.refresh_button.clicked.connect(self.reload)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stats_state")
        self.preset.currentIndexChanged.connect(self._preset_changed)
        for widget in (self.period_label, self.preset, self.start_edit, self.to_label, self.end_edit,
                       self.refresh_button):
            row.addWidget(widget)
        row.addWidget(self.state_label, 1)
        self._preset_changed()
        return row

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day), self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _build_kpis(self) -> QGridLayout:
        grid = QGridLayout()
        self.kpi_titles: dict[str, QLabel] = {}
        self.kpi_values: dict[str, QLabel] = {}
        per_row = 6
        for position, (key, _title) in enumerate(KPIS):
            title, value = QLabel(self), QLabel("—", self)
            value.setObjectName(f"kpi_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = value.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            font.setBold(True)
            value.setFont(font)
            title.setStyleSheet("color: palette(mid);")
            cell = QVBoxLayout()
            cell.addWidget(title)
            cell.addWidget(value)
            grid.addLayout(cell, position // per_row, position % per_row)
            self.kpi_titles[key], self.kpi_values[key] = title, value
        return grid

    def _table(self, model: BreakdownModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return view

    # -- period and loading ---------------------------------------------------------------------
    def _preset_changed(self) -> None:
        key = self.preset.currentData()
        custom = key == "custom"
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        if not custom:
            period = self.period()
            self.start_edit.setDate(_qdate(period.start))
            self.end_edit.setDate(_qdate(period.end))
            if self._ready:
                self.reload()

    def set_period(self, start: date, end: date) -> None:
        """Choose a custom range and load it (also what tests and callers use)."""
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self._preset_changed()
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(end))
        self.reload()

    def period(self) -> Period:
        key = self.preset.currentData()
        if key == "this_month":
            return Period.this_month()
        if key == "last_month":
            return Period.last_month()
        if key == "this_year":
            return Period.this_year()
        return Period(self.start_edit.date().toPython(), self.end_edit.date().toPython())  # type: ignore[arg-type]

    def reload(self) -> None:
        try:
            period = self.period()
        except PeriodError as error:
            self._show_error(str(error))
            return
        self.state_label.setText(_("Computing…"))
        self.refresh_button.setEnabled(False)
        stats = self.services.stats
        self.runner.run(lambda: stats.compute(period), self._show, self._failed, key="stats")

    def _failed(self, error: Exception) -> None:
        log.warning("statistics failed: %s", error)
        self._show_error(_("The statistics could not be computed: {error}").format(error=error))

    def _show_error(self, message: str) -> None:
        self.refresh_button.setEnabled(True)
        self.state_label.setText(message)
        self.state_label.setStyleSheet("color: #b00020;")
        self.failed.emit(message)

    # -- showing --------------------------------------------------------------------------------
    def _show(self, stats: Statistics) -> None:
        self.statistics = stats
        self.refresh_button.setEnabled(True)
        self.export_button.setEnabled(True)
        for button in self.report_buttons.values():
            button.setEnabled(True)
        self.state_label.setStyleSheet("")
        self._show_kpis(stats)
        self.category_model.set_rows(stats.by_category)
        self.channel_model.set_rows(stats.by_channel)
        self.agent_model.set_rows(stats.by_agent or [])
        self.category_chart.show(stats.by_category)
        self.time_chart.show(stats.by_time, stats.bucket)
        self._show_state()
        self.loaded.emit(stats)

    def _show_state(self) -> None:
        stats = self.statistics
        if stats is None:
            return
        scope = _("all complaints") if stats.scope == "all" else _("cases assigned to you")
        self.state_label.setText(_("{scope}, computed {at}").format(scope=scope, at=fmt_datetime(stats.computed_at)))

    def _show_kpis(self, stats: Statistics) -> None:
        t = stats.totals
        none = "—"
        values = {
            "received": fmt_number(t.received),
            "validity": f"{fmt_number(t.valid)} / {fmt_number(t.invalid)}",
            "open": fmt_number(t.open),
            "overdue": fmt_number(t.overdue_open),
            "on_time": f"{fmt_number(t.replied_on_time)} / {fmt_number(t.late)} ({fmt_number(t.unanswered_late)})",
            "on_time_rate": none if t.on_time_rate is None else fmt_number(round(t.on_time_rate * 100, 1)) + "%",
            "reply_days": none if t.average_reply_days is None else fmt_number(round(t.average_reply_days, 1)),
            "repeats": f"{fmt_number(t.repeat_numbers)} ({fmt_number(t.repeat_complaints)})",
            "appeals": fmt_number(t.appeals),
            "compensation": fmt_money(t.compensation),
            "satisfaction": none if t.satisfaction_average is None else
            f"{fmt_number(round(t.satisfaction_average, 2))} ({fmt_number(t.satisfaction_count)})",
            "repeat_rate": none if t.repeat_rate is None else fmt_number(round(t.repeat_rate * 100, 1)) + "%",
            "appeal_rate": none if t.appeal_rate is None else fmt_number(round(t.appeal_rate * 100, 1)) + "%",
            "qa_score": none if t.qa_average is None else
            f"{fmt_number(round(t.qa_average, 1))} ({fmt_number(t.qa_reviews)})",
        }
        for key, text in values.items():
            self.kpi_values[key].setText(text)

    # -- export ---------------------------------------------------------------------------------
    def _choose_export(self) -> None:
        stats = self.statistics
        if stats is None:
            return
        name = f"complaint-stats-{stats.period.start.isoformat()}-{stats.period.end.isoformat()}.csv"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export CSV"), name, _("CSV files (*.csv)"))
        if path:
            try:
                self.export_csv(Path(path))
            except OSError as error:
                self._show_error(_("Cannot write {path}: {reason}").format(path=path, reason=error.strerror))

    def export_csv(self, path: Path) -> None:
        tables = [(_("By category"), self.category_model), (_("By channel"), self.channel_model)]
        if self.show_agents:
            tables.append((_("By agent"), self.agent_model))
        write_csv(path, tables)
        self.state_label.setText(_("Exported to {path}").format(path=path))

    def _choose_report(self, report_format: str) -> None:
        stats = self.statistics
        if stats is None:
            return
        name = f"complaint-report-{stats.period.start.isoformat()}-{stats.period.end.isoformat()}.{report_format}"
        pattern = _("PDF files (*.pdf)") if report_format == "pdf" else _("Excel workbooks (*.xlsx)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report"), name, pattern)
        if path:
            self.export_report(Path(path), report_format)

    def export_report(self, path: Path, report_format: str) -> bool:
        """Write the shown figures as the monthly report (PDF or XLSX); False with a message on failure."""
        stats = self.statistics
        if stats is None:
            return False
        site_name = str(self.services.site.get("site_name"))
        try:
            (write_pdf if report_format == "pdf" else write_xlsx)(stats, path, site_name)
        except OSError as error:
            self._show_error(_("Cannot write {path}: {reason}").format(path=path,
                                                                       reason=error.strerror or str(error)))
            return False
        self.state_label.setText(_("Report written to {path}").format(path=path))
        return True

    # -- language -------------------------------------------------------------------------------
    def _on_language(self, _language: str) -> None:
        try:
            self.retranslate()
        except RuntimeError:  # the C++ dialog is gone
            remove_language_listener(self._language_listener)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Statistics"))
        self.period_label.setText(_("Period:"))
        for index, (_key, label) in enumerate(PRESETS):
            self.preset.setItemText(index, _(label))
        self.refresh_button.setText(_("Compute"))
        self.export_button.setText(_("Export CSV"))
        for key, title in KPIS:
            self.kpi_titles[key].setText(_(title))
            if key in KPI_DEFINITIONS:
                tip = definition(KPI_DEFINITIONS[key])
                self.kpi_titles[key].setToolTip(tip)
                self.kpi_values[key].setToolTip(tip)
        self.report_buttons["pdf"].setText(_("Report (PDF)…"))
        self.report_buttons["xlsx"].setText(_("Report (XLSX)…"))
        self.tables.setTabText(self.tables.indexOf(self.category_table), _("By category"))
        self.tables.setTabText(self.tables.indexOf(self.channel_table), _("By channel"))
        if self.show_agents:
            self.tables.setTabText(self.tables.indexOf(self.agent_table), _("By agent"))
        for model in (self.category_model, self.channel_model, self.agent_model):
            model.retranslate()
        if self.statistics is not None:
            self._show(self.statistics)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        remove_language_listener(self._language_listener)
        self.runner.wait(10000)
        super().closeEvent(event)
