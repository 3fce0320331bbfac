"""A supervisor imports a newer statute pack: validated first, what changed shown, then confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.work_limit import WorkTimeoutError
from desktop.i18n import _
from desktop.law import LawPack, PackDiff, PackValidationError, diff_packs, import_pack, load_pack
from desktop.services.errors import ServiceError
from desktop.services.law_packs import import_site_pack

if TYPE_CHECKING:
    from desktop.services.app import AppServices


def describe_diff(diff: PackDiff) -> str:
    """The change list a supervisor reads before accepting a pack (one line per item)."""
    lines = [_("Pack {old} → {new}").format(old=diff.old_version, new=diff.new_version)]
    sections = (
        (_("Statutes added"), diff.added_statutes),
        (_("Statutes removed"), diff.removed_statutes),
        (_("Statute details changed"), diff.changed_metadata),
        (_("Articles added"), [f"{c.statute_key} {c.article}" for c in diff.added]),
        (_("Articles removed"), [f"{c.statute_key} {c.article}" for c in diff.removed]),
        (_("Article text changed"), [f"{c.statute_key} {c.article}" for c in diff.changed]),
    )
    for title, items in sections:
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  • {item}" for item in items)
    if diff.is_empty:
        lines.append(_("No article or statute differs from the installed pack."))
    lines.append("")
    lines.append(_("Citations already on complaints keep the text and version they were cited with."))
    return "\n".join(lines)


class PackImportDialog(QDialog):
    def __init__(self, diff: PackDiff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Import a law pack"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Check what the new pack changes before importing it.")))
        self.changes = QPlainTextEdit(describe_diff(diff))
        self.changes.setReadOnly(True)
        self.changes.setAccessibleName(_("Changes in the new pack"))
        layout.addWidget(self.changes, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)

    @classmethod
    def ask(cls, parent: QWidget | None, diff: PackDiff) -> bool:
        return cls(diff, parent).exec() == QDialog.DialogCode.Accepted


def choose_pack_folder(parent: QWidget | None) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, _("Choose the folder of the new law pack"))
    return Path(folder) if folder else None


def import_law_pack(parent: QWidget | None, current: LawPack, folder: Path | None,
                    services: AppServices | None = None) -> LawPack | None:
    """Verify ``folder`` (signature, files, content), show the changes, import on confirmation.

    With ``services`` the import is the audited, admin-only service operation; returns the new pack or None.
    """
    if folder is None:
        return None
    try:
        candidate = load_pack(folder)
    except PackValidationError as error:
        QMessageBox.warning(parent, _("Import a law pack"), _("The law pack is invalid: {problems}").format(
            problems="\n".join(error.problems)))
        return None
    except WorkTimeoutError as error:  # a pack built to be slow to read
        QMessageBox.warning(parent, _("Import a law pack"), str(error))
        return None
    if not PackImportDialog.ask(parent, diff_packs(current, candidate)):
        return None
    try:
        if services is not None:
            new_pack, _diff = import_site_pack(services.keys, services.actor, folder, current)
        else:
            new_pack, _diff = import_pack(folder, current)
    except ServiceError as error:
        QMessageBox.warning(parent, _("Import a law pack"), str(error))
        return None
    except WorkTimeoutError as error:
        QMessageBox.warning(parent, _("Import a law pack"), str(error))
        return None
    except (PackValidationError, OSError) as error:
        problems = "\n".join(error.problems) if isinstance(error, PackValidationError) else str(error)
        QMessageBox.warning(parent, _("Import a law pack"), _("The law pack is invalid: {problems}").format(
            problems=problems))
        return None
    return new_pack
