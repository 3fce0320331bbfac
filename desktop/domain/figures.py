"""What every headline figure means: defined once, shown as the stats dialog's tooltips and in the report.

The statistics service computes each figure exactly as its definition here says; tests check both
against hand-built data.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.i18n import N_, _


@dataclass(frozen=True)
class FigureDefinition:
    key: str
    name: str  # N_-marked
    text: str  # N_-marked

    @property
    def display_name(self) -> str:
        return _(self.name)

    @property
    def display_text(self) -> str:
        return _(self.text)


DEFINITIONS: tuple[FigureDefinition, ...] = (
    FigureDefinition("on_time_rate", N_("On-time rate"), N_(
        "Of the complaints received in the period that were owed a reply: the share answered by their "
        "deadline. Late counts both a reply sent after the deadline and a complaint still unanswered once "
        "its deadline has passed (as of the end of the period, or now if the period has not ended).")),
    FigureDefinition("repeat_rate", N_("Repeat rate"), N_(
        "Share of the complaints received in the period that came from a phone number with more than one "
        "complaint in the period.")),
    FigureDefinition("satisfaction", N_("Follow-up satisfaction"), N_(
        "Average score (1 = very dissatisfied, 5 = very satisfied) the customers gave at the follow-up "
        "call, over the complaints received in the period that were followed up.")),
    FigureDefinition("appeal_rate", N_("Appeal rate"), N_(
        "Share of the complaints received in the period that the customer took to the regulator.")),
    FigureDefinition("handling_days", N_("Average handling time"), N_(
        "Average number of days from receipt to the reply to the customer, over the complaints received in "
        "the period that were answered.")),
    FigureDefinition("qa_score", N_("Quality review score"), N_(
        "Average quality review (质检) score out of 100 of the reviewed complaints received in the period; "
        "each checklist item earns up to its weight in points.")),
)

BY_KEY: dict[str, FigureDefinition] = {d.key: d for d in DEFINITIONS}


def definition(key: str) -> str:
    """The translated definition of the figure ``key``."""
    return BY_KEY[key].display_text
