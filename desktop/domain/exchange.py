"""The complaint exchange format (CSV and XLSX): columns, headers in both languages, codes by label.

Pure: no SQL, no Qt. A file may name its columns in Chinese (the labels the desk shows) or English
(the stored codes), and give channel, category, status … as a code or as its label in either
language. Every column an export writes is understood by the import, so an export re-imports.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from desktop.domain.codes import (
    _CATEGORY_LABELS,
    _CHANNEL_LABELS,
    _INVALID_REASON_LABELS,
    _STATUS_LABELS,
)
from desktop.domain.validation import _FIELD_LABELS, register_field_labels
from desktop.i18n import N_, _, translation_for

# Column key → English header label (msgid). Order is the export order.
_LABELS: dict[str, str] = {
    "number": N_("Complaint number"),
    "received_at": _FIELD_LABELS["received_at"],
    "channel": _FIELD_LABELS["channel"],
    "category": _FIELD_LABELS["category"],
    "customer_name": _FIELD_LABELS["customer_name"],
    "phone": _FIELD_LABELS["phone"],
    "contact_phone": _FIELD_LABELS["contact_phone"],
    "id_number": _FIELD_LABELS["id_number"],
    "address": _FIELD_LABELS["address"],
    "description": _FIELD_LABELS["description"],
    "demand": _FIELD_LABELS["demand"],
    "status": N_("Status"),
    "validity": N_("Validity"),
    "invalid_reason": N_("Reason for invalidity"),
    "status_reason": N_("Reason"),
    "agent": N_("Assigned agent"),
    "investigation_notes": N_("Investigation notes"),
    "resolution": N_("Resolution"),
    "compensation": N_("Compensation (yuan)"),
    "reply_method": N_("Reply method"),
    "reply_at": N_("Replied at"),
    "satisfaction": N_("Satisfaction"),
    "followup_comment": N_("Follow-up comment"),
    "followup_at": N_("Followed up at"),
    "appeal_date": N_("Appeal date"),
    "appeal_reference": N_("Appeal reference"),
    "closed_at": N_("Closed at"),
    "reply_due_date": N_("Reply due date"),
    "reply_due_at": N_("Reply due at"),
    "calendar_provisional": N_("Provisional calendar"),
    "created_at": N_("Created at"),
    "linked": N_("Linked complaints"),
    "citations": N_("Citations"),
    "history": N_("History summary"),
}
EXPORT_COLUMNS: tuple[str, ...] = tuple(_LABELS)
register_field_labels({**{k: v for k, v in _LABELS.items() if k not in _FIELD_LABELS},
                       "comment": N_("Follow-up comment"), "assigned_agent_id": N_("Assigned agent")})
# Short names staff use in their own spreadsheets, besides the desk's labels.
_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("投诉编号", "编号", "工单号"),
    "received_at": ("受理日期", "投诉时间", "时间"),
    "channel": ("渠道", "来源渠道"),
    "category": ("类别", "投诉类型", "类型"),
    "customer_name": ("姓名", "客户"),
    "phone": ("投诉号码", "号码", "手机号码"),
    "description": ("投诉详情", "内容"),
    "demand": ("诉求", "客户要求"),
    "agent": ("处理人", "承办人"),
}
# Computed by the store (deadlines) or kept elsewhere (citations, history): written on export, read back
# as known columns but not stored by an import — the import recomputes or records its own.
DERIVED_COLUMNS = frozenset({"reply_due_date", "reply_due_at", "calendar_provisional", "created_at", "linked",
                             "citations", "history"})
WORK_COLUMNS = ("status", "validity", "invalid_reason", "status_reason", "agent", "investigation_notes",
                "resolution", "compensation", "reply_method", "reply_at", "satisfaction", "followup_comment",
                "followup_at", "appeal_date", "appeal_reference", "closed_at")

REPLY_METHOD_LABELS = {
    "phone": N_("Phone call"),
    "sms": N_("Text message"),
    "letter": N_("Letter"),
    "in_person": N_("In person"),
    "email": N_("Email"),
    "online": N_("Online"),
}
VALIDITY_LABELS = {"valid": N_("Valid"), "invalid": N_("Invalid")}
_CODE_LABELS: dict[str, Mapping[str, str]] = {
    "channel": {str(k): v for k, v in _CHANNEL_LABELS.items()},
    "category": {str(k): v for k, v in _CATEGORY_LABELS.items()},
    "status": {str(k): v for k, v in _STATUS_LABELS.items()},
    "invalid_reason": {str(k): v for k, v in _INVALID_REASON_LABELS.items()},
    "reply_method": REPLY_METHOD_LABELS,
    "validity": VALIDITY_LABELS,
}
CODED_COLUMNS = tuple(_CODE_LABELS)

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class HeaderLanguage(StrEnum):
    ZH = "zh"
    EN = "en"


@cache
def _zh() -> gettext.NullTranslations:
    """The Chinese catalog, loaded once: exports label every coded cell with it."""
    return translation_for("zh_CN")


def _fold(text: str) -> str:
    return "".join(text.split()).casefold()


def header_label(key: str, language: HeaderLanguage) -> str:
    """The header written for column ``key``: the desk's Chinese label, or the code for systems."""
    if language == HeaderLanguage.EN:
        return key
    return _zh().gettext(_LABELS[key])


@cache
def _header_index() -> dict[str, str]:
    zh = _zh()
    index: dict[str, str] = {}
    for key, msgid in _LABELS.items():
        for name in (key, msgid, zh.gettext(msgid), *_ALIASES.get(key, ())):
            index.setdefault(_fold(name), key)
    return index


@cache
def _code_index(column: str) -> dict[str, str]:
    zh = _zh()
    index: dict[str, str] = {}
    for code, msgid in _CODE_LABELS[column].items():
        for name in (code, msgid, zh.gettext(msgid)):
            index.setdefault(_fold(name), code)
    return index


def column_for_header(header: str) -> str | None:
    """The column key a header means (Chinese label, English label or code), or ``None``."""
    return _header_index().get(_fold(header))


def code_for(column: str, text: str) -> str | None:
    """The stored code meant by ``text`` (a code or a label in either language), or ``None``.

    A shortened Chinese label (热线 for 投诉热线) counts when exactly one label contains it.
    """
    folded = _fold(text)
    index = _code_index(column)
    if folded in index:
        return index[folded]
    if len(folded) >= 2 and not folded.isascii():
        hits = {code for name, code in index.items() if folded in name}
        if len(hits) == 1:
            return hits.pop()
    return None


def code_label(column: str, code: str, language: HeaderLanguage) -> str:
    """How an export writes a code: the Chinese label for people, the code itself for systems."""
    if language == HeaderLanguage.EN or not code:
        return code
    msgid = _CODE_LABELS[column].get(code)
    return _zh().gettext(msgid) if msgid else code


def code_choices(column: str) -> str:
    return ", ".join(f"{code} ({_(msgid)})" for code, msgid in _CODE_LABELS[column].items())


@dataclass(frozen=True)
class HeaderProblem:
    column: int  # 1-based position in the header row
    header: str
    problem: str


@dataclass(frozen=True)
class HeaderMap:
    keys: tuple[str | None, ...]  # per file column: the key it fills (None for an empty trailing header)


def map_headers(headers: Sequence[str], required: Sequence[str]) -> tuple[HeaderMap, list[HeaderProblem]]:
    """Decide what each file column means; each unknown or repeated header is one problem, by name."""
    problems: list[HeaderProblem] = []
    keys: list[str | None] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(headers, start=1):
        header = strip_formula_guard(raw).strip()
        if not header:
            keys.append(None)
            continue
        key = column_for_header(header)
        if key is None:
            problems.append(HeaderProblem(position, header, _("unknown column “{header}”").format(header=header)))
        elif key in seen:
            problems.append(HeaderProblem(position, header, _(
                "column “{header}” repeats column {first} (both mean {name}); keep one").format(
                    header=header, first=seen[key], name=header_label(key, HeaderLanguage.ZH))))
            key = None
        else:
            seen[key] = position
        keys.append(key)
    for key in required:
        if key not in seen:
            problems.append(HeaderProblem(0, key, _("required column “{name}” is missing").format(
                name=header_label(key, HeaderLanguage.ZH))))
    return HeaderMap(tuple(keys)), problems


def formula_safe(text: str) -> str:
    """A leading apostrophe stops a spreadsheet from running the cell; the import strips it again."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def strip_formula_guard(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
