"""One button per workflow step, enabled only when the step is legal from the current status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGroupBox, QPushButton, QSizePolicy, QWidget

from desktop.domain.codes import Status, status_label
from desktop.domain.workflow import TRANSITIONS, Action, allowed_actions
from desktop.i18n import _
from desktop.ui.case.prompts import (
    AppealDialog,
    ConfirmDialog,
    FollowUpDialog,
    InvalidReasonDialog,
    ReasonDialog,
    ReplyDialog,
)
from desktop.ui.widgets.flow_layout import FlowLayout


@dataclass
class StepInput:
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def ask_step_input(parent: QWidget, action: Action, *, resolution: str = "",
                   compensation: str = "") -> StepInput | None:
    """Ask what the step needs (details, reason, confirmation); None when the agent cancels."""
    step = StepInput()
    details: dict[str, Any] | None = {}
    if action == Action.REPLY:
        details = ReplyDialog.ask(parent, resolution, compensation)
    elif action == Action.FOLLOW_UP:
        details = FollowUpDialog.ask(parent)
    elif action == Action.MARK_INVALID:
        details = InvalidReasonDialog.ask(parent)  # the reason code is the reason
    elif action == Action.RECORD_APPEAL:
        details = AppealDialog.ask(parent)
    if details is None:
        return None
    step.details = details
    transition = TRANSITIONS[action]
    if transition.needs_reason and action != Action.MARK_INVALID:
        step.reason = ReasonDialog.ask(parent, action)
        if step.reason is None:
            return None
    if transition.irreversible and not ConfirmDialog.ask(parent, action):
        return None
    return step


# Every workflow step has a key, shown on its button's tooltip and in the Case menu.
STEP_SHORTCUTS: dict[Action, str] = {
    Action.ACKNOWLEDGE: "Ctrl+Shift+A",
    Action.INVESTIGATE: "Ctrl+Shift+I",
    Action.SUBMIT_FOR_APPROVAL: "Ctrl+Shift+P",
    Action.RETURN_FOR_REWORK: "Ctrl+Shift+B",
    Action.REPLY: "Ctrl+Shift+R",
    Action.FOLLOW_UP: "Ctrl+Shift+F",
    Action.CLOSE: "Ctrl+Shift+D",
    Action.MARK_INVALID: "Ctrl+Shift+N",
    Action.WITHDRAW: "Ctrl+Shift+W",
    Action.REOPEN: "Ctrl+Shift+O",
    Action.RECORD_APPEAL: "Ctrl+Shift+G",
}


class TransitionBar(QGroupBox):
    requested = Signal(object)  # Action

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[Action, QPushButton] = {}
        # The same steps as actions (the main window puts them in its Case menu); each is enabled
        # exactly when its button is.
        self.step_actions: dict[Action, QAction] = {}
        layout = FlowLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        for action in TRANSITIONS:
            button = QPushButton(self)
            button.clicked.connect(lambda _checked=False, a=action: self.requested.emit(a))
            button.setObjectName(f"transition_{action.value}")
            layout.addWidget(button)
            self.buttons[action] = button
            step = QAction(self)
            step.setObjectName(f"step_{action.value}")
            step.setShortcut(QKeySequence(STEP_SHORTCUTS[action]))
            step.triggered.connect(lambda _checked=False, a=action: self._trigger(a))
            self.step_actions[action] = step
        self.status: Status | None = None
        self.retranslate()
        self.set_status(None)

    def _trigger(self, action: Action) -> None:
        if self.buttons[action].isEnabled():
            self.requested.emit(action)

    def retranslate(self) -> None:
        self.setTitle(_("Workflow"))
        for action, button in self.buttons.items():
            button.setText(_(TRANSITIONS[action].label))
            self.step_actions[action].setText(_(TRANSITIONS[action].label))
        self.set_status(self.status)

    def set_status(self, status: Status | None) -> None:
        self.status = status
        legal = set(allowed_actions(status)) if status is not None else set()
        for action, button in self.buttons.items():
            enabled = action in legal
            button.setEnabled(enabled)
            self.step_actions[action].setEnabled(enabled)
            key = QKeySequence(STEP_SHORTCUTS[action]).toString(QKeySequence.SequenceFormat.NativeText)
            tip = _("Shortcut: {key}").format(key=key)
            if not enabled and status is not None:
                sources = "、".join(status_label(s) for s in sorted(TRANSITIONS[action].sources))
                tip = _("Possible only when the case is: {statuses}.").format(statuses=sources) + " " + tip
            button.setToolTip(tip)
