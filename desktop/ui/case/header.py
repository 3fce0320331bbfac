"""The case header: number, customer, status and the reply countdown with its trace.

The deadline state is shown by colour AND by a symbol and words, so it reads the same for
colour-blind agents and on a greyscale screenshot.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import OPEN_STATUSES, Status, status_label
from desktop.domain.deadline_state import DeadlineState, deadline_state, state_label, time_left_text
from desktop.domain.deadlines import Deadline
from desktop.domain.masking import mask_name, mask_phone
from desktop.formatting import fmt_date, fmt_datetime
from desktop.i18n import _
from desktop.services.records import ComplaintRecord
from desktop.ui.intake.deadline_preview import basis_lines, calendar_note
from desktop.ui.widgets.flow_layout import FlowLayout

STATE_LOOK: dict[DeadlineState, tuple[str, str]] = {  # symbol, background colour
    DeadlineState.ON_TIME: ("●", "#d7f0dc"),
    DeadlineState.DUE_SOON: ("◆", "#fff1c2"),
    DeadlineState.DUE_TODAY: ("▲", "#ffd9a8"),
    DeadlineState.OVERDUE: ("✖", "#f7c6c2"),
    DeadlineState.DONE: ("✔", "#e4e4e4"),
}


def trace_text(deadline: Deadline) -> str:
    lines = [f"{index}. {step}" for index, step in enumerate(deadline.trace, start=1)]
    lines += ["", calendar_note(deadline), _("Legal basis:")]
    lines += ["• " + line for line in basis_lines(deadline)]
    return "\n".join(lines)


class TraceDialog(QDialog):
    """How the deadline was counted; non-modal so the agent can keep working beside it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("How the reply deadline was computed"))
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)


class CaseHeader(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel(self)
        font = self.number.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.customer = QLabel(self)
        self.status = QLabel(self)
        self.countdown = QLabel(self)
        self.countdown.setObjectName("countdown")
        self.countdown.setMargin(4)
        self.trace_button = QPushButton(self)
        self.trace_button.clicked.connect(self.show_trace)
        layout = FlowLayout(self, spacing=10)  # wraps in a narrow case panel instead of widening the window
        layout.setContentsMargins(6, 4, 6, 4)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        layout.addWidget(self.number)
        layout.addWidget(self.customer)
        layout.addWidget(self.status)
        layout.addWidget(self.countdown)
        layout.addWidget(self.trace_button)
        self.record: ComplaintRecord | None = None
        self.deadline: Deadline | None = None
        self.state: DeadlineState | None = None
        self.trace_dialog: TraceDialog | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(30_000)  # the countdown is shown to the minute
        self.timer.timeout.connect(self.refresh_countdown)
        self.timer.start()
        self.retranslate()

    def retranslate(self) -> None:
        self.trace_button.setText(_("How is this computed?"))
        self.trace_button.setAccessibleName(_("Show how the reply deadline was computed"))
        if self.record is not None:
            self.show_record(self.record, self.deadline)

    def show_record(self, record: ComplaintRecord, deadline: Deadline | None) -> None:
        self.record, self.deadline = record, deadline
        if self.trace_dialog is not None:  # it describes the previous deadline
            self.trace_dialog.close()
            self.trace_dialog.deleteLater()
            self.trace_dialog = None
        self.number.setText(record.number)
        self.customer.setText(_("Customer: {name} ({phone})").format(name=mask_name(record.customer_name),
                                                                     phone=mask_phone(record.phone)))
        self.status.setText(_("Status: {status}").format(status=status_label(record.status)))
        tooltip = trace_text(deadline) if deadline is not None else ""
        self.countdown.setToolTip(tooltip)
        self.trace_button.setEnabled(deadline is not None)
        self.refresh_countdown()

    def refresh_countdown(self, now: datetime | None = None) -> None:
        record = self.record
        if record is None:
            return
        now = now or datetime.now(UTC)
        is_open = Status(record.status) in OPEN_STATUSES
        self.state = deadline_state(record.reply_due_date, record.reply_due_at, now,
                                    is_open=is_open)
        symbol, colour = STATE_LOOK[self.state]
        parts = [symbol, state_label(self.state)]
        if is_open:
            parts.append(time_left_text(record.reply_due_at, now))
        parts.append(_("due {date}").format(date=fmt_date(record.reply_due_date)))
        if record.calendar_provisional:
            parts.append(_("(provisional calendar)"))
        self.countdown.setText(parts[0] + " " + " · ".join(parts[1:]))
        self.countdown.setAccessibleName(self.countdown.text())
        self.countdown.setStyleSheet(f"#countdown {{ background: {colour}; border-radius: 4px; }}")
        self.countdown.setAccessibleDescription(
            _("Late from {moment}").format(moment=fmt_datetime(record.reply_due_at)))

    def show_trace(self) -> None:
        if self.deadline is None:
            return
        if self.trace_dialog is None:
            self.trace_dialog = TraceDialog(trace_text(self.deadline), self)
        self.trace_dialog.show()
        self.trace_dialog.raise_()
