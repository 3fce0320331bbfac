"""CSV import and export: all rows are checked first and nothing is half-imported."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.intake import INPUT_FIELDS, REQUIRED_FIELDS, ComplaintInput, IntakeError, parse_input
from desktop.domain.validation import field_label
from desktop.i18n import _
from desktop.services.complaints import ComplaintService, utc_now
from desktop.services.records import Actor, ComplaintSummary

EXPORT_FIELDS = ("number", "received_at", "channel", "category", "customer_name", "phone", "status", "agent",
                 "reply_due_date", "reply_due_at", "calendar_provisional", "description")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line number in the file, header = line 1
    field: str
    message: str

    def __str__(self) -> str:
        return _("line {row}, {field}: {message}").format(row=self.row, field=field_label(self.field),
                                                         message=self.message)


class ImportRejectedError(Exception):
    """The file had errors; nothing was stored. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(_("{count} problem(s) found; nothing was imported.").format(count=len(errors)))


def read_text(path: Path) -> str:
    """Excel on a Chinese Windows saves CSV as GB18030 (GBK); other tools write UTF-8, often with a BOM."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejectedError([RowError(1, "input", _("The file is neither UTF-8 nor GB18030 text."))])


def parse_rows(text: str) -> list[ComplaintInput]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [f for f in REQUIRED_FIELDS if f not in header]
    unknown = [h for h in header if h not in INPUT_FIELDS]
    header_errors = [RowError(1, name, _("required column is missing")) for name in missing]
    header_errors += [RowError(1, name, _("unknown column")) for name in unknown]
    if header_errors:
        raise ImportRejectedError(header_errors)
    reader.fieldnames = header
    errors: list[RowError] = []
    inputs: list[ComplaintInput] = []
    now = utc_now()
    for index, row in enumerate(reader, start=2):
        if None in row:
            errors.append(RowError(index, "input", _("more values than columns")))
            continue
        if not any((value or "").strip() for value in row.values()):
            continue  # blank line at the end of a spreadsheet export
        try:
            inputs.append(parse_input({k: v for k, v in row.items() if v not in (None, "")}, now=now))
        except IntakeError as error:
            errors.extend(RowError(index, e.field, e.problem) for e in error.errors)
    if errors:
        raise ImportRejectedError(errors)
    if not inputs:
        raise ImportRejectedError([RowError(1, "input", _("The file has no complaints."))])
    return inputs


def import_csv(complaints: ComplaintService, actor: Actor, path: Path) -> list[str]:
    return complaints.create_many(actor, parse_rows(read_text(path)))


def export_rows(rows: Iterable[ComplaintSummary]) -> Iterator[list[str]]:
    """Data lines only; the header is ``EXPORT_FIELDS``."""
    for r in rows:
        yield [r.number, r.received_at.isoformat(), r.channel, r.category, r.customer_name, r.phone, r.status,
               r.agent_name or "", r.reply_due_date.isoformat(), r.reply_due_at.isoformat(),
               "1" if r.calendar_provisional else "0", r.description]
