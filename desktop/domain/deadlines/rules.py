"""The deadline rules and the legal texts they rest on.

Each rule says how long staff have (an amount and a unit) and cites its basis.
``verified`` tells whether the citation was checked against an official text
available to this project; the reply rule's own regulations were not, and the
rule says so rather than pretending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from desktop.i18n import N_, _


class RuleKind(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"


@dataclass(frozen=True)
class LegalBasis:
    citation: str  # the Chinese citation, never translated: it names a legal text
    verified: bool
    note: str = ""  # an N_-marked msgid; shown with ``_()``

    def display_note(self) -> str:
        return _(self.note) if self.note else ""


@dataclass(frozen=True)
class DeadlineRule:
    code: str
    label: str  # N_-marked msgid
    kind: RuleKind
    amount: int
    basis: tuple[LegalBasis, ...]
    # The longest period the basis allows; a site may shorten a statutory
    # period but never lengthen it. None for internal rules.
    legal_max: int | None = None


class RuleConfigError(ValueError):
    """A site setting for a rule that cannot be used; the message is translated."""


_NOT_VERIFIED = N_(
    "Not verified against an official text: the official text of this regulation is not "
    "available to the project; check it before relying on the citation."
)

CIVIL_CODE_201 = LegalBasis(
    "中华人民共和国民法典 第二百零一条",
    True,
    N_("The day the period starts is not counted; counting starts on the next day."),
)
CIVIL_CODE_203 = LegalBasis(
    "中华人民共和国民法典 第二百零三条",
    True,
    N_(
        "If the last day is a statutory rest day, the day after the rest days end is the last "
        "day; the last day ends at 24:00."
    ),
)
TELECOM_REGULATIONS_32 = LegalBasis(
    "中华人民共和国电信条例 第三十二条",
    True,
    N_("Service faults are to be repaired within 48 hours in towns and 72 hours in rural areas."),
)
PI_PROTECTION_12 = LegalBasis(
    "电信和互联网用户个人信息保护规定（工业和信息化部令第24号） 第十二条",
    True,
    N_("Complaints about personal information must be answered within 15 days of receipt."),
)
TELECOM_SERVICE_STANDARD = LegalBasis("电信服务规范（信息产业部令第36号）", False, _NOT_VERIFIED)
USER_APPEAL_MEASURES = LegalBasis(
    "电信用户申诉处理办法（工业和信息化部令第35号）", False, _NOT_VERIFIED
)

_RULES = (
    DeadlineRule(
        "reply",
        N_("Reply to the complaint"),
        RuleKind.CALENDAR_DAYS,
        15,
        (TELECOM_SERVICE_STANDARD, USER_APPEAL_MEASURES, CIVIL_CODE_201, CIVIL_CODE_203),
        legal_max=15,
    ),
    DeadlineRule("acknowledge", N_("Acknowledge receipt"), RuleKind.HOURS, 24, ()),
    DeadlineRule(
        "repair_urban",
        N_("Repair a service fault (town)"),
        RuleKind.HOURS,
        48,
        (TELECOM_REGULATIONS_32,),
        legal_max=48,
    ),
    DeadlineRule(
        "repair_rural",
        N_("Repair a service fault (rural area)"),
        RuleKind.HOURS,
        72,
        (TELECOM_REGULATIONS_32,),
        legal_max=72,
    ),
    DeadlineRule(
        "privacy",
        N_("Answer a personal-information complaint"),
        RuleKind.CALENDAR_DAYS,
        15,
        (PI_PROTECTION_12, CIVIL_CODE_201, CIVIL_CODE_203),
        legal_max=15,
    ),
    DeadlineRule(
        "regulator",
        N_("Reply to a case transferred by the regulator"),
        RuleKind.WORKING_DAYS,
        10,
        (),
    ),
)

DEFAULT_RULES: Mapping[str, DeadlineRule] = {rule.code: rule for rule in _RULES}

# Upper bounds for rules without a legal maximum: beyond these a setting is a typo.
_SANE_MAX = {RuleKind.CALENDAR_DAYS: 90, RuleKind.WORKING_DAYS: 60, RuleKind.HOURS: 720}

_UNITS = {
    RuleKind.CALENDAR_DAYS: N_("days"),
    RuleKind.WORKING_DAYS: N_("working days"),
    RuleKind.HOURS: N_("hours"),
}


def unit_name(kind: RuleKind) -> str:
    return _(_UNITS[kind])


def build_rules(overrides: Mapping[str, int]) -> dict[str, DeadlineRule]:
    """The default rules with the site's amounts applied, each amount checked."""
    rules = dict(DEFAULT_RULES)
    for code, amount in overrides.items():
        rule = rules.get(code)
        if rule is None:
            raise RuleConfigError(
                _("Unknown deadline rule “{code}”; known rules: {known}.").format(
                    code=code, known=", ".join(DEFAULT_RULES)
                )
            )
        label = _(rule.label)
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise RuleConfigError(
                _("{rule}: the period must be a whole number, not “{value}”.").format(
                    rule=label, value=amount
                )
            )
        if amount <= 0:
            raise RuleConfigError(
                _("{rule}: the period must be at least 1, not {value}.").format(
                    rule=label, value=amount
                )
            )
        if rule.legal_max is not None and amount > rule.legal_max:
            raise RuleConfigError(
                _(
                    "{rule}: {value} {unit} is longer than the legal limit of {limit} {unit}; "
                    "a site may shorten this period but not lengthen it."
                ).format(rule=label, value=amount, limit=rule.legal_max, unit=unit_name(rule.kind))
            )
        sane = _SANE_MAX[rule.kind]
        if amount > sane:
            raise RuleConfigError(
                _("{rule}: {value} {unit} is more than the maximum of {limit} {unit}.").format(
                    rule=label, value=amount, limit=sane, unit=unit_name(rule.kind)
                )
            )
        rules[code] = replace(rule, amount=amount)
    return rules
