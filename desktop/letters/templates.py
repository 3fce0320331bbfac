"""Letter wording, read from JSON templates a supervisor can edit without code.

The bundled templates are ``resources/letters/templates/<language>.json``; a
site may put its own copy at ``<user config dir>/letters/<language>.json``,
which then wins. Every template is checked against :data:`TEMPLATE_FIELDS` when
loaded, so a typo in a placeholder is reported with the key that holds it
instead of breaking a letter at the counter.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desktop.i18n import _
from desktop.letters.content import LetterError, LetterLanguage
from desktop.paths import resource_path, user_config_dir

TEMPLATE_FORMAT = 1

_DATE_FIELDS = frozenset({"year", "month", "day", "month_name"})

# Every text key a template must have, with the placeholders it may use.
TEMPLATE_FIELDS: dict[str, frozenset[str]] = {
    "document_title": frozenset(),
    "revision_title": frozenset({"revision"}),
    "date": _DATE_FIELDS,
    "datetime": _DATE_FIELDS | {"hour", "minute"},
    "money": frozenset({"amount"}),
    "labels.complaint_number": frozenset(),
    "labels.customer": frozenset(),
    "labels.received": frozenset(),
    "labels.site": frozenset(),
    "labels.reply_due": frozenset(),
    "labels.reply_date": frozenset(),
    "salutation": frozenset({"customer_name"}),
    "intro": frozenset(
        {"received_date", "operator_name", "site_name", "complaint_number", "customer_name"}
    ),
    "headings.complaint": frozenset(),
    "headings.demand": frozenset(),
    "headings.findings": frozenset(),
    "headings.resolution": frozenset(),
    "headings.compensation": frozenset(),
    "headings.citations": frozenset(),
    "headings.rights": frozenset(),
    "compensation": frozenset({"amount"}),
    "no_compensation": frozenset(),
    "no_citations": frozenset(),
    "citation_heading": frozenset({"title", "label", "version_date"}),
    "rights": frozenset(),
    "appeal_article.title": frozenset(),
    "appeal_article.label": frozenset(),
    "appeal_article.version_date": frozenset(),
    "appeal_article.text": frozenset(),
    "revision_note": frozenset({"revision"}),
    "closing": frozenset({"agent_name"}),
    "closing_with_phone": frozenset({"agent_name", "contact_phone"}),
    "signatures.customer": frozenset(),
    "signatures.agent": frozenset({"agent_name"}),
    "signatures.stamp": frozenset(),
    "signatures.date": frozenset({"date"}),
    "signatures.awaiting_signature": frozenset(),
    "issuer_line": frozenset({"operator_name", "site_name", "site_address"}),
    "footer": frozenset({"complaint_number", "fingerprint", "page", "pages"}),
    "stamp.title": frozenset(),
    "stamp.signer": frozenset({"signer"}),
    "stamp.time": frozenset({"time"}),
    "stamp.issuer": frozenset({"issuer"}),
    "stamp.demo": frozenset(),
    "stamp.verify": frozenset(),
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class LetterTemplate:
    language: str
    source: Path
    texts: dict[str, str]  # flattened "section.key" -> text

    def text(self, key: str) -> str:
        return self.texts[key]

    def fill(self, key: str, **values: object) -> str:
        return self.texts[key].format(**values)

    def format_date(self, year: int, month: int, day: int) -> str:
        return self.fill("date", **_date_values(self.language, year, month, day))

    def format_datetime(self, year: int, month: int, day: int, hour: int, minute: int) -> str:
        values = _date_values(self.language, year, month, day)
        return self.fill("datetime", hour=f"{hour:02d}", minute=f"{minute:02d}", **values)


def _date_values(language: str, year: int, month: int, day: int) -> dict[str, object]:
    month_name = _MONTHS_EN[month - 1] if language == "en" else str(month)
    return {"year": year, "month": month, "day": day, "month_name": month_name}


def template_path(language: LetterLanguage) -> Path:
    """The template in force: the site's override if present, else the bundled one."""
    override = user_config_dir() / "letters" / f"{language}.json"
    if override.is_file():
        return override
    return resource_path(f"letters/templates/{language}.json")


def load_template(language: LetterLanguage) -> LetterTemplate:
    path = template_path(language)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as error:
        raise LetterError(
            _("Letter template {path} cannot be read: {error}").format(path=path, error=error)
        ) from error
    return _load_cached(str(path), stamp)


@lru_cache(maxsize=8)
def _load_cached(path_text: str, _mtime_ns: int) -> LetterTemplate:
    path = Path(path_text)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LetterError(
            _("Letter template {path} cannot be read: {error}").format(path=path, error=error)
        ) from error
    if not isinstance(data, dict) or data.get("format") != TEMPLATE_FORMAT:
        raise LetterError(
            _('Letter template {path} must be a JSON object with "format": {version}.').format(
                path=path, version=TEMPLATE_FORMAT
            )
        )
    texts = _flatten(data)
    for key, allowed in TEMPLATE_FIELDS.items():
        problem = _check_text(texts.get(key), allowed)
        if problem:
            raise LetterError(
                _('Letter template {path}, key "{key}": {problem}').format(
                    path=path, key=key, problem=problem
                )
            )
    return LetterTemplate(language=str(data.get("language", "")), source=path, texts=texts)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            flat[name] = value
    return flat


def _check_text(text: str | None, allowed: frozenset[str]) -> str | None:
    if text is None:
        return _("missing (it must be a text)")
    try:
        names = {
            field
            for _lit, field, _spec, _conv in string.Formatter().parse(text)
            if field is not None
        }
    except ValueError as error:
        return _("broken placeholder: {error}").format(error=error)
    unknown = sorted(names - allowed)
    if unknown:
        return _("unknown placeholder {names}; allowed: {allowed}").format(
            names=", ".join("{" + n + "}" for n in unknown),
            allowed=", ".join("{" + n + "}" for n in sorted(allowed)) or _("none"),
        )
    return None
