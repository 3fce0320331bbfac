"""The strip at the top of the intake form that offers back input kept after a crash."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.formatting import fmt_datetime
from desktop.i18n import _, ngettext
from desktop.services.drafts import Draft


class DraftBanner(QFrame):
    restore_requested = Signal(object)
    discard_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBanner")
        self.setStyleSheet("#draftBanner { background: #fff4ce; border: 1px solid #e0c060; }")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.restore = QPushButton(self)
        self.discard = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.restore)
        layout.addWidget(self.discard)
        self.restore.clicked.connect(lambda: self.restore_requested.emit(self.draft))
        self.discard.clicked.connect(lambda: self.discard_requested.emit(self.draft))
        self.draft: Draft | None = None
        self.others = 0
        self.hide()

    def retranslate(self) -> None:
        self.restore.setText(_("&Restore draft"))
        self.discard.setText(_("Discard draft"))
        self.offer(self.draft, self.others)

    def offer(self, draft: Draft | None, others: int = 0) -> None:
        self.draft, self.others = draft, others
        if draft is None:
            self.hide()
            return
        self.restore.setText(_("&Restore draft"))
        self.discard.setText(_("Discard draft"))
        who = draft.fields.get("customer_name") or _("no name yet")
        phone = draft.fields.get("phone") or _("no number yet")
        text = _("An unsaved complaint from {time} was kept ({name}, {phone}). "
                 "Restore it?").format(time=fmt_datetime(draft.saved_at), name=who, phone=phone)
        if others:
            text += " " + ngettext("{count} more draft is waiting.",
                                   "{count} more drafts are waiting.", others).format(count=others)
        self.message.setText("⚠ " + text)
        self.show()
