"""Which cases need a supervisor's approval before the customer is answered (no Qt, no SQL).

The policy is site data (``approval_policy``), edited by supervisors. An approval covers the case as
it stood: a fingerprint of the resolution and compensation is kept with it, and once either changes
the approval no longer counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.domain.codes import Category, Channel
from desktop.domain.workflow import Action
from desktop.i18n import N_, _

DEFAULT_POLICY: dict[str, Any] = {
    "compensation_above": "100",  # yuan; compensation strictly above this needs approval
    "regulator": True,  # cases transferred by the regulator (or appealed to it)
    "privacy": True,  # personal-information cases
    "invalid": True,  # marking a complaint invalid
}

# Why a case needs approval (N_-marked; translate when shown).
REASON_COMPENSATION = N_("compensation above {amount} yuan")
REASON_REGULATOR = N_("transferred by the regulator")
REASON_PRIVACY = N_("personal-information complaint")
REASON_INVALID = N_("marking the complaint invalid")


class PolicyError(ValueError):
    """An approval policy a supervisor typed that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class ApprovalPolicy:
    compensation_above: Decimal | None
    regulator: bool
    privacy: bool
    invalid: bool

    @classmethod
    def from_json(cls, raw: Mapping[str, Any] | None) -> ApprovalPolicy:
        data = {**DEFAULT_POLICY, **dict(raw or {})}
        unknown = set(data) - set(DEFAULT_POLICY)
        if unknown:
            raise PolicyError(_("Unknown approval policy keys: {keys}; known: {known}.").format(
                keys=", ".join(sorted(unknown)), known=", ".join(DEFAULT_POLICY)))
        amount_raw = data["compensation_above"]
        amount: Decimal | None = None
        if amount_raw not in (None, ""):
            try:
                amount = Decimal(str(amount_raw))
            except InvalidOperation:
                raise PolicyError(_("compensation_above must be an amount in yuan, or null for never.")) from None
            if amount < 0 or not amount.is_finite():
                raise PolicyError(_("compensation_above must be an amount in yuan, or null for never."))
        flags = {}
        for key in ("regulator", "privacy", "invalid"):
            if not isinstance(data[key], bool):
                raise PolicyError(_("{key} must be true or false.").format(key=key))
            flags[key] = data[key]
        return cls(compensation_above=amount, **flags)

    def to_json(self) -> dict[str, Any]:
        return {"compensation_above": None if self.compensation_above is None else str(self.compensation_above),
                "regulator": self.regulator, "privacy": self.privacy, "invalid": self.invalid}

    def reasons(self, action: Action, *, channel: str, category: str, deadline_rule: str,
                compensation: Decimal | None) -> list[str]:
        """Translated reasons why ``action`` on such a case needs approval (empty: it does not)."""
        if action not in (Action.REPLY, Action.MARK_INVALID):
            return []
        found: list[str] = []
        if action == Action.MARK_INVALID and self.invalid:
            found.append(_(REASON_INVALID))
        if (self.compensation_above is not None and compensation is not None
                and compensation > self.compensation_above):
            found.append(_(REASON_COMPENSATION).format(amount=self.compensation_above))
        if self.regulator and (channel == Channel.REGULATOR or deadline_rule == "regulator"):
            found.append(_(REASON_REGULATOR))
        if self.privacy and category == Category.PRIVACY:
            found.append(_(REASON_PRIVACY))
        return found


def approval_basis(resolution: str | None, compensation: Decimal | None) -> str:
    """Fingerprint of what a supervisor approved: the proposed resolution and compensation."""
    text = f"{(resolution or '').strip()}\x1f{'' if compensation is None else f'{compensation:.2f}'}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
