"""Per-PC settings: language (applied at once), database address (next start), reminders, autosave."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, current_language, set_language
from desktop.settings import Settings
from desktop.store.db import DatabaseUrlError, resolve_url

# Language names are shown in their own language, so anyone can find theirs.
LANGUAGES = (("zh_CN", "中文（简体）"), ("en", "English"))


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self._settings = settings
        self.language = QComboBox(self)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.database = QLineEdit(str(settings.get("database_url")), self)
        self.autosave = QSpinBox(self)
        self.autosave.setRange(1, 300)
        self.autosave.setValue(int(settings.get("autosave_seconds")))
        self.tray = QCheckBox(self)
        self.tray.setChecked(bool(settings.get("tray_notifications")))
        self.error = QLabel(self)
        self.error.setObjectName("settings_error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._form = QFormLayout()
        self._labels = [QLabel(self) for _ in range(4)]
        for label, field in zip(self._labels, (self.language, self.database, self.autosave, self.tray),
                                strict=True):
            label.setBuddy(field)
            self._form.addRow(label, field)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings"))
        texts = (_("&Language:"), _("&Database address:"), _("&Autosave drafts every:"),
                 _("&Reminders:"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.language.setAccessibleName(_("Language"))
        self.database.setAccessibleName(_("Database address"))
        self.database.setPlaceholderText(_("empty: the local database of this PC"))
        self.autosave.setSuffix(_(" s"))
        self.autosave.setAccessibleName(_("Autosave interval in seconds"))
        self.tray.setText(_("Notify me when my cases fall due"))
        self.note.setText(_("A changed database address is used from the next start."))

    def accept(self) -> None:
        url = self.database.text().strip()
        if url:
            try:
                resolve_url(url)
            except DatabaseUrlError as error:
                self.error.setText(str(error))
                self.error.show()
                self.database.setFocus()
                return
        language = str(self.language.currentData())
        self._settings.set("language", language)
        self._settings.set("database_url", url)
        self._settings.set("autosave_seconds", self.autosave.value())
        self._settings.set("tray_notifications", self.tray.isChecked())
        self._settings.save()
        if language != current_language():
            set_language(language)  # listeners re-translate every open window at once
        super().accept()
