"""Offline review: the desk opened on a review bundle, with no database.

Cases are read-only (masked fields, history, citations, letters); the supervisor approves, returns
with a reason, reassigns to an agent listed in the bundle, scores QA and comments. Each decision is
appended to the bundle's journal (fsync'ed) before the window says it is saved.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.bundle.file import BundleError, Decision, OpenBundle
from desktop.domain.codes import category_label, channel_label, status_label
from desktop.formatting import fmt_datetime
from desktop.i18n import _, add_language_listener, remove_language_listener
from desktop.services.bundles import describe_decision
from desktop.services.records import EventRecord
from desktop.ui.case.timeline import TimelineTab

FIELD_LABELS = (
    ("number", "Number"), ("status", "Status"), ("received_at", "Received"), ("channel", "Channel"),
    ("category", "Category"), ("customer_name", "Customer"), ("phone", "Phone"), ("address", "Address"),
    ("assigned_agent_name", "Agent"), ("description", "Description"), ("demand", "Demand"),
    ("investigation_notes", "Investigation notes"), ("resolution", "Resolution"), ("compensation", "Compensation"),
    ("reply_due_at", "Reply due"),
)


def _label(key: str) -> str:
    return {
        "Number": _("Number"), "Status": _("Status"), "Received": _("Received"), "Channel": _("Channel"),
        "Category": _("Category"), "Customer": _("Customer"), "Phone": _("Phone"), "Address": _("Address"),
        "Agent": _("Agent"), "Description": _("Description"), "Demand": _("Demand"),
        "Investigation notes": _("Investigation notes"), "Resolution": _("Resolution"),
        "Compensation": _("Compensation"), "Reply due": _("Reply due"),
    }[key]


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if key == "status":
        return status_label(str(value))
    if key == "category":
        return category_label(str(value))
    if key == "channel":
        return channel_label(str(value))
    if key in ("received_at", "reply_due_at"):
        return fmt_datetime(datetime.fromisoformat(str(value)))
    return str(value)


class ReviewWindow(QMainWindow):
    def __init__(self, bundle: OpenBundle, reviewer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_window")
        self.bundle = bundle
        self.reviewer = reviewer
        self.current: dict[str, Any] | None = None
        self._build()
        self._fill_cases()
        self.retranslate()
        self._language_listener = self._on_language
        add_language_listener(self._language_listener)
        if bundle.cases:
            self.cases.selectRow(0)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setObjectName("review_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff4d6; padding: 6px; border: 1px solid #e0c070; }")
        self.cases = QTableWidget(0, 5, self)
        self.cases.setObjectName("review_cases")
        self.cases.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.cases.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.cases.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cases.verticalHeader().hide()
        self.cases.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cases.horizontalHeader().setStretchLastSection(True)
        self.cases.itemSelectionChanged.connect(self._case_selected)

        self.details = QWidget(self)
        self.form = QFormLayout(self.details)
        self.values: dict[str, QLabel] = {}
        self.form_labels: dict[str, QLabel] = {}
        for key, _english in FIELD_LABELS:
            value = QLabel(self.details)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel(self.details)
            self.values[key], self.form_labels[key] = value, label
            self.form.addRow(label, value)
        self.history = TimelineTab(self)
        self.citations = QListWidget(self)
        self.letters = QListWidget(self)
        self.letters.itemActivated.connect(lambda _item: self.open_letter())
        self.open_letter_button = QPushButton(self)
        self.open_letter_button.clicked.connect(self.open_letter)
        letters_page = QWidget(self)
        letters_layout = QVBoxLayout(letters_page)
        letters_layout.addWidget(self.letters)
        letters_layout.addWidget(self.open_letter_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.details, "")
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(self.citations, "")
        self.tabs.addTab(letters_page, "")

        self.decisions = QListWidget(self)
        self.decisions.setObjectName("review_decisions")
        self.decisions.setMaximumHeight(110)
        self.approve_button = QPushButton(self)
        self.approve_button.setObjectName("review_approve")
        self.approve_button.clicked.connect(self.approve)
        self.return_button = QPushButton(self)
        self.return_button.setObjectName("review_return")
        self.return_button.clicked.connect(lambda: self.return_case())
        self.agent_box = QComboBox(self)
        for agent in self.bundle.agents:
            self.agent_box.addItem(f"{agent['display_name']}（{agent.get('team') or '—'}）", agent)
        self.reassign_button = QPushButton(self)
        self.reassign_button.clicked.connect(lambda: self.reassign())
        self.score = QSpinBox(self)
        self.score.setRange(0, 100)
        self.score.setValue(90)
        self.score_button = QPushButton(self)
        self.score_button.clicked.connect(lambda: self.score_case())
        self.comment = QLineEdit(self)
        self.comment.setObjectName("review_comment")
        self.comment_button = QPushButton(self)
        self.comment_button.clicked.connect(lambda: self.add_comment())
        actions = QHBoxLayout()
        for widget in (self.approve_button, self.return_button, self.agent_box, self.reassign_button, self.score,
                       self.score_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        comment_row = QHBoxLayout()
        comment_row.addWidget(self.comment, 1)
        comment_row.addWidget(self.comment_button)
        self.decisions_label = QLabel(self)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addLayout(actions)
        right_layout.addLayout(comment_row)
        right_layout.addWidget(self.decisions_label)
        right_layout.addWidget(self.decisions)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.cases)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 800])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.resize(1366, 768)

    def retranslate(self) -> None:
        sealed = self.bundle.sealed
        self.setWindowTitle(_("Offline review — {count} cases").format(count=len(self.bundle.cases)))
        self.banner.setText(_(
            "Offline review: no database connection. Decisions are saved beside the bundle as you make them "
            "and applied when the bundle is imported at the office. Exported by {exporter}, signed by {signer}; "
            "usable until {expires}. {decided} decisions saved.").format(
            exporter=self.bundle.payload["exported_by"]["display_name"], signer=sealed.signer_name,
            expires=fmt_datetime(sealed.expires_at), decided=len(self.bundle.decisions)))
        self.cases.setHorizontalHeaderLabels([_("Number"), _("Category"), _("Status"), _("Customer"),
                                              _("Decisions")])
        for key, english in FIELD_LABELS:
            self.form_labels[key].setText(_label(english))
        for index, text in enumerate((_("Details"), _("History"), _("Citations"), _("Letters"))):
            self.tabs.setTabText(index, text)
        self.open_letter_button.setText(_("Open the letter"))
        self.approve_button.setText(_("Approve"))
        self.return_button.setText(_("Return for rework…"))
        self.reassign_button.setText(_("Reassign"))
        self.score_button.setText(_("Score QA"))
        self.comment.setPlaceholderText(_("Comment for the agent"))
        self.comment_button.setText(_("Add comment"))
        self.decisions_label.setText(_("Decisions on this case (saved):"))
        self._fill_cases()
        self._show_current()

    def _on_language(self, _language: str) -> None:
        try:
            self.retranslate()
        except RuntimeError:  # the C++ window is gone; forget it
            remove_language_listener(self._language_listener)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        remove_language_listener(self._language_listener)
        super().closeEvent(event)

    # -- showing ------------------------------------------------------------------------------
    def _fill_cases(self) -> None:
        selected = self.current["number"] if self.current else None
        self.cases.blockSignals(True)
        self.cases.setRowCount(len(self.bundle.cases))
        for row, case in enumerate(self.bundle.cases):
            fields = case["fields"]
            texts = (case["number"], category_label(fields["category"]), status_label(fields["status"]),
                     fields["customer_name"], str(len(self.bundle.decisions_for(case["number"]))))
            for column, text in enumerate(texts):
                self.cases.setItem(row, column, QTableWidgetItem(text))
            if case["number"] == selected:
                self.cases.selectRow(row)
        self.cases.blockSignals(False)

    def _case_selected(self) -> None:
        rows = self.cases.selectionModel().selectedRows()
        self.current = self.bundle.cases[rows[0].row()] if rows else None
        self._show_current()

    def _show_current(self) -> None:
        case = self.current
        for widget in (self.approve_button, self.return_button, self.reassign_button, self.score_button,
                       self.comment_button):
            widget.setEnabled(case is not None)
        if case is None:
            return
        fields = case["fields"]
        for key, _english in FIELD_LABELS:
            self.values[key].setText(_shown(key, fields.get(key)))
        self.history.show_events([
            EventRecord(id=index, at=datetime.fromisoformat(entry["at"]), actor_name=entry["actor"],
                        kind=entry["kind"], action=entry["action"], from_status=entry["from"],
                        to_status=entry["to"], changes=entry["changes"], note=entry["note"])
            for index, entry in enumerate(case["history"])])
        self.citations.clear()
        for citation in case["citations"]:
            self.citations.addItem(_("《{statute}》 article {article}: {text}").format(
                statute=citation["statute"], article=citation["article"], text=citation["text"][:120]))
        self.letters.clear()
        for letter in case["letters"]:
            signed = _("signed by {signer}").format(signer=letter["signer"]) if letter["signed"] else _("unsigned")
            self.letters.addItem(_("Revision {revision} ({language}), {signed}").format(
                revision=letter["revision"], language=letter["language"], signed=signed))
        self.open_letter_button.setEnabled(bool(case["letters"]))
        self.decisions.clear()
        for decision in self.bundle.decisions_for(case["number"]):
            self.decisions.addItem(describe_decision(decision))

    def open_letter(self) -> Path | None:
        """Write the selected letter to a private temporary file and hand it to the PDF viewer."""
        if self.current is None or not self.current["letters"]:
            return None
        import base64

        row = max(self.letters.currentRow(), 0)
        letter = self.current["letters"][row]
        folder = Path(tempfile.mkdtemp(prefix="review-letter-"))
        path = folder / f"{self.current['number']}-r{letter['revision']}.pdf"
        path.write_bytes(base64.b64decode(letter["pdf"]))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    # -- deciding -----------------------------------------------------------------------------
    def _record(self, kind: str, **payload: Any) -> Decision | None:
        if self.current is None:
            return None
        decision = Decision(id=str(uuid.uuid4()), kind=kind, number=self.current["number"],
                            version=int(self.current["version"]), payload=payload,
                            at=datetime.now(UTC).isoformat(), reviewer=self.reviewer)
        try:
            self.bundle.record(decision)
        except (OSError, BundleError) as error:
            QMessageBox.warning(self, _("Offline review"), _("The decision could not be saved: {error}").format(
                error=getattr(error, "strerror", None) or error))
            return None
        self.statusBar().showMessage(_("Saved: {decision}").format(decision=describe_decision(decision)), 6000)
        self.retranslate()
        return decision

    def approve(self) -> Decision | None:
        return self._record("approve", comment=self.comment.text().strip())

    def return_case(self, reason: str | None = None) -> Decision | None:
        if reason is None:
            reason, ok = QInputDialog.getText(self, _("Return for rework"), _("Why does it go back to the agent?"))
            if not ok:
                return None
        if not reason.strip():
            QMessageBox.information(self, _("Return for rework"), _("A case goes back with a reason."))
            return None
        return self._record("return", reason=reason.strip())

    def reassign(self) -> Decision | None:
        agent = self.agent_box.currentData()
        if not isinstance(agent, dict):
            return None
        return self._record("reassign", login=agent["login"], display_name=agent["display_name"])

    def score_case(self) -> Decision | None:
        return self._record("qa_score", score=self.score.value(), comment=self.comment.text().strip())

    def add_comment(self) -> Decision | None:
        text = self.comment.text().strip()
        if not text:
            return None
        decision = self._record("comment", text=text)
        if decision is not None:
            self.comment.clear()
        return decision
