"""What a letter says, as plain frozen values: no database, no Qt.

The lead's services build a :class:`LetterContent` from a case; everything
downstream (render, fingerprint, signing) depends only on this value, so the
same case always gives the same letter.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from desktop.i18n import _

LetterLanguage = Literal["zh_CN", "en"]
LETTER_LANGUAGES: tuple[LetterLanguage, ...] = ("zh_CN", "en")

# Strokes of (x, y, pressure) in a 0..1 box, origin top-left, y downwards (as on screen).
SignaturePoint = tuple[float, float, float]
SignatureStroke = tuple[SignaturePoint, ...]
SignatureStrokes = tuple[SignatureStroke, ...]

STROKES_FORMAT_VERSION = 1


class LetterError(Exception):
    """A letter cannot be produced, signed or read; the message is for the user."""


@dataclass(frozen=True)
class LetterCitation:
    """One article the letter relies on, quoted exactly from the law pack."""

    title: str  # e.g. 中华人民共和国电信条例
    label: str  # e.g. 第三十九条
    text: str
    version_date: str  # ISO date of the version quoted
    verified: bool  # False: secondary-grade text not checked against the official source
    confirmed_by_agent: bool  # the agent confirmed a secondary-grade text before citing it


@dataclass(frozen=True)
class LetterContent:
    operator_name: str
    site_name: str
    site_address: str
    complaint_number: str
    complaint_uuid: str
    customer_name: str
    received_at: datetime
    description_brief: str
    demand_brief: str
    findings: str
    resolution: str
    compensation: Decimal | None
    citations: tuple[LetterCitation, ...]
    reply_due_date: date
    reply_date: date
    agent_name: str
    language: LetterLanguage
    customer_signature: SignatureStrokes | None
    revision: int = 1
    contact_phone: str = ""  # the site's number for questions; the closing names it when set

    def __post_init__(self) -> None:
        if self.language not in LETTER_LANGUAGES:
            raise LetterError(
                _("Unsupported letter language {language}; choose zh_CN or en.").format(
                    language=self.language
                )
            )
        if self.revision < 1:
            raise LetterError(_("The letter revision must be 1 or higher."))
        if not self.complaint_number.strip():
            raise LetterError(_("The letter needs a complaint number."))
        if self.compensation is not None and self.compensation < 0:
            raise LetterError(_("Compensation cannot be negative."))


def normalise_strokes(raw: object) -> SignatureStrokes:
    """Validate and clamp strokes from any JSON-like source into :data:`SignatureStrokes`."""
    if not isinstance(raw, list | tuple):
        raise LetterError(_("A signature must be a list of strokes."))
    strokes: list[SignatureStroke] = []
    for raw_stroke in raw:
        if not isinstance(raw_stroke, list | tuple):
            raise LetterError(_("A signature stroke must be a list of points."))
        points: list[SignaturePoint] = []
        for raw_point in raw_stroke:
            if not isinstance(raw_point, list | tuple) or len(raw_point) != 3:
                raise LetterError(_("A signature point must be [x, y, pressure]."))
            values = []
            for value in raw_point:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise LetterError(_("A signature point must hold numbers."))
                number = float(value)
                if not math.isfinite(number):
                    raise LetterError(_("A signature point must hold finite numbers."))
                values.append(min(1.0, max(0.0, number)))
            points.append((values[0], values[1], values[2]))
        if points:
            strokes.append(tuple(points))
    return tuple(strokes)


def strokes_to_json(strokes: SignatureStrokes) -> str:
    """Compact JSON that survives a database text column; 4 decimals are finer than any pad."""
    payload = {
        "version": STROKES_FORMAT_VERSION,
        "strokes": [[[round(v, 4) for v in point] for point in stroke] for stroke in strokes],
    }
    return json.dumps(payload, separators=(",", ":"))


def strokes_from_json(text: str) -> SignatureStrokes:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise LetterError(
            _("The stored signature is not valid JSON: {error}").format(error=error)
        ) from error
    if not isinstance(payload, dict) or payload.get("version") != STROKES_FORMAT_VERSION:
        raise LetterError(_("The stored signature has an unknown format."))
    return normalise_strokes(payload.get("strokes"))


# Width / height of the customer's signature box, on the pad and in the letter alike,
# so strokes normalised to 0..1 keep their shape.
SIGNATURE_ASPECT = 3.0


def canonical_content_json(content: LetterContent) -> str:
    """A stable JSON form of the content: same content, same text, on every machine."""

    def encode(value: object) -> object:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value.quantize(Decimal("0.01")))
        if isinstance(value, LetterCitation):
            return {k: encode(v) for k, v in sorted(vars(value).items())}
        if isinstance(value, tuple | list):
            return [encode(v) for v in value]
        return value

    payload = {name: encode(getattr(content, name)) for name in sorted(vars(content))}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def letter_fingerprint(content: LetterContent) -> str:
    """16 hex digits of SHA-256 over the canonical content; the footer prints it."""
    return hashlib.sha256(canonical_content_json(content).encode("utf-8")).hexdigest()[:16]
