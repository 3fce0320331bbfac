"""Quality review (质检): the checklist a supervisor scores a closed case against (no Qt, no SQL).

The checklist is site data (``qa_checklist``): a list of items, each with a key, a label and a
weight. A review gives each item between 0 and its weight in points; the score is the share of the
weights earned, out of 100.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.i18n import N_, _

DEFAULT_CHECKLIST: tuple[dict[str, Any], ...] = (
    {"key": "facts", "label": N_("Facts verified"), "weight": 25},
    {"key": "articles", "label": N_("Correct articles cited"), "weight": 15},
    {"key": "on_time", "label": N_("Reply on time"), "weight": 20},
    {"key": "letter", "label": N_("Letter complete and signed"), "weight": 15},
    {"key": "courtesy", "label": N_("Courtesy"), "weight": 15},
    {"key": "follow_up", "label": N_("Follow-up done"), "weight": 10},
)

SAMPLE_REASONS = {
    "random": N_("random sample"),
    "appeal": N_("appealed to the regulator"),
    "low_satisfaction": N_("satisfaction 2 or lower"),
}


class ChecklistError(ValueError):
    """A checklist or a scoring that cannot be used; the message is for the user."""


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str  # as stored; the default labels are msgids, translated by ``display_label``
    weight: int

    @property
    def display_label(self) -> str:
        return _(self.label)


def parse_checklist(raw: Sequence[Mapping[str, Any]] | None) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    if not isinstance(raw, list | tuple) or not raw:
        raise ChecklistError(_("The checklist is a non-empty list of items with key, label and weight."))
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise ChecklistError(_("The checklist is a non-empty list of items with key, label and weight."))
        key, label, weight = str(entry.get("key") or "").strip(), str(entry.get("label") or "").strip(), \
            entry.get("weight")
        if not key or not label:
            raise ChecklistError(_("Every checklist item needs a key and a label."))
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 100:
            raise ChecklistError(_("The weight of “{key}” must be a whole number from 1 to 100.").format(key=key))
        if any(item.key == key for item in items):
            raise ChecklistError(_("The checklist names “{key}” twice.").format(key=key))
        items.append(ChecklistItem(key, label, weight))
    return items


def score_review(checklist: Sequence[ChecklistItem], points: Mapping[str, Any]) -> tuple[dict[str, int], float]:
    """Validate the points given per item; returns them and the score out of 100."""
    known = {item.key for item in checklist}
    unknown = set(points) - known
    if unknown:
        raise ChecklistError(_("Not on the checklist: {keys}.").format(keys=", ".join(sorted(unknown))))
    given: dict[str, int] = {}
    for item in checklist:
        if item.key not in points:
            raise ChecklistError(_("Score every item; “{label}” has no points.").format(label=item.display_label))
        try:
            value = int(str(points[item.key]).strip())
        except ValueError:
            raise ChecklistError(_("“{label}” takes whole points from 0 to {weight}.").format(
                label=item.display_label, weight=item.weight)) from None
        if not 0 <= value <= item.weight:
            raise ChecklistError(_("“{label}” takes whole points from 0 to {weight}.").format(
                label=item.display_label, weight=item.weight))
        given[item.key] = value
    total = sum(item.weight for item in checklist)
    return given, round(100 * sum(given.values()) / total, 2)
