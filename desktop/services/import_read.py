"""Reading an import file: CSV in a detected or named encoding, or XLSX; rows parsed by meaning.

Nothing here touches the database. Every problem becomes a ``RowError`` naming the line and the
column as staff know it, so the whole file is checked before anything is stored.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from desktop.domain.datetimes import parse_date, parse_datetime
from desktop.domain.exchange import (
    CODED_COLUMNS,
    DERIVED_COLUMNS,
    code_choices,
    code_for,
    map_headers,
    strip_formula_guard,
)
from desktop.domain.intake import REQUIRED_FIELDS, ComplaintInput, IntakeError, parse_input
from desktop.domain.validation import FieldError, clean_text, field_label
from desktop.domain.work_limit import WorkDeadline
from desktop.i18n import _
from desktop.services.steps import parse_compensation

MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_IMPORT_ROWS = 1_000_000
MAX_ERRORS = 200  # beyond this the report stops listing (the count is still exact)
TEXT_MAX = 4000
_NUMBER = re.compile(r"^TS-(\d{8})-(\d{4,6})$")
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb2312": "gb18030",
             "gb18030": "gb18030", "big5": "big5", "big5hkscs": "big5hkscs", "cp950": "big5"}


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line (CSV) or sheet row (XLSX); the header is row 1; 0 = the whole file
    field: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return _("line {row}, {field}: {message}").format(row=self.row, field=field_label(self.field),
                                                         message=self.message)


class ImportRejectedError(Exception):
    """The file had errors; nothing was stored. ``errors`` lists them (at most ``MAX_ERRORS``)."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = errors[:MAX_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__(_("{count} problem(s) found; nothing was imported.").format(count=self.total))


@dataclass(frozen=True)
class ImportRow:
    line: int
    data: ComplaintInput
    number: str | None = None
    agent: str | None = None
    work: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ImportRow]
    encoding: str  # "UTF-8", "GB18030", "Big5" or "XLSX"
    format: str


def _file_problem(message: str) -> ImportRejectedError:
    return ImportRejectedError([RowError(0, "input", message)])


def decode(raw: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the name of the encoding used; never a silent guess between look-alike encodings."""
    if encoding:
        codec = ENCODINGS.get(encoding.strip().lower())
        if codec is None:
            raise _file_problem(_("Unknown encoding “{name}”; use one of: UTF-8, GBK, GB18030, Big5.").format(
                name=encoding))
        try:
            return raw.decode(codec), codec.upper().replace("-SIG", "")
        except UnicodeDecodeError as error:
            raise _file_problem(_("The file is not valid {name} text (byte {position}).").format(
                name=encoding, position=error.start + 1)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError as error:
            raise _file_problem(_("The file starts as UTF-8 but byte {position} is not UTF-8.").format(
                position=error.start + 1)) from None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    decoded = {}
    for codec in ("gb18030", "big5"):
        try:
            decoded[codec] = raw.decode(codec)
        except UnicodeDecodeError:
            continue
    if len(decoded) == 1:
        codec, text = next(iter(decoded.items()))
        return text, "GB18030" if codec == "gb18030" else "Big5"
    if decoded:
        import charset_normalizer

        best = charset_normalizer.from_bytes(raw, cp_isolation=list(decoded)).best()
        if best is not None and best.encoding in decoded:
            return decoded[best.encoding], "GB18030" if best.encoding == "gb18030" else "Big5"
        raise _file_problem(_("The file could be GBK or Big5 text; name it with --encoding gbk or --encoding big5."))
    raise _file_problem(_("The file is not UTF-8, GBK/GB18030 or Big5 text; name its encoding with --encoding."))


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.tzinfo is None else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float | Decimal):
        return str(value)
    return str(value)


def _csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportRejectedError([RowError(reader.line_num or line, "input", _(
            "the line cannot be read as CSV ({reason}); a cell may exceed 128 KiB or a quote may be unclosed").format(
                reason=error))]) from None


# What a damaged or hostile workbook raises inside openpyxl (zip, XML and cell parsing).
_XLSX_FAILURES: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError, OSError, SyntaxError,
    EOFError, RecursionError)


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    failures = (*_XLSX_FAILURES, InvalidFileException)
    with path.open("rb") as handle:  # a handle, so the file's name (e.g. .csv) does not decide
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except failures as error:
            raise _file_problem(_("The file is not a readable XLSX workbook ({reason}).").format(
                reason=type(error).__name__)) from None
        try:
            if not book.worksheets:
                raise _file_problem(_("The file has no complaints."))
            sheet = book.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            index = 0
            while True:
                try:
                    values = next(rows, None)
                except failures as error:
                    raise _file_problem(_("The file is not a readable XLSX workbook ({reason}).").format(
                        reason=type(error).__name__)) from None
                if values is None:
                    return
                index += 1
                yield index, [_cell_text(v) for v in values]
        finally:
            book.close()


def read_lines(path: Path, *, encoding: str | None = None, fmt: str | None = None) -> tuple[
        Iterator[tuple[int, list[str]]], str, str]:
    """The file's rows as text cells, the encoding used and the format (``csv`` or ``xlsx``)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _file_problem(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    if size > MAX_IMPORT_BYTES:
        raise _file_problem(_("The file has {size} MB; at most {limit} MB can be imported at once.").format(
            size=size // 2**20, limit=MAX_IMPORT_BYTES // 2**20))
    kind = fmt or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    if kind == "xlsx":
        return _xlsx_lines(path), "XLSX", "xlsx"
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise _file_problem(_("Cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    if raw.startswith(b"PK\x03\x04"):
        return _xlsx_lines(path), "XLSX", "xlsx"
    text, used = decode(raw, encoding)
    return _csv_lines(text), used, "csv"


def _work_value(key: str, text: str) -> Any:
    """One workflow column's stored value; raises ``FieldError`` naming it."""
    if key in CODED_COLUMNS:
        code = code_for(key, text)
        if code is None:
            raise FieldError(key, _("“{value}” is not a known value; choose one of: {choices}.").format(
                value=text, choices=code_choices(key)))
        return code
    if key == "compensation":
        return parse_compensation(text)
    if key == "satisfaction":
        if not text.isdigit() or not 1 <= int(text) <= 5:
            raise FieldError(key, _("Satisfaction is a whole number from 1 to 5."))
        return int(text)
    if key in ("reply_at", "followup_at", "closed_at"):
        return parse_datetime(text, key)
    if key == "appeal_date":
        return parse_date(text, key)
    if key == "appeal_reference":
        return clean_text(text, key, max_length=64, multiline=False) or None
    return clean_text(text, key, max_length=TEXT_MAX) or None


def parse_row(line: int, values: dict[str, str], *, now: datetime) -> ImportRow:
    """Turn one row (column key → cell text) into what the store needs; raises ``IntakeError``."""
    errors: list[FieldError] = []
    intake: dict[str, Any] = {}
    work: dict[str, Any] = {}
    number = agent = None
    for key, text in values.items():
        if key in DERIVED_COLUMNS or text == "":
            continue
        if key == "number":
            if not _NUMBER.match(text.upper()):
                errors.append(FieldError("input", _("“{value}” is not a complaint number like TS-20261120-0001.")
                                         .format(value=text)))
            number = text.upper()
        elif key == "agent":
            agent = text
        elif key in ("channel", "category"):
            code = code_for(key, text)
            if code is None:
                errors.append(FieldError(key, _("“{value}” is not a known value; choose one of: {choices}.").format(
                    value=text, choices=code_choices(key))))
            else:
                intake[key] = code
        elif key in ("received_at", "customer_name", "phone", "contact_phone", "id_number", "address",
                     "description", "demand"):
            intake[key] = text
        else:
            try:
                work[key] = _work_value(key, text)
            except FieldError as error:
                errors.append(error)
    try:
        data = parse_input(intake, now=now)
    except IntakeError as error:
        reported = {e.field for e in errors}  # an unknown channel label is not also "missing"
        errors = [e for e in error.errors if e.field not in reported] + errors
    if errors:
        raise IntakeError(errors)
    return ImportRow(line, data, number, agent, work)


def parse_file(path: Path, *, now: datetime, encoding: str | None = None, fmt: str | None = None,
               progress: Callable[[int], None] | None = None, deadline: WorkDeadline | None = None) -> ParsedFile:
    """Read and check every row; raises ``ImportRejectedError`` listing every problem.

    Reading stops with ``WorkTimeoutError`` past ``deadline`` (default: the import limit): a
    workbook's rows are inflated lazily, so a small file can still be slow to read.
    """
    deadline = deadline or WorkDeadline("import")
    lines, used, kind = read_lines(path, encoding=encoding, fmt=fmt)
    deadline.check()
    first = next(lines, None)
    if first is None:
        raise _file_problem(_("The file has no complaints."))
    header_map, header_problems = map_headers(first[1], REQUIRED_FIELDS)
    if header_problems:
        raise ImportRejectedError([RowError(1, "input", p.problem) for p in header_problems])
    keys = header_map.keys
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    total_errors = 0
    seen_numbers: dict[str, int] = {}
    for line, raw_values in lines:
        deadline.check()
        if len(rows) + total_errors >= MAX_IMPORT_ROWS:
            raise _file_problem(_("The file has more than {limit} rows; split it.").format(limit=MAX_IMPORT_ROWS))
        cells = [strip_formula_guard(v.strip()) for v in raw_values]
        if not any(cells):
            continue  # blank line at the end of a spreadsheet export
        if len(cells) > len(keys) and any(cells[len(keys):]):
            total_errors += 1
            errors.append(RowError(line, "input", _("more values than columns")))
            continue
        values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(keys) if key is not None}
        try:
            row = parse_row(line, values, now=now)
        except IntakeError as error:
            total_errors += len(error.errors)
            errors.extend(RowError(line, e.field, e.problem) for e in error.errors)
            continue
        if row.number is not None:
            if row.number in seen_numbers:
                total_errors += 1
                errors.append(RowError(line, "input", _("the number {number} is already on line {line}").format(
                    number=row.number, line=seen_numbers[row.number])))
                continue
            seen_numbers[row.number] = line
        rows.append(row)
        if progress is not None and len(rows) % 5000 == 0:
            progress(len(rows))
    if errors:
        raise ImportRejectedError(errors, total_errors)
    if not rows:
        raise _file_problem(_("The file has no complaints."))
    return ParsedFile(rows, used, kind)


def encoding_names() -> tuple[str, ...]:
    return tuple(sorted(ENCODINGS))

