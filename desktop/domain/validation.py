"""Checks and normalisation for what staff type or paste into a complaint.

Each check either returns the value in its one canonical form or raises
:class:`FieldError` whose message says exactly what is wrong, in the user's
language, naming the field as staff know it ("被投诉号码", not "phone").
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from desktop.i18n import N_, _

_FIELD_LABELS: dict[str, str] = {
    "phone": N_("Number under complaint"),
    "contact_phone": N_("Contact phone"),
    "id_number": N_("ID card number"),
    "customer_name": N_("Customer name"),
    "description": N_("Complaint details"),
    "demand": N_("Customer's request"),
    "address": N_("Address"),
    "subject": N_("Subject"),
    "reply": N_("Reply"),
    "note": N_("Note"),
    "received_at": N_("Time received"),
    "channel": N_("Channel"),
    "category": N_("Category"),
    "compensation": N_("Compensation"),
    "resolution": N_("Resolution"),
    "reply_method": N_("Reply method"),
    "satisfaction": N_("Satisfaction"),
    "invalid_reason": N_("Reason for invalidity"),
    "input": N_("Input"),
    "link": N_("Linked complaint"),
}


def register_field_labels(labels: dict[str, str]) -> None:
    """Let another module name more fields (N_-marked msgids, in its own catalog); existing names win."""
    for field, msgid in labels.items():
        _FIELD_LABELS.setdefault(field, msgid)


def field_label(field: str) -> str:
    """The translated human name of a form field; unknown fields keep their code."""
    msgid = _FIELD_LABELS.get(field)
    return _(msgid) if msgid else field


class FieldError(ValueError):
    """Invalid input for one field. ``message`` names the field; ``problem`` does not."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        self.message = _("{field}: {problem}").format(field=field_label(field), problem=problem)
        super().__init__(self.message)


# --- telephone numbers -------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.()/]+")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)


def _fold(text: str) -> str:
    # NFKC turns full-width digits, ＋ and （） into ASCII; typed numbers often have them.
    return unicodedata.normalize("NFKC", text).strip()


def _strip_country_code(compact: str, field: str) -> tuple[str, bool]:
    """Remove +86 / 0086 / 86; returns the rest and whether a code was present."""
    if compact.startswith("+"):
        if not compact.startswith("+86"):
            raise FieldError(
                field,
                _(
                    "Only mainland China numbers (+86) are accepted; "
                    "this one has another country code."
                ),
            )
        return compact[3:], True
    if compact.startswith("0086"):
        return compact[4:], True
    if compact.startswith("86") and len(compact) == 13 and compact[2] == "1":
        return compact[2:], True
    return compact, False


def _reject_letters(compact: str, field: str) -> None:
    stray = [char for char in compact if not char.isdigit()]
    if stray:
        raise FieldError(
            field,
            _("A phone number may contain only digits; found “{chars}”.").format(
                chars="".join(dict.fromkeys(stray))
            ),
        )


def _compact(text: str, field: str) -> str:
    folded = _fold(text)
    if not folded:
        raise FieldError(field, _("Enter a phone number."))
    return _SEPARATORS.sub("", folded)


def _check_mobile_digits(digits: str, field: str) -> str:
    if len(digits) != 11:
        raise FieldError(
            field,
            _("A mobile number has 11 digits; this one has {count}.").format(count=len(digits)),
        )
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise FieldError(
            field,
            _("A mobile number starts with 13 to 19; this one starts with {prefix}.").format(
                prefix=digits[:2]
            ),
        )
    return digits


def normalize_mobile(text: str, field: str = "phone") -> str:
    """A mainland mobile number as 11 digits."""
    compact, _had_code = _strip_country_code(_compact(text, field), field)
    _reject_letters(compact, field)
    return _check_mobile_digits(compact, field)


def _area_length(digits: str) -> int:
    # 010 and 020-029 are the large cities' three-digit codes; all others have four.
    return 3 if digits.startswith(("010", "02")) else 4


def normalize_landline(text: str, field: str = "phone") -> str:
    """A landline with area code as ``0AA-SSSSSSSS`` (``-EXT`` appended when given)."""
    folded = _fold(text)
    if not folded:
        raise FieldError(field, _("Enter a phone number."))
    extension = ""
    match = _EXTENSION.search(folded)
    if match:
        extension = match.group(1)
        folded = folded[: match.start()]
    groups = [group for group in _SEPARATORS.split(folded) if group]
    compact = "".join(groups)
    compact, had_code = _strip_country_code(compact, field)
    _reject_letters(compact, field)
    if had_code and compact and not compact.startswith("0"):
        compact = "0" + compact  # +86 10 ... is dialled 010 ... at home
    # "010-62345678-123": a short last group after a complete number is an extension.
    long_enough = len(groups) >= 3 and len(compact) - len(groups[-1]) >= 11
    if not extension and long_enough and len(groups[-1]) <= 5:
        extension = groups[-1]
        compact = compact[: -len(extension)]
    if not compact.startswith("0"):
        raise FieldError(
            field,
            _("A landline number needs its area code, for example 010-62345678."),
        )
    area_length = _area_length(compact)
    area, subscriber = compact[:area_length], compact[area_length:]
    typed_area = groups[0] if len(groups) >= 2 and not had_code else area
    if not re.fullmatch(r"0(?:10|2\d|[3-9]\d\d)", area) or typed_area != area:
        raise FieldError(field, _("The area code {code} is not valid.").format(code=typed_area))
    expected = (8,) if area_length == 3 else (7, 8)
    if len(subscriber) not in expected:
        raise FieldError(
            field,
            _(
                "After the area code {area}, a local number has {expected} digits; "
                "this one has {count}."
            ).format(
                area=area,
                expected=_("7 or 8") if len(expected) == 2 else "8",
                count=len(subscriber),
            ),
        )
    if subscriber[0] in "01":
        raise FieldError(
            field,
            _("A local number never starts with 0 or 1; check the area code {area}.").format(
                area=area
            ),
        )
    return f"{area}-{subscriber}" + (f"-{extension}" if extension else "")


def normalize_phone(text: str, field: str = "phone") -> str:
    """A mobile number (11 digits) or a landline with area code (``0AA-SSSSSSSS``)."""
    # Decide the kind from the digits alone, then let the specific check explain.
    compact, had_code = _strip_country_code(_compact(_EXTENSION.sub("", _fold(text)), field), field)
    _reject_letters(compact, field)
    if compact.startswith("1") and not (had_code and compact.startswith("10")):
        return normalize_mobile(text, field)
    if re.fullmatch(r"01[3-9]\d{9}", compact):
        # A 0 dialled before a mobile number from another city (加拨0).
        return compact[1:]
    if compact.startswith("0") or had_code:
        return normalize_landline(text, field)
    if len(compact) in (7, 8):
        raise FieldError(
            field,
            _("A landline number needs its area code, for example 010-62345678."),
        )
    raise FieldError(
        field,
        _(
            "This is neither a mobile number (11 digits starting with 1) nor a landline "
            "(area code starting with 0)."
        ),
    )


# --- resident identity card numbers -----------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(text: str, field: str = "id_number", *, today: date | None = None) -> str:
    """An 18-character resident identity number, upper-case X; each part is checked."""
    value = re.sub(r"\s+", "", _fold(text)).upper()
    if not value:
        raise FieldError(field, _("Enter the ID card number."))
    if len(value) == 15 and value.isdigit():
        raise FieldError(
            field, _("This is an old 15-digit number; enter the 18-character ID card number.")
        )
    if len(value) != 18:
        raise FieldError(
            field,
            _("An ID card number has 18 characters; this one has {count}.").format(
                count=len(value)
            ),
        )
    for position, char in enumerate(value, start=1):
        if not (char.isascii() and char.isdigit()) and not (position == 18 and char == "X"):
            raise FieldError(
                field,
                _(
                    "Character {position} is “{char}”; only digits are allowed "
                    "(X only as the last character)."
                ).format(position=position, char=char),
            )
    if value[0] not in "12345678":
        raise FieldError(
            field,
            _(
                "The region code {code} is not valid: it must start with a digit from 1 to 8."
            ).format(code=value[:6]),
        )
    birth_text = value[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError as error:
        raise FieldError(
            field, _("The birth date part {text} is not a real date.").format(text=birth_text)
        ) from error
    if birth.year < 1900:
        raise FieldError(
            field, _("The birth date {date} is before 1900.").format(date=birth.isoformat())
        )
    if birth > (today or date.today()):
        raise FieldError(
            field, _("The birth date {date} is in the future.").format(date=birth.isoformat())
        )
    expected = id_check_digit(value[:17])
    if value[17] != expected:
        raise FieldError(
            field,
            _(
                "The last character (check digit) should be {expected}, not {actual}; "
                "a digit was probably mistyped."
            ).format(expected=expected, actual=value[17]),
        )
    return value


# --- free text ------------------------------------------------------------------

# Invisible characters that rich-text sources (Word, web pages, WeChat) carry
# along: zero-width spaces and joiners, word joiner, BOM, soft hyphen, bidi marks.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    ),
    None,
)
# Spaces that look like a space but break search and matching: made ordinary.
# U+3000 (ideographic space) is kept inside the text: Chinese writers use it
# to indent paragraphs, and it prints as the full-width gap they intended.
_SPACES = {
    ord(char): " "
    for char in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\t"
}
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c\x85")
_ZWJ = "\u200d"


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or char == "\ufe0f"


def _drop_stray_joiners(text: str) -> str:
    # A zero-width joiner is kept only inside emoji sequences (👨‍👩‍👧), where it carries meaning.
    if _ZWJ not in text:
        return text
    kept = []
    for index, char in enumerate(text):
        if char == _ZWJ:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if not (before and after and _is_emoji(before) and _is_emoji(after)):
                continue
        kept.append(char)
    return "".join(kept)


def clean_text(
    text: str, field: str, *, max_length: int, required: bool = False, multiline: bool = True
) -> str:
    """Tidy pasted text and enforce the field's limits; returns the text to store."""
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category == "Cs":
            raise FieldError(
                field,
                _(
                    "The text contains an invisible control character (U+{code}) at position "
                    "{position}; please delete it."
                ).format(code=f"{ord(char):04X}", position=position),
            )
    cleaned = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    cleaned = _drop_stray_joiners(cleaned)
    cleaned = _LINE_BREAKS.sub("\n", cleaned).translate(_SPACES)
    lines = [line.rstrip(" \u3000") for line in cleaned.split("\n")]
    if multiline:
        cleaned = re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines))
    else:
        cleaned = " ".join(line.strip() for line in lines if line.strip())
    cleaned = cleaned.strip()
    if required and not cleaned:
        raise FieldError(field, _("This field is required."))
    if len(cleaned) > max_length:
        raise FieldError(
            field,
            _("At most {limit} characters are allowed; this text has {count}.").format(
                limit=max_length, count=len(cleaned)
            ),
        )
    return cleaned
