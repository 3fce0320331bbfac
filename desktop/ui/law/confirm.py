"""Asking the agent before citing secondary-grade material."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.i18n import _
from desktop.law import Citation


class SecondaryCitationConfirmation:
    @classmethod
    def ask(cls, parent: QWidget | None, citation: Citation) -> bool:
        """Return True if the agent confirms citing text not checked against the official source."""
        answer = QMessageBox.question(
            parent,
            _("Confirm secondary source"),
            _(
                "{citation} comes from secondary sources only and has not been checked against "
                "the official text. Attach it to the case anyway?"
            ).format(citation=citation.format()),
        )
        return answer == QMessageBox.StandardButton.Yes
