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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TextIO

from desktop.domain.masking import mask_field, mask_text
from desktop.services.permissions import require
from desktop.services.privacy import ACCESS_COLUMNS, EXPORT, AccessEntry, PersonalDataService, clean_reason
from desktop.services.records import Actor, ComplaintSummary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FREE_TEXT_COLUMNS = frozenset({"description", "demand", "investigation_notes", "resolution", "followup_comment"})
PAGE = 5000


def authorize_export(actor: Actor, reason: str | None, unmasked: bool) -> str:
    """The cleaned reason when ``actor`` may export (``case.export``, and ``case.export_unmasked`` for
    unmasked data); otherwise ``PermissionDeniedError`` / ``ServiceError``."""
    require(actor, "case.export")
    if unmasked:
        require(actor, "case.export_unmasked")
    return clean_reason(reason)


def neutralise_formula(cell: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: shown as text, never run, by Excel and WPS."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def mask_row(header: Sequence[str], row: Sequence[str]) -> list[str]:
    """Mask the personal columns of one data line, found by their header name."""
    return [mask_text(value) if name in FREE_TEXT_COLUMNS else mask_field(name, value) or ""
            for name, value in zip(header, row, strict=True)]


def prepare_row(header: Sequence[str], row: Sequence[str], *, masked: bool = True) -> list[str]:
    cells = mask_row(header, row) if masked else list(row)
    return [neutralise_formula(cell) for cell in cells]


def export_complaints(privacy: PersonalDataService, actor: Actor,
                      pages: Callable[[int, int], list[ComplaintSummary]],
                      to_rows: Callable[[Iterable[ComplaintSummary]], Iterator[list[str]]],
                      header: Sequence[str], write: Callable[[list[list[str]]], None], *,
                      reason: str | None, unmasked: bool = False, file_format: str = "csv") -> int:
    """Check, write every complaint page by page, record the export; returns the row count.

    ``pages(limit, offset)`` reads complaints, ``to_rows`` turns them into data lines in ``header``
    order, ``write`` stores prepared lines. An export that fails half-way is recorded too.
    """
    text = authorize_export(actor, reason, unmasked)
    count, completed = 0, False
    try:
        offset = 0
        while True:
            rows = pages(PAGE, offset)
            write([prepare_row(header, line, masked=not unmasked) for line in to_rows(rows)])
            count += len(rows)
            if len(rows) < PAGE:
                break
            offset += PAGE
        completed = True
    finally:
        privacy.record(actor, EXPORT, text, {"rows": count, "masked": not unmasked, "format": file_format,
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
