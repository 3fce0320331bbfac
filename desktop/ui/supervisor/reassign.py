"""Case › Reassign…: give the selected open cases to another agent of the team, with a reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.domain.validation import FieldError
from desktop.i18n import _
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError

_ERROR_STYLE = "color: #b00020;"


class ReassignDialog(QDialog):
    def __init__(self, services: AppServices, numbers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reassign_dialog")
        self.setWindowTitle(_("Reassign"))
        self.services = services
        self.numbers = list(numbers)
        self.moved: list[str] = []
        actor = services.actor
        form = QFormLayout(self)
        form.addRow(QLabel(_("Cases: {numbers}").format(numbers=", ".join(self.numbers)), self))
        self.agent = QComboBox(self)
        self.agent.setObjectName("reassign_agent")
        for user in services.users.accounts(actor):
            same_team = actor.role == "admin" or actor.team is None or user.team == actor.team
            if user.role == "agent" and same_team:
                self.agent.addItem(f"{user.display_name} ({user.login})", user.login)
        form.addRow(_("&To:"), self.agent)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reassign_reason")
        self.reason.setPlaceholderText(_("required, kept in each case's history"))
        form.addRow(_("&Reason:"), self.reason)
        self.error = QLabel(self)
        self.error.setObjectName("reassign_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reassign"))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply(self) -> bool:
        login = self.agent.currentData()
        if not login:
            self.error.setText(_("There is no agent to give the cases to."))
            return False
        try:
            self.moved = self.services.supervision.reassign_many(self.services.actor, self.numbers, str(login),
                                                                  self.reason.text())
        except FieldError as error:
            self.error.setText(error.message)
            self.reason.setFocus()
            return False
        except ServiceError as error:
            self.error.setText(str(error))
            return False
        self.accept()
        return True
