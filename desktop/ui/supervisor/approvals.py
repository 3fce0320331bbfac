"""The approval queue: cases awaiting this supervisor's decision, the case and its proposed resolution
beside an unsigned preview of the letter, and Approve / Return for rework (Ctrl+Return / Ctrl+Shift+B).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import category_label, channel_label
from desktop.domain.masking import mask_field
from desktop.domain.validation import FieldError
from desktop.formatting import fmt_date, fmt_money
from desktop.i18n import _
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.services.privacy import mask_record
from desktop.services.records import ComplaintRecord
from desktop.ui.supervisor.numbered_list import NumberedList
from desktop.ui.tasks import TaskRunner

APPROVE_SHORTCUT = "Ctrl+Return"
RETURN_SHORTCUT = "Ctrl+Shift+B"  # the same key as the workflow step "return for rework"
_ERROR_STYLE = "color: #b00020;"


def _letter_pdf(services: AppServices, number: str) -> bytes:
    """The outcome letter as it would go out now, unsigned (rendered off the GUI thread)."""
    from desktop.letters.render import render_letter

    return render_letter(services.letters.content(number))


class ApprovalDialog(QDialog):
    decided = Signal(str, str)  # number, "approve" or "return"
    letter_shown = Signal(str)  # number (or "" when the letter cannot be written yet)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approval_dialog")
        self.setModal(False)
        self.services = services
        self.runner = TaskRunner(self, max_threads=1)
        self.record: ComplaintRecord | None = None
        self._build()
        self.resize(1320, 820)
        self.reload()

    def _build(self) -> None:
        self.cases = NumberedList("approval_cases", self)
        self.cases.on_current(self._show_case)
        self.details = QTextBrowser(self)
        self.details.setObjectName("approval_details")
        self._pdf_bytes = QByteArray()
        self._buffer = QBuffer(self._pdf_bytes, self)
        self.document = QPdfDocument(self)
        self.preview = QPdfView(self)
        self.preview.setObjectName("approval_letter")
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview.setDocument(self.document)
        self.letter_note = QLabel(self)
        self.letter_note.setWordWrap(True)
        letter = QWidget(self)
        letter_layout = QVBoxLayout(letter)
        letter_layout.setContentsMargins(0, 0, 0, 0)
        letter_layout.addWidget(self.letter_note)
        letter_layout.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.cases)
        split.addWidget(self.details)
        split.addWidget(letter)
        split.setSizes([240, 500, 580])

        self.note = QLineEdit(self)
        self.note.setObjectName("approval_note")
        self.note_label = QLabel(self)
        self.note_label.setBuddy(self.note)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("approve")
        self.approve_button.setShortcut(QKeySequence(APPROVE_SHORTCUT))
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton(self)
        self.return_button.setObjectName("return_for_rework")
        self.return_button.setShortcut(QKeySequence(RETURN_SHORTCUT))
        self.return_button.clicked.connect(self.return_for_rework)
        self.message = QLabel(self)
        self.message.setObjectName("approval_message")
        self.message.setWordWrap(True)
        decide = QHBoxLayout()
        decide.addWidget(self.note_label)
        decide.addWidget(self.note, 1)
        decide.addWidget(self.approve_button)
        decide.addWidget(self.return_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(decide)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Approvals"))
        self.note_label.setText(_("&Note or reason:"))
        self.note.setPlaceholderText(_("A note for the approval (optional) or why it goes back (required)"))
        self.approve_button.setText(_("&Approve") + f"  ({APPROVE_SHORTCUT})")
        self.return_button.setText(_("&Return for rework") + f"  ({RETURN_SHORTCUT})")
        self.close_button.setText(_("Close window"))

    # -- loading ---------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        numbers = self.services.supervision.awaiting_approval(self.services.actor)
        rows = []
        for number in numbers:
            record = self.services.complaints.get(number)
            due = _("due {date}").format(date=fmt_date(record.reply_due_date))
            name = mask_field("customer_name", record.customer_name) or ""
            rows.append((number, f"{number}\n{name} · {due}"))
        current = self.cases.fill(rows, select)
        for widget in (self.approve_button, self.return_button, self.note):
            widget.setEnabled(bool(numbers))
        if current is None:
            self.record = None
            nothing = _("Nothing is awaiting your approval.")
            self.details.setHtml(f"<p>{escape(nothing)}</p>")
            self._set_letter(b"", "")
            return
        self._show_case(current)

    def numbers(self) -> list[str]:
        return self.cases.numbers()

    def _show_case(self, number: str) -> None:
        self.record = record = self.services.complaints.get(number)
        self.details.setHtml(_case_html(record))
        self.letter_note.setText(_("Letter preview (unsigned) — as it would go out if approved:"))
        services = self.services
        self.runner.run(lambda: _letter_pdf(services, number), lambda pdf: self._set_letter(pdf, number),
                        self._letter_failed, key="letter")

    def _set_letter(self, pdf: bytes, number: str) -> None:
        self.document.close()
        if pdf:
            # The document reads its buffer lazily: both must live as long as it shows them.
            self._pdf_bytes = QByteArray(pdf)
            buffer = QBuffer(self._pdf_bytes, self)
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            previous, self._buffer = self._buffer, buffer
            self.document.load(buffer)
            previous.deleteLater()
        self.letter_shown.emit(number if pdf else "")

    def _letter_failed(self, error: Exception) -> None:
        self._set_letter(b"", "")
        self.letter_note.setText(_("No letter preview: {reason}").format(reason=error))
        self.letter_shown.emit("")

    # -- deciding --------------------------------------------------------------------------------
    def approve(self) -> bool:
        record = self.record
        if record is None:
            return False
        actor = self.services.actor
        return self._decide(record.number, "approve", lambda: self.services.supervision.approve(
            actor, record.number, self.note.text(), expected_version=record.version))

    def return_for_rework(self) -> bool:
        record = self.record
        if record is None:
            return False
        if not self.note.text().strip():
            self._fail(_("Say why the case goes back for rework."))
            self.note.setFocus()
            return False
        actor = self.services.actor
        return self._decide(record.number, "return", lambda: self.services.supervision.return_for_rework(
            actor, record.number, self.note.text(), expected_version=record.version))

    def _decide(self, number: str, decision: str, call: Callable[[], object]) -> bool:
        try:
            call()
        except FieldError as error:
            self._fail(error.message)
            return False
        except ServiceError as error:
            self._fail(str(error))
            self.reload(select=number)
            return False
        self.message.setStyleSheet("")
        self.message.setText(_("{number} approved.").format(number=number) if decision == "approve"
                             else _("{number} returned for rework.").format(number=number))
        self.note.clear()
        self.decided.emit(number, decision)
        self.reload()
        return True

    def _fail(self, text: str) -> None:
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # A line edit lets Ctrl+Return through without triggering the button's shortcut: take it here.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.approve_button.isEnabled():
                self.approve()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.runner.wait(10000)
        super().closeEvent(event)  # type: ignore[arg-type]


def _case_html(record: ComplaintRecord) -> str:
    record = mask_record(record)  # personal data masked here as everywhere (revealed only in the case view)

    def row(label: str, value: str | None) -> str:
        text = escape(value or "—").replace("\n", "<br/>")
        return f"<tr><th align='left' valign='top' style='padding-right:12px'>{escape(label)}</th><td>{text}</td></tr>"

    compensation = fmt_money(record.compensation) if record.compensation is not None else None
    rows = [
        row(_("Customer"), f"{record.customer_name}  {record.phone}"),
        row(_("Category"), category_label(record.category)),
        row(_("Channel"), channel_label(record.channel)),
        row(_("Handled by"), record.assigned_agent_name),
        row(_("Reply due"), fmt_date(record.reply_due_date)),
        row(_("Description"), record.description),
        row(_("Demand"), record.demand),
        row(_("Findings"), record.investigation_notes),
    ]
    proposal = [row(_("Proposed resolution"), record.resolution), row(_("Compensation"), compensation)]
    heading = _("Proposal awaiting approval")
    return (f"<h3>{escape(record.number)}</h3><table>{''.join(rows)}</table>"
            f"<h4>{escape(heading)}</h4><table>{''.join(proposal)}</table>")
