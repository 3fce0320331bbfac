"""Earlier complaints about the same number, with one action to link them to the new one.

Linking needs the new complaint's number, so the choice is remembered here and carried out by
the form right after saving.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import category_label, status_label
from desktop.domain.deadlines import BEIJING
from desktop.formatting import fmt_date
from desktop.i18n import _, ngettext
from desktop.services.records import ComplaintSummary


class RepeatPanel(QGroupBox):
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.link_all = QPushButton(self)
        self.link_all.clicked.connect(self.choose_all)
        self.chosen_label = QLabel(self)
        self.chosen_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.link_all)
        layout.addWidget(self.chosen_label)
        self.list.itemChanged.connect(self._on_item_changed)
        self.phone: str | None = None
        self.earlier: list[ComplaintSummary] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Earlier complaints from this number"))
        self.link_all.setText(_("&Link all to the new complaint"))
        self.list.setAccessibleName(_("Earlier complaints from this number"))
        self.show_earlier(self.phone, self.earlier)

    def show_earlier(self, phone: str | None, earlier: list[ComplaintSummary]) -> None:
        keep = set(self.chosen_numbers()) if phone == self.phone else set()
        self.phone, self.earlier = phone, list(earlier)
        self.list.blockSignals(True)
        self.list.clear()
        for summary in self.earlier:
            item = QListWidgetItem(self._describe(summary))
            item.setData(Qt.ItemDataRole.UserRole, summary.number)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if summary.number in keep
                               else Qt.CheckState.Unchecked)
            item.setToolTip(summary.description)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if phone is None:
            self.summary.setText(_("Enter a valid number under complaint to check for repeats."))
        elif not self.earlier:
            self.summary.setText(_("No earlier complaints from {phone}.").format(phone=phone))
        else:
            count = len(self.earlier)
            self.summary.setText(ngettext(
                "⚠ Repeat: {count} earlier complaint from {phone}.",
                "⚠ Repeat: {count} earlier complaints from {phone}.", count,
            ).format(count=count, phone=phone))
        self.link_all.setEnabled(bool(self.earlier))
        self.list.setVisible(bool(self.earlier))
        self._update_chosen()

    @staticmethod
    def _describe(summary: ComplaintSummary) -> str:
        return _("{number} · {date} · {category} · {status}").format(
            number=summary.number, date=fmt_date(summary.received_at.astimezone(BEIJING).date()),
            category=category_label(summary.category), status=status_label(summary.status))

    def choose_all(self) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(Qt.CheckState.Checked)

    def chosen_numbers(self) -> list[str]:
        return [str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
                for row in range(self.list.count())
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def set_chosen(self, numbers: list[str]) -> None:
        wanted = set(numbers)
        for row in range(self.list.count()):
            item = self.list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_item_changed(self) -> None:
        self._update_chosen()
        self.selection_changed.emit()

    def _update_chosen(self) -> None:
        count = len(self.chosen_numbers())
        self.chosen_label.setText(ngettext(
            "{count} complaint will be linked after saving.",
            "{count} complaints will be linked after saving.", count).format(count=count)
            if count else "")
