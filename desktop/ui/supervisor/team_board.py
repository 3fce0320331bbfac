"""The team board: per agent, open cases, due today, due within three days, overdue, awaiting follow-up.

The counts come from one grouped SQL query (``SupervisionService.team_board``) run off the GUI
thread; double-clicking an agent asks the main window to show the queue of that agent's open cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.formatting import fmt_number
from desktop.i18n import N_, _
from desktop.services.app import AppServices
from desktop.services.supervision import TeamLoad
from desktop.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("Agent")), ("open", N_("Open")), ("due_today", N_("Due today")),
    ("due_soon", N_("Due within 3 days")), ("overdue", N_("Overdue")),
    ("awaiting_follow_up", N_("Awaiting follow-up")),
)


class TeamBoardModel(QAbstractTableModel):
    """Read-only rows of ``TeamLoad``; numbers sort as numbers (UserRole gives the raw value)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TeamLoad] = []

    def set_rows(self, rows: Sequence[TeamLoad]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def load(self, row: int) -> TeamLoad:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        load = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        value = getattr(load, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return value if key == "name" else fmt_number(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and key != "name":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and key == "overdue" and value:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("Double-click to show {name}'s open cases in the queue").format(name=load.name)
        return None


class TeamBoardDialog(QDialog):
    agent_chosen = Signal(int, str)  # user id, display name
    loaded = Signal()

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("team_board_dialog")
        self.setModal(False)
        self.services = services
        self.runner = TaskRunner(self, max_threads=1)
        self.model = TeamBoardModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("team_board")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._chosen)
        self.state = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.state)
        layout.addWidget(buttons)
        self.setWindowTitle(_("Team board"))
        self.close_button.setText(_("Close window"))
        self.resize(900, 520)
        self.reload()

    def reload(self) -> None:
        self.state.setText(_("Computing…"))
        supervision, actor = self.services.supervision, self.services.actor
        self.runner.run(lambda: supervision.team_board(actor), self._show, self._failed, key="board")

    def _show(self, rows: list[TeamLoad]) -> None:
        self.model.set_rows(rows)
        self.state.setText(_("{count} agent(s); double-click one to see their open cases.").format(count=len(rows)))
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.state.setStyleSheet("color: #b00020;")
        self.state.setText(str(error))
        self.loaded.emit()

    def _chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            load = self.model.load(index.row())
            self.agent_chosen.emit(load.agent_id, load.name)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.runner.wait(10000)
        super().closeEvent(event)  # type: ignore[arg-type]
