"""The site settings' "Approval and assignment" group: the approval policy and auto-assignment.

Shown in File › Site settings… beside the letter names and deadline periods; read-only for agents.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QWidget

from desktop.domain.approval import ApprovalPolicy, PolicyError
from desktop.i18n import N_, _
from desktop.services.assignment import AUTO_ASSIGN_MODES
from desktop.services.site import SiteSettingsService

MODE_LABELS = {"off": N_("Off: whoever registers a complaint handles it"),
               "round_robin": N_("Round robin within the team"),
               "least_load": N_("The team's agent with the fewest open cases")}


class SupervisionSettingsBox(QGroupBox):
    def __init__(self, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(_("Approval and assignment"), parent)
        self.setObjectName("site_supervision")
        form = QFormLayout(self)
        self.amount_enabled = QCheckBox(_("Compensation above"), self)
        self.amount_enabled.setObjectName("policy_amount_enabled")
        self.amount = QDoubleSpinBox(self)
        self.amount.setObjectName("policy_amount")
        self.amount.setRange(0, 1_000_000)
        self.amount.setDecimals(2)
        self.amount.setSuffix(" " + _("yuan"))
        self.amount_enabled.toggled.connect(self.amount.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.amount_enabled)
        row.addWidget(self.amount, 1)
        form.addRow(_("Needs a supervisor's approval before the reply:"), row)
        self.flags: dict[str, QCheckBox] = {}
        for key, text in (("regulator", _("Cases transferred by the regulator")),
                          ("privacy", _("Personal-information complaints")),
                          ("invalid", _("Marking a complaint invalid"))):
            box = QCheckBox(text, self)
            box.setObjectName(f"policy_{key}")
            form.addRow("", box)
            self.flags[key] = box
        self.mode = QComboBox(self)
        self.mode.setObjectName("auto_assign")
        for mode in AUTO_ASSIGN_MODES:
            self.mode.addItem(_(MODE_LABELS[mode]), mode)
        form.addRow(_("New complaints go to:"), self.mode)
        for widget in (self.amount_enabled, self.amount, self.mode, *self.flags.values()):
            widget.setEnabled(editable)
        self._editable = editable

    def load(self, site: SiteSettingsService) -> None:
        try:
            policy = ApprovalPolicy.from_json(site.get("approval_policy"))
        except PolicyError:
            policy = ApprovalPolicy.from_json(None)
        self.amount_enabled.setChecked(policy.compensation_above is not None)
        self.amount.setValue(float(policy.compensation_above or Decimal("100")))
        self.amount.setEnabled(self._editable and policy.compensation_above is not None)
        for key, box in self.flags.items():
            box.setChecked(bool(getattr(policy, key)))
        index = self.mode.findData(str(site.get("auto_assign")))
        self.mode.setCurrentIndex(max(index, 0))

    def values(self) -> dict[str, Any]:
        amount = f"{Decimal(str(self.amount.value())).quantize(Decimal('0.01'))}" \
            if self.amount_enabled.isChecked() else None
        policy = {"compensation_above": amount, **{key: box.isChecked() for key, box in self.flags.items()}}
        return {"approval_policy": ApprovalPolicy.from_json(policy).to_json(), "auto_assign": self.mode.currentData()}

    def changes(self, site: SiteSettingsService) -> dict[str, Any]:
        """The settings of this group that differ from what is stored."""
        current = {"approval_policy": ApprovalPolicy.from_json(site.get("approval_policy")).to_json(),
                   "auto_assign": site.get("auto_assign")}
        return {key: value for key, value in self.values().items() if current[key] != value}
