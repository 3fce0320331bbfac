"""File › Signing certificates…: who signs letters on this computer, and with which certificate.

Everything runs offline on the user's profile, through ``services.keys`` (audited). Agents import
their own .p12 (only if it chains to a CA the site trusts); administrators trust CAs, create the
site CA (replacing the demo one the first signing made) and issue agent certificates. Every
question is a small ``ask`` classmethod so tests can answer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.letters.keys import (
    SigningIdentity,
    find_identity,
    is_demo_certificate,
    list_identities,
    site_ca_certificate,
    site_trust_roots,
)
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.services.permissions import allowed, require
from desktop.ui.case.passphrase import PassphraseDialog

AnyIndex = QModelIndex | QPersistentModelIndex
DEMO_WARNING = N_("Demo certificate, not legally valid: replace it with your organisation's certificate.")
_DEMO_ROW = QColor("#fff4e5")
_RED, _GREEN = "#b00020", "#1e7b34"


@dataclass(frozen=True)
class IdentityRow:
    identity: SigningIdentity
    expires: date


class IdentityTableModel(QAbstractTableModel):
    """The profile's signing identities; demo ones are tinted and say so."""

    HEADERS = (N_("Holder"), N_("Kind"), N_("Issued by"), N_("Expires"), N_("Fingerprint"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[IdentityRow] = []

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = [IdentityRow(i, i.certificate().not_valid_after_utc.date()) for i in list_identities()]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        identity = row.identity
        if role == Qt.ItemDataRole.DisplayRole:
            values = (identity.agent_name, _("Demo") if identity.is_demo else _("Site certificate"),
                      identity.issuer, row.expires.isoformat(), identity.fingerprint[:16])
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{identity.subject}\n{identity.path}\nSHA-256 {identity.fingerprint}"
        if role == Qt.ItemDataRole.BackgroundRole and identity.is_demo:
            return QBrush(_DEMO_ROW)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None


class KeyFileDialog:
    """Choosing a .p12 to import or a CA certificate to trust."""

    @classmethod
    def ask(cls, parent: QWidget | None, kind: Literal["pkcs12", "ca"]) -> Path | None:
        if kind == "pkcs12":
            title, pattern = _("Import a signing certificate"), _("PKCS#12 files (*.p12 *.pfx)")
        else:
            title, pattern = _("Trust a CA certificate"), _("Certificates (*.pem *.crt *.cer *.der)")
        name, _filter = QFileDialog.getOpenFileName(parent, title, "", pattern)
        return Path(name) if name else None


class KeyPassphraseDialog(PassphraseDialog):
    """The signing passphrase dialog, worded for a key file; ``confirm`` asks for a new one twice."""

    def __init__(self, title: str, text: str, *, confirm: bool, parent: QWidget | None = None) -> None:
        super().__init__("", first_time=confirm, parent=parent)
        self.setWindowTitle(title)
        self.explanation.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("OK"))

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, *,  # type: ignore[override]
            confirm: bool) -> bytes | None:
        dialog = cls(title, text, confirm=confirm, parent=parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class KeyNameDialog:
    """A site or agent name, with suggestions (the store's users) but free text allowed."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str, suggestions: list[str]) -> str | None:
        text, ok = QInputDialog.getItem(parent, title, label, suggestions, 0, True)
        return text.strip() or None if ok else None


class SigningKeysDialog(QDialog):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = services.actor
        self.agent_name = self.actor.display_name or self.actor.login
        self.setWindowTitle(_("Signing certificates"))
        self.intro = QLabel(_("Outcome letters are signed with the acting agent's certificate. "
                              "Keys stay on this computer, protected by their passphrase."), self)
        self.intro.setWordWrap(True)
        self.demo_warning = QLabel(self)
        self.demo_warning.setObjectName("demo_warning")
        self.demo_warning.setWordWrap(True)
        self.demo_warning.setStyleSheet(f"QLabel {{ background: #fdecea; color: {_RED}; padding: 8px;"
                                        " border-radius: 4px; font-weight: bold; }")
        self.agent_line = QLabel(self)
        self.agent_line.setWordWrap(True)
        self.model = IdentityTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.site_line = QLabel(self)
        self.site_line.setWordWrap(True)
        self.trust_line = QLabel(self)
        self.trust_line.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self._build_buttons()
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.demo_warning, self.agent_line, self.table, self.site_line,
                       self.trust_line, self.message):
            layout.addWidget(widget)
        layout.addLayout(self.button_row)
        layout.addWidget(self.close_box)
        self.refresh()
        self.resize(760, 460)

    def _build_buttons(self) -> None:
        self.import_button = QPushButton(_("&Import a certificate (.p12)…"), self)
        self.trust_button = QPushButton(_("&Trust a CA certificate…"), self)
        self.create_ca_button = QPushButton(_("&Create the site CA…"), self)
        self.issue_button = QPushButton(_("Issue a certificate for an &agent…"), self)
        self.import_button.clicked.connect(self.import_certificate)
        self.trust_button.clicked.connect(self.trust_ca)
        self.create_ca_button.clicked.connect(self.create_ca)
        self.issue_button.clicked.connect(self.issue_certificate)
        self.button_row = QHBoxLayout()
        for button in (self.import_button, self.trust_button, self.create_ca_button, self.issue_button):
            self.button_row.addWidget(button)
        self.button_row.addStretch(1)
        manager = allowed(self.actor.role, "keys.manage")  # administrators
        self.trust_button.setVisible(manager)
        self.create_ca_button.setVisible(manager)
        self.issue_button.setVisible(manager)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.button(QDialogButtonBox.StandardButton.Close).setText(_("Close window"))
        self.close_box.rejected.connect(self.reject)

    # -- state ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.reload()
        own = find_identity(self.agent_name)
        self.demo_warning.setText(_(DEMO_WARNING))
        self.demo_warning.setVisible(own is not None and own.is_demo)
        if own is None:
            self.agent_line.setText(_("{name} has no signing certificate yet; the first signing creates a "
                                      "demo one unless the site has its own CA.").format(name=self.agent_name))
        else:
            self.agent_line.setText(_("{name} signs with the certificate issued by {issuer}.").format(
                name=self.agent_name, issuer=own.issuer))
        ca = site_ca_certificate()
        demo_ca = ca is not None and is_demo_certificate(ca)
        if ca is None:
            self.site_line.setText(_("Site CA: none yet."))
        else:
            text = _("Site CA: {subject} (expires {expires}).").format(
                subject=_common_name(ca), expires=ca.not_valid_after_utc.date().isoformat())
            self.site_line.setText(text + (" " + _("Demo CA.") if demo_ca else ""))
            self.site_line.setToolTip(ca.subject.rfc4514_string())
        roots = site_trust_roots()
        self.trust_line.setText(_("Trusted CAs: {names}").format(
            names="; ".join(dict.fromkeys(_common_name(root) for root in roots)) or "—"))
        self.trust_line.setToolTip("\n".join(root.subject.rfc4514_string() for root in roots))
        # A real site CA is created once; only the demo one may be replaced from here.
        self.create_ca_button.setEnabled(ca is None or demo_ca)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet(f"QLabel {{ color: {_RED if problem else _GREEN}; }}")
        self.message.setText(text)

    # -- actions --------------------------------------------------------------------------
    def import_certificate(self) -> bool:
        path = KeyFileDialog.ask(self, "pkcs12")
        if path is None:
            return False
        passphrase = KeyPassphraseDialog.ask(
            self, _("Import a signing certificate"),
            _("Enter the passphrase of {file}.").format(file=path.name), confirm=False)
        if passphrase is None:
            return False
        try:
            identity = self.services.keys.import_pkcs12(self.actor, path, passphrase)
        except ServiceError as error:
            self._say(str(error), problem=True)
            return False
        self.refresh()
        self._say(_("Imported the certificate of {agent} (issued by {issuer}).").format(
            agent=identity.agent_name, issuer=identity.issuer))
        return True

    def trust_ca(self) -> bool:
        if not self._admin():
            return False
        path = KeyFileDialog.ask(self, "ca")
        if path is None:
            return False
        try:
            certificate = self.services.keys.trust_ca(self.actor, path)
        except ServiceError as error:
            self._say(str(error), problem=True)
            return False
        self.refresh()
        self._say(_("Letters signed under {subject} are now trusted.").format(
            subject=certificate.subject.rfc4514_string()))
        return True

    def create_ca(self) -> bool:
        if not self._admin():
            return False
        name = KeyNameDialog.ask(self, _("Create the site CA"), _("Site name (shown on every certificate):"),
                                 [str(self.services.site.get("site_name"))])
        if name is None:
            return False
        passphrase = KeyPassphraseDialog.ask(
            self, _("Create the site CA"),
            _("Choose the passphrase of the site CA. Keep it safe: it is needed to issue every agent "
              "certificate."), confirm=True)
        if passphrase is None:
            return False
        try:
            ca, retired = self.services.keys.create_site_ca(self.actor, name, passphrase)
        except ServiceError as error:
            self._say(str(error), problem=True)
            return False
        self.refresh()
        text = _("Created the site CA {name} in {path}.").format(name=ca.name, path=ca.directory)
        if retired is not None:
            text += " " + _("The demo identity was retired to {path}.").format(path=retired)
        self._say(text)
        return True

    def issue_certificate(self) -> bool:
        if not self._admin():
            return False
        if site_ca_certificate() is None:
            self._say(_("Create the site CA first."), problem=True)
            return False
        names = self.services.users.display_names(self.actor)
        agent = KeyNameDialog.ask(self, _("Issue a certificate"), _("Agent name (as on letters):"), names)
        if agent is None:
            return False
        ca_passphrase = KeyPassphraseDialog.ask(self, _("Issue a certificate"),
                                                _("Enter the passphrase of the site CA."), confirm=False)
        if ca_passphrase is None:
            return False
        key_passphrase = KeyPassphraseDialog.ask(
            self, _("Issue a certificate"),
            _("Choose the passphrase of {agent}'s new key; {agent} types it when signing.").format(agent=agent),
            confirm=True)
        if key_passphrase is None:
            return False
        try:
            identity = self.services.keys.issue(self.actor, agent, ca_passphrase, key_passphrase)
        except ServiceError as error:
            self._say(str(error), problem=True)
            return False
        self.refresh()
        self._say(_("Issued a certificate for {agent}: {path}").format(agent=identity.agent_name,
                                                                        path=identity.path))
        return True

    def _admin(self) -> bool:
        try:
            require(self.actor, "keys.manage")
        except ServiceError as error:
            self._say(str(error), problem=True)
            return False
        return True

    @classmethod
    def ask(cls, services: AppServices, parent: QWidget | None = None) -> None:
        cls(services, parent).exec()


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()
