"""File › Open review bundle / Import review decisions: the desk's side of offline review."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from desktop.bundle.file import BundleError, OpenBundle, read_bundle
from desktop.i18n import _
from desktop.services.bundles import BundleService, Conflict, ImportResult, describe_decision
from desktop.services.errors import ServiceError
from desktop.ui.review.window import ReviewWindow

PASSPHRASE_ENV = "COMPLAINT_DESK_BUNDLE_PASSPHRASE"


def choose_bundle(parent: QWidget | None) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Open a review bundle"), "",
                                                _("Review bundles (*.cdbundle)"))
    return Path(name) if name else None


def ask_passphrase(parent: QWidget | None, path: Path) -> str | None:
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    text, ok = QInputDialog.getText(parent, _("Review bundle passphrase"),
                                    _("Passphrase of {name}:").format(name=path.name), QLineEdit.EchoMode.Password)
    return text if ok and text else None


def unlock(parent: QWidget | None, path: Path | None, passphrase: str | None = None) -> OpenBundle | None:
    """Check and decrypt a bundle, telling the user in one message why it cannot be opened."""
    from desktop.letters.keys import site_trust_roots

    path = path or choose_bundle(parent)
    if path is None:
        return None
    try:
        sealed = read_bundle(path, site_trust_roots())
        passphrase = passphrase or ask_passphrase(parent, path)
        if passphrase is None:
            return None
        return sealed.open(passphrase)
    except BundleError as error:
        QMessageBox.warning(parent, _("Review bundle"), str(error))
        return None


def open_review_window(parent: QWidget | None, reviewer: str, path: Path | None = None,
                       passphrase: str | None = None) -> ReviewWindow | None:
    bundle = unlock(parent, path, passphrase)
    if bundle is None:
        return None
    window = ReviewWindow(bundle, reviewer)
    window.show()
    return window


class ConflictDialog:
    """One dialog per conflict: apply the offline decision anyway, or keep the central version."""

    @staticmethod
    def ask(parent: QWidget | None, conflict: Conflict) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_("Conflict on {number}").format(number=conflict.decision.number))
        box.setText(_("Complaint {number} changed after the bundle was exported (version {exported} then, "
                      "{current} now).").format(number=conflict.decision.number, exported=conflict.decision.version,
                                                current=conflict.current.version))
        box.setInformativeText(
            _("Central: {changes}").format(changes="; ".join(conflict.changes_since) or "—") + "\n"
            + _("Review: {decision}").format(decision=describe_decision(conflict.decision)))
        apply_button = box.addButton(_("Apply my decision anyway"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(_("Keep the central version"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is apply_button


def import_decisions(parent: QWidget | None, services: object, path: Path | None = None,
                     passphrase: str | None = None) -> ImportResult | None:
    """Apply a bundle's decisions through the usual service operations; returns what happened."""
    from desktop.services.app import AppServices

    assert isinstance(services, AppServices)
    bundle = unlock(parent, path, passphrase)
    if bundle is None:
        return None
    bundles = BundleService(services.sessions, services.complaints, services.actor)
    try:
        result = bundles.apply(services.actor, bundle, lambda conflict: ConflictDialog.ask(parent, conflict))
    except (ServiceError, BundleError) as error:
        QMessageBox.warning(parent, _("Import review decisions"), str(error))
        return None
    if result.already_applied:
        QMessageBox.information(parent, _("Import review decisions"),
                                _("This review bundle was already applied; nothing changed."))
        return result
    lines = [_("Applied {applied} decisions, {forced} applied anyway, {conflicts} conflicts, "
               "{failed} refused.").format(applied=len(result.applied), forced=len(result.forced),
                                           conflicts=len(result.conflicts), failed=len(result.failed))]
    lines += [_("Refused on {number}: {message}").format(number=d.number, message=m) for d, m in result.failed]
    if result.conflicts:
        lines.append(_("Conflicting decisions were not applied and are kept on each case's history."))
    QMessageBox.information(parent, _("Import review decisions"), "\n".join(lines))
    return result
