"""How the main window opens the supervisor's windows (kept out of the shared main window module)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from desktop.services.app import AppServices
from desktop.services.queue import QueueFilter
from desktop.ui.queue.model import QueueModel
from desktop.ui.queue.view import QueueView


class DeskWindow(Protocol):
    services: AppServices
    queue_view: QueueView
    queue_model: QueueModel

    def refresh(self) -> None: ...


def _show(dialog: QWidget) -> QWidget:
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_approvals(window: DeskWindow, parent: QWidget) -> QWidget:
    from desktop.ui.supervisor.approvals import ApprovalDialog

    dialog = ApprovalDialog(window.services, parent)
    dialog.decided.connect(lambda _number, _decision: window.refresh())
    return _show(dialog)


def open_team_board(window: DeskWindow, parent: QWidget) -> QWidget:
    from desktop.ui.supervisor.team_board import TeamBoardDialog

    dialog = TeamBoardDialog(window.services, parent)
    dialog.agent_chosen.connect(lambda agent_id, _name: show_agent_queue(window, agent_id))
    return _show(dialog)


def open_quality(window: DeskWindow, parent: QWidget) -> QWidget:
    from desktop.ui.supervisor.quality import QualityReviewDialog

    return _show(QualityReviewDialog(window.services, parent))


def show_agent_queue(window: DeskWindow, agent_id: int) -> None:
    """The queue of one agent's open cases (choosing any saved filter afterwards shows everyone's again)."""
    window.queue_view.set_filter(QueueFilter.OPEN)
    window.queue_model.set_query(window.queue_model.query.with_(filter=QueueFilter.OPEN, agent_id=agent_id))


def reassign_selected(window: DeskWindow, parent: QWidget) -> list[str]:
    """Case › Reassign…: the selected queue rows to another agent; the queue is re-read afterwards."""
    from desktop.ui.supervisor.reassign import ReassignDialog

    numbers = window.queue_view.selected_numbers()
    if not numbers:
        return []
    dialog = ReassignDialog(window.services, numbers, parent)
    if dialog.exec() != ReassignDialog.DialogCode.Accepted:
        return []
    window.refresh()
    return dialog.moved
