"""Quality review (质检): the month's sample, and the form scoring a case item by item.

Supervisors draw the sample and score; an agent opens the same window to read the reviews of their
own cases (every field read-only).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import BEIJING
from desktop.domain.quality import SAMPLE_REASONS, ChecklistItem
from desktop.domain.validation import FieldError
from desktop.formatting import fmt_number
from desktop.i18n import _
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.services.quality import QaReviewRecord
from desktop.ui.supervisor.numbered_list import NumberedList

_ERROR_STYLE = "color: #b00020;"


class QualityReviewDialog(QDialog):
    scored = Signal(str, float)  # number, score

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quality_dialog")
        self.setModal(False)
        self.services = services
        self.editable = services.actor.is_supervisor
        self.checklist: list[ChecklistItem] = services.quality.checklist()
        self.review: QaReviewRecord | None = None
        self._build()
        self.setWindowTitle(_("Quality review") if self.editable else _("My quality reviews"))
        self.resize(1100, 720)
        self.reload()

    def _build(self) -> None:
        self.month = QLineEdit(datetime.now(BEIJING).strftime("%Y-%m"), self)
        self.month.setObjectName("qa_month")
        self.month.setMaximumWidth(100)
        self.month.editingFinished.connect(self.reload)
        self.percent = QDoubleSpinBox(self)
        self.percent.setObjectName("qa_percent")
        self.percent.setRange(0.5, 100)
        self.percent.setValue(5)
        self.percent.setSuffix(" %")
        self.sample_button = QPushButton(_("&Draw sample"), self)
        self.sample_button.setObjectName("qa_draw")
        self.sample_button.clicked.connect(self.draw_sample)
        top = QHBoxLayout()
        month_label = QLabel(_("&Month:"), self)
        month_label.setBuddy(self.month)
        top.addWidget(month_label)
        top.addWidget(self.month)
        if self.editable:
            top.addWidget(QLabel(_("Share of each agent's closed cases:"), self))
            top.addWidget(self.percent)
            top.addWidget(self.sample_button)
        else:
            self.percent.hide()
            self.sample_button.hide()
        top.addStretch(1)

        self.reviews = NumberedList("qa_reviews", self)
        self.reviews.on_current(self._show)
        form_box = QGroupBox(self)
        self.form_box = form_box
        form = QFormLayout(form_box)
        self.points: dict[str, QSpinBox] = {}
        self.item_comments: dict[str, QLineEdit] = {}
        for item in self.checklist:
            spin = QSpinBox(form_box)
            spin.setObjectName(f"qa_points_{item.key}")
            spin.setRange(0, item.weight)
            spin.setSuffix(" / " + str(item.weight))
            spin.valueChanged.connect(self._update_total)
            note = QLineEdit(form_box)
            note.setObjectName(f"qa_comment_{item.key}")
            note.setPlaceholderText(_("Comment on this item"))
            line = QHBoxLayout()
            line.addWidget(spin)
            line.addWidget(note, 1)
            form.addRow(_("{label}:").format(label=item.display_label), line)
            self.points[item.key], self.item_comments[item.key] = spin, note
        self.comment = QLineEdit(form_box)
        self.comment.setObjectName("qa_comment")
        form.addRow(_("Overall comment:"), self.comment)
        self.total = QLabel(form_box)
        self.total.setObjectName("qa_total")
        form.addRow(_("Score:"), self.total)
        self.save_button = QPushButton(_("&Save score"), form_box)
        self.save_button.setObjectName("qa_save")
        self.save_button.clicked.connect(self.save)
        form.addRow("", self.save_button)
        for widget in (*self.points.values(), *self.item_comments.values(), self.comment, self.save_button):
            widget.setEnabled(self.editable)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.reviews)
        split.addWidget(form_box)
        split.setSizes([340, 760])
        self.message = QLabel(self)
        self.message.setObjectName("qa_message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close window"))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    # -- list ------------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        try:
            found = self.services.quality.reviews(self.services.actor, self.month.text().strip() or None)
        except FieldError as error:
            self._fail(error.message)
            return
        rows = []
        for review in found:
            score = "—" if review.score is None else fmt_number(round(review.score, 1))
            rows.append((review.number, f"{review.number}  {score}\n{review.agent_name or ''} · "
                                        f"{_(SAMPLE_REASONS.get(review.reason, review.reason))}"))
        current = self.reviews.fill(rows, select)
        if current is not None:
            self._show(current)
        else:
            self.review = None
            self.form_box.setTitle(_("No case sampled for this month yet."))
            self.save_button.setEnabled(False)

    def numbers(self) -> list[str]:
        return self.reviews.numbers()

    def _show(self, number: str) -> None:
        review = next((r for r in self.services.quality.reviews(self.services.actor) if r.number == number), None)
        self.review = review
        if review is None:
            return
        reviewer = review.reviewer_name or _("not yet scored")
        self.form_box.setTitle(_("{number} — handled by {agent}; reviewer: {reviewer}").format(
            number=review.number, agent=review.agent_name or "—", reviewer=reviewer))
        for key, spin in self.points.items():
            entry = review.items.get(key, {})
            spin.setValue(int(entry.get("points", spin.maximum() if review.score is None else 0)))
            self.item_comments[key].setText(str(entry.get("comment") or ""))
        self.comment.setText(review.comment or "")
        self.save_button.setEnabled(self.editable)
        self._update_total()

    def _update_total(self) -> None:
        weights = sum(item.weight for item in self.checklist)
        earned = sum(spin.value() for spin in self.points.values())
        self.total.setText(fmt_number(round(100 * earned / weights, 1)) if weights else "—")

    # -- actions ---------------------------------------------------------------------------------
    def draw_sample(self) -> list[str]:
        try:
            numbers = self.services.quality.draw_sample(self.services.actor, self.month.text(), self.percent.value())
        except FieldError as error:
            self._fail(error.message)
            return []
        except ServiceError as error:
            self._fail(str(error))
            return []
        self._info(_("{count} case(s) sampled for {month}.").format(count=len(numbers), month=self.month.text()))
        self.reload()
        return numbers

    def save(self) -> bool:
        review = self.review
        if review is None:
            return False
        try:
            saved = self.services.quality.score(
                self.services.actor, review.number, {k: s.value() for k, s in self.points.items()},
                item_comments={k: e.text() for k, e in self.item_comments.items()}, comment=self.comment.text(),
                expected_version=review.version)
        except FieldError as error:
            self._fail(error.message)
            return False
        except ServiceError as error:
            self._fail(str(error))
            return False
        assert saved.score is not None
        self._info(_("{number}: quality score {score}").format(number=saved.number,
                                                                score=fmt_number(round(saved.score, 1))))
        self.scored.emit(saved.number, saved.score)
        self.reload(select=saved.number)
        return True

    def _fail(self, text: str) -> None:
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setText(text)

    def _info(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
