"""Asking for the signing key's passphrase (and explaining the demo identity the first time)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _


class PassphraseDialog(QDialog):
    """``first_time``: no key exists yet, so the passphrase is chosen now (typed twice)."""

    def __init__(self, signer: str, *, first_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_time = first_time
        self.setWindowTitle(_("Sign the letter"))
        if first_time:
            text = _("This is the first letter signed as {name} on this computer. Complaint Desk will "
                     "now create a demo site certificate authority and a demo certificate for {name}, "
                     "both protected by the passphrase you choose here. Letters signed with them carry "
                     "the label “demo identity” and are not valid as real letters; a supervisor "
                     "replaces them with the site's own certificates in the settings.").format(name=signer)
        else:
            text = _("Enter the passphrase of the signing key of {name}.").format(name=signer)
        self.explanation = QLabel(text, self)
        self.explanation.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("QLabel { color: #b00020; }")
        form = QFormLayout()
        form.addRow(_("Passphrase:"), self.passphrase)
        if first_time:
            form.addRow(_("Repeat passphrase:"), self.repeat)
        else:
            self.repeat.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign and archive"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._check)
        self.repeat.textChanged.connect(self._check)
        self.resize(480, self.sizeHint().height())
        self._check()

    def _check(self) -> None:
        # The key module brings cryptography (0.1-0.2 s): loaded with this dialog, not with the case view.
        from desktop.letters.keys import passphrase_problem

        problem = ""
        if not self.passphrase.text():
            problem = _("The passphrase must not be empty.")
        elif self.first_time and (weak := passphrase_problem(self.value())) is not None:
            problem = weak  # a new key: the same strength rule the key files enforce
        elif self.first_time and self.repeat.text() and self.repeat.text() != self.passphrase.text():
            problem = _("The two passphrases differ.")
        complete = not problem and (not self.first_time or self.repeat.text() == self.passphrase.text())
        self.problem.setText(problem if self.passphrase.text() or self.repeat.text() else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(complete)

    def value(self) -> bytes:
        return self.passphrase.text().encode("utf-8")

    @classmethod
    def ask(cls, parent: QWidget | None, signer: str, *, first_time: bool) -> bytes | None:
        """The passphrase as UTF-8 bytes, or None when cancelled."""
        dialog = cls(signer, first_time=first_time, parent=parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.value()
        return None
