"""File › Site settings…: what every seat of the site shares (names on letters, deadline periods).

The values live in the database (``services.site``), so a change reaches every seat. Only
admins may save (``site.edit``); supervisors and agents see the same form read-only so they know
which periods and policies apply.
A site may shorten a statutory period but never lengthen it: ``build_rules`` decides, and its
message is shown beside the spin box it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.deadlines import DEFAULT_RULES, DeadlineRule, RuleConfigError, build_rules
from desktop.domain.deadlines.rules import unit_name
from desktop.i18n import N_, _, ngettext
from desktop.services.app import AppServices
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.errors import ServiceError
from desktop.services.permissions import allowed, role_label
from desktop.services.site import IDLE_LOCK_RANGE
from desktop.ui.recompute_dialog import RecomputeDialog
from desktop.ui.supervisor.site_policy import SupervisionSettingsBox

TEXT_KEYS = ("operator_name", "site_name", "site_address", "contact_phone")
TEXT_LABELS = {
    "operator_name": N_("&Operator name:"),
    "site_name": N_("Site &name:"),
    "site_address": N_("Site &address:"),
    "contact_phone": N_("&Contact phone on letters:"),
}
OPTIONAL_KEYS = frozenset({"site_address", "contact_phone"})
TEXT_MAX_LENGTH = 200
# Wide enough to type a too-long period and be told why it is refused, rather than the box
# silently stopping at the legal limit.
SPIN_MAX = 999
_ERROR_STYLE = "color: #b00020;"
_MNEMONIC = re.compile(r"\(&\w\)|&(?=\w)")


class SiteSettingsDialog(QDialog):
    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("site_settings_dialog")
        self.setWindowTitle(_("Site settings"))
        self.services = services
        self.editable = allowed(services.actor.role, "site.edit")
        self.report = ""  # what the last successful save did, for the caller's status bar
        self.texts: dict[str, QLineEdit] = {}
        self.spins: dict[str, QSpinBox] = {}
        self.errors: dict[str, QLabel] = {}
        self._stored_rules: dict[str, int] = {}
        layout = QVBoxLayout(self)
        self.note = QLabel(_("These settings are shared by every seat of the site. Only an administrator can "
                             "change them; you are signed in as {role}, so they are shown read-only.").format(
                                 role=role_label(services.actor.role)), self)
        self.note.setObjectName("site_settings_readonly_note")
        self.note.setWordWrap(True)
        self.note.setVisible(not self.editable)
        layout.addWidget(self.note)
        layout.addWidget(self._build_texts())
        layout.addWidget(self._build_rules())
        layout.addWidget(self._build_idle_lock())
        self.supervision = SupervisionSettingsBox(self.editable, self)  # desktop/ui/supervisor/site_policy.py
        layout.addWidget(self.supervision)
        self.error = self._error_label("site_settings_error")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(_("&Save"), self)
        self.save_button.setObjectName("site_settings_save")
        self.save_button.setEnabled(self.editable)
        self.save_button.setDefault(self.editable)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel if self.editable
                               else QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.load()

    # -- building -----------------------------------------------------------------------------
    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(_ERROR_STYLE)
        label.hide()
        return label

    def _build_texts(self) -> QGroupBox:
        box = QGroupBox(_("Printed on outcome letters"), self)
        form = QFormLayout(box)
        for key in TEXT_KEYS:
            field = QLineEdit(box)
            field.setObjectName(f"site_{key}")
            field.setMaxLength(TEXT_MAX_LENGTH)
            field.setReadOnly(not self.editable)
            field.setMinimumWidth(360)
            label = QLabel(_(TEXT_LABELS[key]), box)
            label.setBuddy(field)
            field.setAccessibleName(_plain(label.text()))
            form.addRow(label, field)
            self.errors[key] = self._error_label(f"site_{key}_error")
            form.addRow("", self.errors[key])
            self.texts[key] = field
        self.texts["site_address"].setPlaceholderText(_("optional"))
        return box

    def _build_rules(self) -> QGroupBox:
        box = QGroupBox(_("Deadline periods"), self)
        grid = QGridLayout(box)
        intro = QLabel(_("A site may shorten a statutory period but never lengthen it. Open complaints "
                         "get their deadlines recomputed when a period changes."), box)
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 3)
        for position, rule in enumerate(DEFAULT_RULES.values()):
            row = 1 + 2 * position
            spin = QSpinBox(box)
            spin.setObjectName(f"rule_{rule.code}")
            spin.setRange(1, SPIN_MAX)
            spin.setSuffix(_(" {unit}").format(unit=unit_name(rule.kind)))
            spin.setReadOnly(not self.editable)
            if not self.editable:
                spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
            label = QLabel(_("{rule}:").format(rule=_(rule.label)), box)
            label.setBuddy(spin)
            spin.setAccessibleName(_(rule.label))
            hint = QLabel(_limits_text(rule), box)
            hint.setObjectName(f"rule_{rule.code}_limits")
            hint.setToolTip(_basis_text(rule))
            spin.setToolTip(_basis_text(rule))
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(hint, row, 2)
            self.errors[rule.code] = self._error_label(f"rule_{rule.code}_error")
            grid.addWidget(self.errors[rule.code], row + 1, 0, 1, 3)
            self.spins[rule.code] = spin
        grid.setColumnStretch(2, 1)
        return box

    def _build_idle_lock(self) -> QGroupBox:
        box = QGroupBox(_("Idle lock"), self)
        form = QFormLayout(box)
        self.idle_spin = QSpinBox(box)
        self.idle_spin.setObjectName("site_idle_lock_minutes")
        self.idle_spin.setRange(*IDLE_LOCK_RANGE)
        self.idle_spin.setSuffix(_(" min"))
        self.idle_spin.setReadOnly(not self.editable)
        label = QLabel(_("&Lock the desk after:"), box)
        label.setBuddy(self.idle_spin)
        self.idle_spin.setAccessibleName(_plain(label.text()))
        hint = QLabel(_("without keyboard or mouse input; signing in again restores unsaved work."), box)
        hint.setWordWrap(True)
        form.addRow(label, self.idle_spin)
        form.addRow("", hint)
        return box

    # -- values -------------------------------------------------------------------------------
    def load(self) -> None:
        site = self.services.site
        for key, field in self.texts.items():
            field.setText(str(site.get(key) or ""))
        stored = site.get("deadline_rules")
        self._stored_rules = dict(stored) if isinstance(stored, Mapping) else {}
        for code, spin in self.spins.items():
            spin.setValue(_usable_amount(code, self._stored_rules.get(code)))
        self.idle_spin.setValue(int(site.get("idle_lock_minutes")))
        self.supervision.load(site)

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {key: field.text().strip() for key, field in self.texts.items()}
        # Only periods that differ from the bundled default are stored, so a later correction of a
        # default reaches every site that never chose its own period.
        result["deadline_rules"] = {code: spin.value() for code, spin in self.spins.items()
                                    if spin.value() != DEFAULT_RULES[code].amount}
        result["idle_lock_minutes"] = self.idle_spin.value()
        return result

    def validate(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Every problem at once, keyed by the field it belongs to; messages in the user's language."""
        problems: dict[str, str] = {}
        for key in TEXT_KEYS:
            if not values[key] and key not in OPTIONAL_KEYS:
                problems[key] = _("{field} cannot be empty.").format(field=_plain(_(TEXT_LABELS[key])))
        for code, amount in values["deadline_rules"].items():
            try:
                build_rules({code: amount})  # one at a time, so each message lands beside its box
            except RuleConfigError as error:
                problems[code] = str(error)
        return problems

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate, store what changed, and re-run the deadline clock when a period changed."""
        if not self.editable:
            return False
        values = self.values()
        problems = self.validate(values)
        self._show_problems(problems)
        if problems:
            return False
        site, actor = self.services.site, self.services.actor
        try:
            changes = {key: values[key] for key in TEXT_KEYS if values[key] != str(site.get(key) or "")}
            rules_changed = values["deadline_rules"] != self._stored_rules
            if values["idle_lock_minutes"] != site.get("idle_lock_minutes"):
                changes["idle_lock_minutes"] = values["idle_lock_minutes"]
            changes.update(self.supervision.changes(site))
            if rules_changed:
                changes["deadline_rules"] = values["deadline_rules"]
            site.set_many(actor, changes)
            if rules_changed:
                self.services.reload_clock()
        except (ServiceError, RuleConfigError) as error:
            self._show_general(str(error))
            return False
        recomputed = 0
        if rules_changed:  # on a worker, with a progress bar: tens of seconds at a million cases
            self._stored_rules = values["deadline_rules"]  # saved: a second Save need not recompute
            moved = RecomputeDialog(self.services.complaints, actor, RULES_CHANGED_NOTE, self).run()
            if moved is None:
                self._show_general(_("The settings were saved, but not every deadline was recomputed; "
                                     "run “complaint-desk calendar recompute” to finish."))
                return False
            recomputed = moved
        self.report = _("Site settings saved.")
        if rules_changed:
            self.report = ngettext("Site settings saved; the deadline of {count} open complaint was recomputed.",
                                   "Site settings saved; the deadlines of {count} open complaints were recomputed.",
                                   recomputed).format(count=recomputed)
        self.accept()
        return True

    def _show_problems(self, problems: Mapping[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
        first = next((key for key in (*TEXT_KEYS, *self.spins) if key in problems), None)
        if first is not None:
            (self.texts.get(first) or self.spins[first]).setFocus(Qt.FocusReason.OtherFocusReason)
            self._show_general(_("Nothing was saved: correct the marked fields."))
        else:
            self.error.hide()

    def _show_general(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    @classmethod
    def ask(cls, services: AppServices, parent: QWidget | None = None) -> bool:
        """Show the dialog; True when an admin saved. The outcome goes to the window's status bar."""
        dialog = cls(services, parent)
        saved = dialog.exec() == QDialog.DialogCode.Accepted and bool(dialog.report)
        if saved and isinstance(parent, QMainWindow):
            parent.statusBar().showMessage(dialog.report, 15000)
        return saved


def _plain(label: str) -> str:
    """A form label as a field name: without its mnemonic ("&N" or Chinese "(&N)") and colon."""
    return _MNEMONIC.sub("", label).rstrip(":：")


def _usable_amount(code: str, stored: object) -> int:
    """The stored period, or the default where the stored one is no longer allowed."""
    if isinstance(stored, int) and not isinstance(stored, bool):
        try:
            return build_rules({code: stored})[code].amount
        except RuleConfigError:
            pass
    return DEFAULT_RULES[code].amount


def _limits_text(rule: DeadlineRule) -> str:
    unit = unit_name(rule.kind)
    if rule.legal_max is None:
        return _("default {default} {unit}; no legal maximum recorded").format(
            default=rule.amount, unit=unit)
    return _("default {default} {unit}; legal maximum {limit} {unit}").format(
        default=rule.amount, limit=rule.legal_max, unit=unit)


def _basis_text(rule: DeadlineRule) -> str:
    if not rule.basis:
        return _("No legal basis is recorded for this rule.")
    return "\n".join(basis.citation for basis in rule.basis)
