"""Bulk export of complaints: who may, why, masked by default, safe to open in a spreadsheet.

The rules, in one place so every export format (CSV, XLSX, …) applies the same ones:

* only supervisors and admins export, and only with a reason;
* personal fields are masked unless ``unmasked`` is asked for (supervisor or admin, recorded as such);
* every export is recorded in the personal data access log with its row count;
* a cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.exchange import HeaderLanguage, formula_safe
from desktop.domain.masking import mask_field, mask_text
from desktop.services.permissions import case_scope, require
from desktop.services.privacy import ACCESS_COLUMNS, EXPORT, AccessEntry, PersonalDataService, clean_reason
from desktop.services.records import Actor
from desktop.services.transfer import export_records, write_export

FREE_TEXT_COLUMNS = frozenset({"description", "demand", "investigation_notes", "resolution", "followup_comment"})


def authorize_export(actor: Actor, reason: str | None, unmasked: bool) -> str:
    """The cleaned reason when ``actor`` may export (``case.export``, and ``case.export_unmasked`` for
    unmasked data); otherwise ``PermissionDeniedError`` / ``ServiceError``."""
    require(actor, "case.export")
    if unmasked:
        require(actor, "case.export_unmasked")
    return clean_reason(reason)


def neutralise_formula(cell: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: shown as text, never run, by Excel and WPS."""
    return formula_safe(cell)


def mask_row(header: Sequence[str], row: Sequence[str]) -> list[str]:
    """Mask the personal columns of one data line, found by their header name."""
    return [mask_text(value) if name in FREE_TEXT_COLUMNS else mask_field(name, value) or ""
            for name, value in zip(header, row, strict=True)]


def mask_record(record: dict[str, Any]) -> dict[str, Any]:
    """One exported complaint with its personal fields (and numbers inside free text) masked."""
    masked = dict(record)
    for key, value in record.items():
        if not isinstance(value, str):
            continue
        masked[key] = mask_text(value) if key in FREE_TEXT_COLUMNS else mask_field(key, value) or value
    return masked


def export_complaints(sessions: sessionmaker[Session], privacy: PersonalDataService, actor: Actor,
                      target: IO[str] | Path, *, fmt: str, headers: HeaderLanguage, reason: str | None,
                      unmasked: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """The bulk export operation: checked, scoped, masked, formula-safe and recorded; returns the row count.

    Only ``case.export`` (and ``case.export_unmasked`` for full values) with a reason; only the
    cases in the actor's scope; personal data masked unless ``unmasked``; every cell formula-safe
    (``write_export``); recorded in the access log with its row count, a failed export too.
    """
    text = authorize_export(actor, reason, unmasked)
    records = export_records(sessions, scope=case_scope(actor))
    if not unmasked:
        records = (mask_record(record) for record in records)
    count, completed = 0, False
    try:
        count = write_export(records, target, fmt=fmt, headers=headers, progress=progress)
        completed = True
    finally:
        privacy.record(actor, EXPORT, text, {"rows": count, "masked": not unmasked, "format": fmt,
                                             "completed": completed})
    return count


def write_access_log_csv(entries: Iterable[AccessEntry], handle: TextIO) -> int:
    """The access log for an auditor, one line per access (columns ``ACCESS_COLUMNS``); returns the count."""
    writer = csv.writer(handle)
    writer.writerow(ACCESS_COLUMNS)
    count = 0
    for entry in entries:
        row = entry.to_json()
        row["details"] = json.dumps(entry.details, ensure_ascii=False, sort_keys=True)
        writer.writerow([neutralise_formula("" if row[name] is None else str(row[name])) for name in ACCESS_COLUMNS])
        count += 1
    return count
