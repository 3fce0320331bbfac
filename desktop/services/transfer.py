"""Import and export of complaints (CSV and XLSX): all rows checked first, nothing half-imported.

``import_file`` reads and checks the whole file (``import_read``), then stores every row or none,
in short transactions (``import_journal``: staged, then published, rolled forward after a crash).
``export_records`` yields one dict per complaint (column key →
value, full values) and ``write_export`` writes them; an export policy can wrap or filter the
records between the two without touching either.
"""

from __future__ import annotations

import csv
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.codes import OPEN_STATUSES, Status
from desktop.domain.deadlines import BEIJING, DueDates, compute_deadline
from desktop.domain.exchange import (
    CODED_COLUMNS,
    EXPORT_COLUMNS,
    HeaderLanguage,
    code_label,
    formula_safe,
    header_label,
)
from desktop.i18n import _
from desktop.services.case_rows import highest_serials
from desktop.services.complaints import ComplaintService, rule_code_for, utc_now
from desktop.services.import_journal import (
    Batching,
    ImportCancelledError,
    ImportInterruptedError,
    StoredImport,
    begin_publishing,
    discard,
    open_journal,
    publish,
    recover_imports,
    running,
    stage_rows,
)
from desktop.services.import_read import (
    ImportRejectedError,
    ImportRow,
    RowError,
    parse_file,
)
from desktop.services.records import Actor
from desktop.services.write_batches import WriteClock
from desktop.store.models import (
    Complaint,
    ComplaintCitation,
    ComplaintEvent,
    ComplaintLink,
    ImportStagedRow,
    NumberSequence,
    User,
)

__all__ = ["ImportCancelledError", "ImportRejectedError", "ImportSummary", "RowError", "export_records",
           "import_file", "write_export"]

EXPORT_PAGE = 5000
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class ImportSummary:
    numbers: list[str]
    encoding: str
    format: str
    longest_write: float = 0.0  # seconds: the longest write transaction (BEGIN to end of COMMIT)
    transactions: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: check, prepare, stage, publish

    def to_json(self) -> dict[str, Any]:
        return {"imported": len(self.numbers), "encoding": self.encoding, "format": self.format,
                "longest_write_ms": round(self.longest_write * 1000), "write_transactions": self.transactions,
                "seconds": {phase: round(value, 1) for phase, value in self.seconds.items()},
                "numbers": self.numbers}


def import_file(sessions: sessionmaker[Session], complaints: ComplaintService, actor: Actor, path: Path, *,
                encoding: str | None = None, fmt: str | None = None, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None, batching: Batching | None = None) -> ImportSummary:
    """Check ``path`` completely, then store all of it or nothing (``ImportRejectedError``).

    ``should_stop`` is asked between batches until publishing starts (``ImportCancelledError``).
    """
    started = time.perf_counter()
    parsed = parse_file(path, now=utc_now(), encoding=encoding, fmt=fmt,
                        progress=(lambda n: progress("check", n, 0)) if progress else None)
    checked = time.perf_counter() - started
    stored = store_rows(sessions, complaints, actor, parsed.rows, note=_("Imported from {name}.").format(
        name=path.name), file_name=path.name, progress=progress, should_stop=should_stop, batching=batching)
    return ImportSummary(stored.numbers, parsed.encoding, parsed.format, stored.clock.longest,
                         stored.clock.transactions, {"check": checked, **stored.seconds})


def _allocate_numbers(session: Session, rows: list[ImportRow]) -> list[str]:
    """Numbers for rows that bring none; numbers a file brings must be free and advance the day's counter."""
    days = {row.data.received_at.astimezone(BEIJING).strftime("%Y%m%d") for row in rows}
    days.update(row.number[3:11] for row in rows if row.number is not None)
    counters = select(NumberSequence.day, NumberSequence.last).where(NumberSequence.day.in_(sorted(days)))
    if session.get_bind().dialect.name == "sqlite":
        # Take the write lock before reading the counters, so no seat issues a number in between.
        session.execute(update(NumberSequence).where(NumberSequence.day == "").values(last=NumberSequence.last))
    else:
        counters = counters.with_for_update()
    existing = {d: last for d, last in session.execute(counters)}
    last = dict(existing)
    # A counter behind its day's stored numbers (a store restored or loaded by other tools) would
    # hand out a number that exists. Publishing cannot refuse a row any more, so the numbers
    # are made free here: each day continues after the highest number stored for it.
    for day, stored in highest_serials(session, sorted(days)).items():
        last[day] = max(last.get(day, 0), stored)
    for row in rows:
        if row.number is not None:
            day, serial = row.number[3:11], int(row.number[12:])
            last[day] = max(last.get(day, 0), serial)
    result: list[str] = []
    for row in rows:
        if row.number is not None:
            result.append(row.number)
            continue
        day = row.data.received_at.astimezone(BEIJING).strftime("%Y%m%d")
        last[day] = last.get(day, 0) + 1
        result.append(f"TS-{day}-{last[day]:04d}")
    for day, value in last.items():
        if day in existing:
            if value != existing[day]:
                session.execute(update(NumberSequence).where(NumberSequence.day == day).values(last=value))
        else:
            session.add(NumberSequence(day=day, last=value))
    session.flush()
    return result


def _agents(session: Session, rows: list[ImportRow]) -> dict[str, int]:
    wanted = {row.agent for row in rows if row.agent}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    for user_id, login, name in session.execute(select(User.id, User.login, User.display_name)):
        found.setdefault(login, user_id)
        found.setdefault(name, user_id)
    return found


def _check_against_store(session: Session, rows: list[ImportRow], agents: dict[str, int]) -> None:
    errors: list[RowError] = []
    given = [row for row in rows if row.number is not None]
    taken: set[str] = set()
    for start in range(0, len(given), 500):
        chunk = [row.number for row in given[start:start + 500] if row.number]
        taken.update(session.execute(select(Complaint.number).where(Complaint.number.in_(chunk))).scalars())
        # A number another import is publishing right now is as taken as a stored one.
        taken.update(session.execute(select(ImportStagedRow.number).where(
            ImportStagedRow.number.in_(chunk))).scalars())
    for row in rows:
        if row.number in taken:
            errors.append(RowError(row.line, "input", _("complaint {number} already exists").format(number=row.number)))
        if row.agent and row.agent not in agents:
            errors.append(RowError(row.line, "input", _("no user “{name}” to assign the complaint to").format(
                name=row.agent)))
    if errors:
        raise ImportRejectedError(errors)


def _complaint_values(row: ImportRow, deadlines: DueDates, actor: Actor, agents: dict[str, int],
                      now: datetime) -> dict[str, Any]:
    data, work = row.data, row.work
    status = Status(work.get("status", Status.REGISTERED.value))
    appeal = work.get("appeal_date")
    rule = "regulator" if appeal is not None else rule_code_for(data.channel, data.category)
    start = datetime.combine(appeal, datetime.min.time(), BEIJING) if appeal is not None else data.received_at
    reply = deadlines(rule, start)
    ack = deadlines("acknowledge", data.received_at)
    validity = work.get("validity") or ("invalid" if status == Status.INVALID else "valid")
    return {
        "uuid": str(uuid.uuid4()), "number": None, "version": 1,
        "received_at": data.received_at, "received_day": data.received_at.astimezone(BEIJING).date(),
        "channel": str(data.channel), "category": str(data.category), "customer_name": data.customer_name,
        "phone": data.phone, "contact_phone": data.contact_phone, "id_number": data.id_number,
        "address": data.address, "description": data.description, "demand": data.demand,
        "validity": validity, "invalid_reason": work.get("invalid_reason"), "status": status.value,
        "is_open": status in OPEN_STATUSES, "status_reason": work.get("status_reason"),
        "assigned_agent_id": agents[row.agent] if row.agent else actor.id,
        "investigation_notes": work.get("investigation_notes"), "resolution": work.get("resolution"),
        "compensation": work.get("compensation"), "reply_at": work.get("reply_at"),
        "reply_method": work.get("reply_method"), "followup_at": work.get("followup_at"),
        "satisfaction": work.get("satisfaction"), "followup_comment": work.get("followup_comment"),
        "appeal_date": appeal, "appeal_reference": work.get("appeal_reference"),
        "clock_start_at": start, "reply_due_date": reply.due_date, "reply_due_at": reply.due_at,
        "ack_due_at": ack.due_at, "deadline_rule": rule, "calendar_provisional": reply.provisional,
        "created_at": now, "created_by_id": actor.id, "updated_at": now, "closed_at": work.get("closed_at"),
    }


def store_rows(sessions: sessionmaker[Session], complaints: ComplaintService, actor: Actor, rows: list[ImportRow],
               *, note: str, file_name: str = "", progress: Progress | None = None,
               should_stop: Callable[[], bool] | None = None, batching: Batching | None = None) -> StoredImport:
    """Every row is stored or none is, in short transactions (``import_journal``: staged, then published).

    Everything that needs no database (deadlines, the row values) is prepared before any
    transaction. Cancelling (``should_stop``) is honoured until publishing starts.
    """
    batching = batching or Batching()
    phase = time.perf_counter()
    seconds: dict[str, float] = {}
    recover_imports(sessions, batching=batching)  # an earlier import cut off: finish or discard it first
    now = utc_now()
    with sessions() as session:
        agents = _agents(session, rows)
    # The rules and the calendar read once: each access revalidates them against the store (a
    # query), and the whole import is one operation under one set of them.
    rules, calendar = complaints.rules, complaints.calendar
    deadlines = DueDates(rules, lambda code, start: compute_deadline(rules[code], start, calendar))
    values = [_complaint_values(row, deadlines, actor, agents, now) for row in rows]
    clock = WriteClock()
    with clock.transaction(sessions) as session:
        if session.get_bind().dialect.name == "sqlite":
            # The write lock first: no seat may take a number this file brings between the check and
            # the allocation.
            session.execute(update(NumberSequence).where(NumberSequence.day == "").values(last=NumberSequence.last))
        _check_against_store(session, rows, agents)
        numbers = _allocate_numbers(session, rows)
        job_id = open_journal(session, actor.id, file_name, note, len(rows), now)
    for value, number in zip(values, numbers, strict=True):
        value["number"] = number
    # Published in order of receipt: a batch then covers a few days, so it touches few pages of the
    # time-ordered indexes and few per-day statistics rows (a file in no order would touch all of them
    # in every batch). The numbers were allocated in file order above and stay as they are.
    values.sort(key=lambda value: value["received_at"])
    seconds["prepare"], phase = time.perf_counter() - phase, time.perf_counter()
    with running(job_id):
        stage_rows(sessions, job_id, values, clock=clock, batching=batching, progress=progress,
                   should_stop=should_stop)
        del values  # the staged copy is what is published
        seconds["stage"], phase = time.perf_counter() - phase, time.perf_counter()
        try:
            begin_publishing(sessions, job_id, clock)
        except BaseException:
            discard(sessions, job_id, clock=clock)  # still staging: nothing was published
            raise
        try:
            publish(sessions, job_id, clock=clock, batching=batching, progress=progress)
        except (SQLAlchemyError, OSError) as error:
            # Part of the file is in the store; the rest is staged and the journal says "publishing".
            raise ImportInterruptedError(str(getattr(error, "orig", None) or error).splitlines()[0]) from error
    seconds["publish"] = time.perf_counter() - phase
    return StoredImport(numbers, clock, seconds)


# -- export ------------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _history_summary(events: list[tuple[datetime, str, str | None]]) -> str:
    parts = []
    for at, kind, action in events:
        parts.append(f"{at.astimezone(BEIJING):%Y-%m-%d %H:%M} {action or kind}")
    return "; ".join(parts)


def export_records(sessions: sessionmaker[Session], *, scope: ColumnElement[bool] | None = None,
                   page: int = EXPORT_PAGE) -> Iterator[dict[str, Any]]:
    """Every complaint (within ``scope``) as column key → stored value (full values; Beijing times are
    applied on writing). The export policy (desktop/services/export_policy.py) decides who, which and how."""
    columns = [c for c in Complaint.__table__.c if c.key in EXPORT_COLUMNS]
    last_id = 0
    with sessions() as session:
        while True:
            rows = session.execute(
                select(Complaint.id, *columns, User.login.label("agent"))
                .outerjoin(User, User.id == Complaint.assigned_agent_id)
                .where(Complaint.id > last_id, *(() if scope is None else (scope,)))
                .order_by(Complaint.id).limit(page)).mappings().all()
            if not rows:
                return
            ids = [r["id"] for r in rows]
            citations: dict[int, list[str]] = {}
            for cid, title, article, paragraph in session.execute(
                    select(ComplaintCitation.complaint_id, ComplaintCitation.statute_title, ComplaintCitation.article,
                           ComplaintCitation.paragraph).where(ComplaintCitation.complaint_id.in_(ids))
                    .order_by(ComplaintCitation.id)):
                cited = f"《{title}》第{article}条" + (f"第{paragraph}款" if paragraph else "")
                citations.setdefault(cid, []).append(cited)
            linked: dict[int, list[str]] = {}
            for cid, number in session.execute(
                    select(ComplaintLink.complaint_id, Complaint.number)
                    .join(Complaint, Complaint.id == ComplaintLink.linked_id)
                    .where(ComplaintLink.complaint_id.in_(ids))):
                linked.setdefault(cid, []).append(number)
            history: dict[int, list[tuple[datetime, str, str | None]]] = {}
            for cid, at, kind, action in session.execute(
                    select(ComplaintEvent.complaint_id, ComplaintEvent.at, ComplaintEvent.kind, ComplaintEvent.action)
                    .where(ComplaintEvent.complaint_id.in_(ids)).order_by(ComplaintEvent.id)):
                history.setdefault(cid, []).append((at, kind, action))
            for r in rows:
                record = {key: r[key] for key in EXPORT_COLUMNS if key in r}
                record["citations"] = "; ".join(citations.get(r["id"], []))
                record["linked"] = " ".join(sorted(linked.get(r["id"], [])))
                record["history"] = _history_summary(history.get(r["id"], []))
                yield record
            last_id = ids[-1]


def export_cells(record: dict[str, Any], headers: HeaderLanguage) -> list[str]:
    """One record as the cells of a row, codes as labels for people, formula-safe."""
    cells = []
    for key in EXPORT_COLUMNS:
        value = record.get(key)
        text = code_label(key, value or "", headers) if key in CODED_COLUMNS else _text(value)
        cells.append(formula_safe(text))
    return cells


def write_export(records: Iterable[dict[str, Any]], out: IO[str] | Path, *, fmt: str = "csv",
                 headers: HeaderLanguage = HeaderLanguage.ZH,
                 progress: Callable[[int], None] | None = None) -> int:
    """Write ``records`` as CSV (UTF-8 with BOM, for Excel on a Chinese PC) or XLSX; returns the row count."""
    header_row = [header_label(key, headers) for key in EXPORT_COLUMNS]
    if fmt == "xlsx":
        from openpyxl import Workbook

        if not isinstance(out, Path):
            raise ValueError("XLSX needs a file path")
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Complaints"))
        sheet.append(header_row)
        count = _append_rows(sheet.append, records, headers, progress)
        book.save(out)
        return count
    handle = out.open("w", encoding="utf-8-sig", newline="") if isinstance(out, Path) else out
    try:
        writer = csv.writer(handle)
        writer.writerow(header_row)
        count = _append_rows(writer.writerow, records, headers, progress)
    finally:
        if isinstance(out, Path):
            handle.close()
    return count


def _append_rows(append: Callable[[list[str]], object], records: Iterable[dict[str, Any]],
                 headers: HeaderLanguage, progress: Callable[[int], None] | None) -> int:
    count = 0
    for record in records:
        append(export_cells(record, headers))
        count += 1
        if progress is not None and count % EXPORT_PAGE == 0:
            progress(count)
    return count


def count_complaints(sessions: sessionmaker[Session], scope: ColumnElement[bool] | None = None) -> int:
    with sessions() as session:
        query = select(func.count(Complaint.id))
        return int(session.execute(query if scope is None else query.where(scope)).scalar_one())

