"""The reply deadline a new complaint will get, with how it was counted, shown before saving."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.domain.deadlines import Deadline
from desktop.formatting import fmt_date, fmt_datetime
from desktop.i18n import _


def basis_lines(deadline: Deadline) -> list[str]:
    """Each legal basis with its verification state spelled out (never implied by colour)."""
    lines = []
    for basis in deadline.basis:
        mark = "✔ " + _("verified") if basis.verified else "⚠ " + _("not verified")
        lines.append(f"{basis.citation} ({mark})")
    return lines


def calendar_note(deadline: Deadline) -> str:
    if deadline.calendar == "provisional":
        return "⚠ " + _("Provisional: this year's official holiday calendar is not imported yet; "
                        "the date may move when it is.")
    return _("Official holiday calendar.")


class DeadlinePreview(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.due = QLabel(self)
        self.due.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.due.font()
        font.setBold(True)
        self.due.setFont(font)
        self.calendar = QLabel(self)
        self.calendar.setWordWrap(True)
        self.basis = QLabel(self)
        self.basis.setWordWrap(True)
        self.trace = QLabel(self)
        self.trace.setWordWrap(True)
        self.trace.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        for widget in (self.due, self.calendar, self.basis, self.trace):
            layout.addWidget(widget)
        self.deadline: Deadline | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Reply deadline (computed before saving)"))
        self.show_deadline(self.deadline)

    def show_deadline(self, deadline: Deadline | None, problem: str | None = None) -> None:
        self.deadline = deadline
        if deadline is None:
            hint = _("Choose the channel and category to compute the deadline.")
            self.due.setText(problem or hint)
            for label in (self.calendar, self.basis, self.trace):
                label.clear()
            return
        self.due.setText(_("Reply due by {date} (late from {moment})").format(
            date=fmt_date(deadline.due_date), moment=fmt_datetime(deadline.due_at)))
        self.calendar.setText(calendar_note(deadline))
        self.calendar.setStyleSheet("color: #8a5a00;" if deadline.calendar == "provisional" else "")
        lines = basis_lines(deadline)
        self.basis.setText(_("Legal basis:") + "\n" + "\n".join("• " + line for line in lines)
                           if lines else _("Legal basis: none recorded for this rule."))
        self.trace.setText(_("How it was counted:") + "\n" + "\n".join(
            f"{index}. {step}" for index, step in enumerate(deadline.trace, start=1)))
        self.setAccessibleDescription(self.due.text())
