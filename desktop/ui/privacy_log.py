"""Administrators: who revealed, copied or exported personal data (MIIT Order 24 art. 13).

A paged table over SQL (200 entries at a time, more as the list scrolls), filters by period, user
and case, and a CSV export of everything that matches for an audit.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import fmt_datetime
from desktop.i18n import N_, _
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.services.export_policy import write_access_log_csv
from desktop.services.privacy import AccessEntry, AccessQuery, action_label
from desktop.ui.case.field_names import field_name
from desktop.ui.widgets.field_row import ErrorLabel

AnyIndex = QModelIndex | QPersistentModelIndex
PAGE = 200
COLUMNS = (N_("When"), N_("User"), N_("PC"), N_("Action"), N_("Complaint"), N_("Field"), N_("Reason"),
           N_("Details"))


def details_text(details: dict[str, Any]) -> str:
    if "rows" in details:
        masked = _("masked") if details.get("masked", True) else _("UNMASKED")
        return _("{rows} rows, {masked}").format(rows=details["rows"], masked=masked)
    return json.dumps(details, ensure_ascii=False, sort_keys=True) if details else ""


class AccessLogModel(QAbstractTableModel):
    """Newest first; rows are fetched page by page from the store as the view asks for them."""

    def __init__(self, services: AppServices, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.query = AccessQuery()
        self.total = 0
        self._entries: list[AccessEntry] = []

    def set_query(self, query: AccessQuery) -> None:
        """Raises ``ServiceError`` when the signed-in user may not read the log."""
        self.beginResetModel()
        try:
            self.query = query
            self._entries = []
            self.total = self.services.privacy.count(self.services.actor, query)
            self._entries = self.services.privacy.entries(self.services.actor, query, limit=PAGE)
        finally:
            self.endResetModel()

    def entry(self, row: int) -> AccessEntry:
        return self._entries[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API
        return not parent.isValid() and len(self._entries) < self.total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: N802, B008 - Qt API
        if not self.canFetchMore(parent):
            return
        more = self.services.privacy.entries(self.services.actor, self.query, limit=PAGE,
                                             offset=len(self._entries))
        if not more:
            self.total = len(self._entries)  # rows cannot vanish, but never loop on a short count
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._entries += more
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._entries):
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)) \
                or not (0 <= index.column() < len(COLUMNS)):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self._entries[index.row()]
        values = (fmt_datetime(entry.at), f"{entry.actor_name} ({entry.login})", entry.host,
                  action_label(entry.action), entry.number or "", field_name(entry.field) if entry.field else "",
                  entry.reason, details_text(entry.details))
        return values[index.column()]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class AccessLogDialog(QDialog):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Personal data access log"))
        self.model = AccessLogModel(services, self)
        self.use_period = QCheckBox(_("Only the period"), self)
        today = QDate.currentDate()
        self.from_day, self.to_day = QDateEdit(today.addMonths(-1), self), QDateEdit(today, self)
        for edit in (self.from_day, self.to_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.from_day.setAccessibleName(_("First day"))
        self.to_day.setAccessibleName(_("Last day"))
        self.login = QLineEdit(self)
        self.login.setPlaceholderText(_("login, e.g. zhangsan"))
        self.number = QLineEdit(self)
        self.number.setPlaceholderText(_("complaint number, e.g. TS-20261128-0001"))
        self.apply_button = QPushButton(_("&Filter"), self)
        self.apply_button.setDefault(True)
        self.export_button = QPushButton(_("&Export CSV…"), self)
        self.summary = QLabel(self)
        self.message = ErrorLabel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(_("Personal data access log"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.reload)
        self.export_button.clicked.connect(self.choose_export_file)
        self._layout(buttons)
        self.resize(1100, 560)

    def _layout(self, buttons: QDialogButtonBox) -> None:
        period = QHBoxLayout()
        for widget in (self.use_period, self.from_day, QLabel("–", self), self.to_day):
            period.addWidget(widget)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Period"), period)
        form.addRow(_("User"), self.login)
        form.addRow(_("Complaint"), self.number)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.apply_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def query(self) -> AccessQuery:
        def day(edit: QDateEdit) -> date:
            value = edit.date()
            return date(value.year(), value.month(), value.day())

        period = self.use_period.isChecked()
        return AccessQuery(from_day=day(self.from_day) if period else None,
                           to_day=day(self.to_day) if period else None,
                           login=self.login.text().strip() or None, number=self.number.text().strip() or None)

    def reload(self) -> bool:
        try:
            self.model.set_query(self.query())
        except ServiceError as error:
            self.message.show_message(str(error))
            return False
        self.message.show_message(None)
        self.summary.setText(_("{count} entries").format(count=self.model.total))
        self.table.resizeColumnsToContents()
        return True

    def choose_export_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the access log"), "access-log.csv",
                                                    _("CSV files (*.csv)"))
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> int | None:
        """Everything that matches the filters (not just the loaded page); None when refused or unwritable."""
        query = self.query()
        entries: list[AccessEntry] = []
        try:
            while True:
                page = self.services.privacy.entries(self.services.actor, query, limit=1000, offset=len(entries))
                entries += page
                if len(page) < 1000:
                    break
            with open(path, "w", encoding="utf-8-sig", newline="") as handle:
                count = write_access_log_csv(entries, handle)
        except ServiceError as error:
            self.message.show_message(str(error))
            return None
        except OSError as error:
            self.message.show_message(_("Cannot write {path}: {reason}").format(path=path, reason=error.strerror))
            return None
        self.summary.setText(_("Wrote {count} entries to {path}.").format(count=count, path=path))
        return count

    @classmethod
    def show_for(cls, services: AppServices, parent: QWidget | None) -> AccessLogDialog:
        """Non-modal; anyone but an admin sees the refusal in the dialog and no entries."""
        dialog = cls(services, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.reload()
        dialog.show()
        return dialog
