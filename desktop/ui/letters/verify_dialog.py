"""The "verify a letter" action: intact or tampered, signer, time, trust, and which case."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.formatting import fmt_beijing
from desktop.i18n import _
from desktop.letters.verify import VerificationResult

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

_GREEN, _AMBER, _RED = "#e6f4ea", "#fff4e5", "#fdecea"


def verdict(result: VerificationResult) -> tuple[str, str]:
    """Headline text and background colour for a result."""
    if not result.intact:
        return _("Not valid: the letter was changed after signing or is not signed."), _RED
    if not result.valid:
        return _("Not valid: see the problems below."), _RED
    if result.known is None:
        return _("The signatures are valid; the letter was not looked up in the store."), _AMBER
    return _("Valid: intact and signed by a certificate of the site CA."), _GREEN


def _local_time(iso: str | None) -> str:
    """The signer's stated time in Beijing time (the legal clock), whatever this PC's zone."""
    return fmt_beijing(iso)


class VerifyLetterDialog(QDialog):
    def __init__(
        self, result: VerificationResult, file_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Verify a letter"))
        self.verification = result
        text, colour = verdict(result)
        self.headline = QLabel(text, self)
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet(
            f"QLabel {{ background: {colour}; padding: 10px; border-radius: 4px;"
            " font-weight: bold; }"
        )
        yes, no = _("Yes"), _("No")
        form = QFormLayout()
        rows = (
            (_("File"), file_name),
            (_("Intact"), yes if result.intact else _("No — tampered or unsigned")),
            (_("Signer"), result.signer or "—"),
            (_("Signing time"), _local_time(result.signed_at)),
            (_("Chains to the site CA"), yes if result.trusted else no),
            (_("Complaint"), result.complaint or "—"),
            (_("Revision"), str(result.revision) if result.revision else "—"),
            (_("Fingerprint"), result.fingerprint or "—"),
            (_("Archived in the store"), _("not checked") if result.known is None else yes if result.known else no),
        )
        self.value_labels: dict[str, QLabel] = {}
        for label, value in rows:
            widget = QLabel(value, self)
            widget.setWordWrap(True)
            form.addRow(_("{label}:").format(label=label), widget)
            self.value_labels[label] = widget
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(form)
        if result.problems:
            problems = QLabel("\n".join(f"• {p}" for p in result.problems), self)
            problems.setWordWrap(True)
            layout.addWidget(problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close window"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    @classmethod
    def from_file(cls, path: Path, parent: QWidget | None = None,
                  sessions: sessionmaker[Session] | None = None) -> VerifyLetterDialog:
        """The same check as ``letter verify`` (``check_letter``); with ``sessions`` the store is consulted."""
        from desktop.letters.verify import read_letter_file
        from desktop.services.letter_check import check_letter

        return cls(check_letter(read_letter_file(path), sessions), path.name, parent)

    @classmethod
    def ask(
        cls, parent: QWidget | None = None, path: Path | None = None,
        sessions: sessionmaker[Session] | None = None,
    ) -> VerificationResult | None:
        """Pick a PDF (unless given), verify it against the site CA and show the result."""
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                parent, _("Verify a letter"), "", _("PDF files (*.pdf)")
            )
            if not name:
                return None
            path = Path(name)
        dialog = cls.from_file(path, parent, sessions)
        dialog.exec()
        return dialog.verification
