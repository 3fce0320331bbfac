"""What the case view reads when a case is opened — the record, its history, its citations — as plain
Core rows on one connection.

Opening a case is the desk's most frequent read. Through the ORM it cost a session per part, the
complaint loaded three times and an identity-map object per row: 25 times the SQL's own time on
SQLite, and on PostgreSQL a pool ping, BEGIN and ROLLBACK per session. Here each part is one
indexed statement whose columns map one to one onto the record types, and ``CaseReads.case_file``
reads them all on one connection.

Even as cached Core statements SQLAlchemy's per-execution work (cache key, execution context, result
metadata) cost 25-35 µs a statement on SQLite, five times the indexed lookup, and a session around
them another 30 µs. So each statement is compiled once per seat and dialect (:class:`_Prepared`) and
sent on the pooled connection's DB-API cursor, its columns converted by the same column types a
Core result would use; ``reading`` lends a pooled connection without a session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Dialect, Engine, Select, and_, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.law import Citation, Grade
from desktop.services.errors import NotFoundError
from desktop.services.permissions import case_scope
from desktop.services.records import Actor, ComplaintRecord, EventRecord
from desktop.store.models import Complaint, ComplaintCitation, ComplaintEvent, ComplaintLink, User

# The record's fields in its own order (a row is its positional arguments): the complaint's columns
# of the same name, and the assigned agent's display name.
_RECORD_FIELDS = tuple(f.name for f in fields(ComplaintRecord) if f.name != "linked_numbers")
_RECORD_SELECT = (select(*(User.display_name.label(name) if name == "assigned_agent_name"
                           else getattr(Complaint, name) for name in _RECORD_FIELDS))
                  .outerjoin(User, User.id == Complaint.assigned_agent_id))
_RECORD_ID = _RECORD_FIELDS.index("id")
_LINKS = (select(Complaint.number).join(ComplaintLink, ComplaintLink.linked_id == Complaint.id)
          .where(ComplaintLink.complaint_id == bindparam("complaint_id")).order_by(Complaint.number))
_EVENTS = (select(ComplaintEvent.id, ComplaintEvent.at, User.display_name, ComplaintEvent.kind,
                  ComplaintEvent.action, ComplaintEvent.from_status, ComplaintEvent.to_status,
                  ComplaintEvent.changes, ComplaintEvent.note)
           .join(User, User.id == ComplaintEvent.actor_id)
           .where(ComplaintEvent.complaint_id == bindparam("complaint_id"))
           .order_by(ComplaintEvent.at, ComplaintEvent.id))
_CITATIONS = (select(ComplaintCitation.id, ComplaintCitation.statute_key, ComplaintCitation.statute_title,
                     ComplaintCitation.article, ComplaintCitation.paragraph, ComplaintCitation.item,
                     ComplaintCitation.version_date, ComplaintCitation.text, ComplaintCitation.grade,
                     ComplaintCitation.pack_version, ComplaintCitation.confirmed_by_agent,
                     ComplaintCitation.created_at)
              .where(ComplaintCitation.complaint_id == bindparam("complaint_id"))
              .order_by(ComplaintCitation.id))


@dataclass(frozen=True)
class StoredCitation:
    id: int
    citation: Citation
    pack_version: str
    confirmed_by_agent: bool
    created_at: datetime


@dataclass(frozen=True)
class CaseFile:
    """Everything the case view shows from the store when a case is opened."""

    record: ComplaintRecord
    events: list[EventRecord]
    citations: list[StoredCitation]


class _Prepared:
    """``statement`` rendered once for one dialect, sent on a DB-API cursor with its one varying value.

    The SQL and the fixed parameters (the seat's scope) are rendered as SQLAlchemy renders them for
    an execution, and each column gets the result processor of its own type, as a Core result applies
    it: the values are the same. ``Connection._cursor_execute`` sends it, SQLAlchemy's own path for
    statements it sends outside an execution context: the cursor events fire (what the benchmark
    captures), the engine's echo logs, and driver errors come wrapped as SQLAlchemy errors (a lost
    PostgreSQL connection is invalidated). ``_cursor_execute`` and ``_handle_dbapi_exception`` are
    SQLAlchemy's internal names; tests/services/test_case_reads.py checks this path against Core.
    """

    def __init__(self, statement: Select[*tuple[Any, ...]], dialect: Dialect, variable: str) -> None:
        expanded = statement.compile(dialect=dialect).construct_expanded_state({variable: None})
        bind = expanded.processors
        fixed = {name: bind[name](value) if name in bind else value for name, value in expanded.parameters.items()}
        self.sql = expanded.statement
        self._bind = bind.get(variable)
        self._variable = variable
        self._fixed = fixed
        self._template: tuple[Any, ...] | None = None  # positional: the parameters in order
        self._slots: tuple[int, ...] = ()  # where the varying value goes among them
        if dialect.positional:
            assert expanded.positiontup is not None  # a positional dialect lists its parameters in order
            self._template = tuple(fixed[name] for name in expanded.positiontup)
            self._slots = tuple(i for i, name in enumerate(expanded.positiontup) if name == variable)
        self._dialect = dialect
        self._types = [column.type for column in statement.selected_columns]
        self._processors: list[tuple[int, Callable[[Any], Any]]] | None = None

    def parameters(self, value: Any) -> Any:
        if self._bind is not None:
            value = self._bind(value)
        if self._template is None:
            return {**self._fixed, self._variable: value}
        if len(self._template) == 1:
            return (value,)
        values = list(self._template)
        for slot in self._slots:
            values[slot] = value
        return tuple(values)

    def rows(self, connection: Connection, cursor: Any, value: Any) -> list[Sequence[Any]]:
        parameters = self.parameters(value)
        connection._cursor_execute(cursor, self.sql, parameters)
        try:
            fetched: list[Sequence[Any]] = cursor.fetchall()
        except Exception as error:
            connection._handle_dbapi_exception(error, self.sql, parameters, cursor, None)
        processors = self._processors
        if processors is None:  # from the first result's column types (PostgreSQL's depend on them)
            processors = self._processors = self._result_processors(cursor.description)
        if not processors:
            return fetched
        converted: list[Sequence[Any]] = []
        for row in fetched:
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            converted.append(values)
        return converted

    def _result_processors(self, description: Sequence[Sequence[Any]]) -> list[tuple[int, Callable[[Any], Any]]]:
        dialect = self._dialect
        found: list[tuple[int, Callable[[Any], Any]]] = []
        for index, (type_, column) in enumerate(zip(self._types, description, strict=True)):
            process = type_.dialect_impl(dialect).result_processor(dialect, column[1])
            if process is not None:
                found.append((index, process))
        return found


class _Statement:
    """A select with one varying parameter ``variable``, prepared once per dialect it runs on."""

    def __init__(self, statement: Select[*tuple[Any, ...]], variable: str) -> None:
        self._statement = statement
        self._variable = variable
        self._prepared: dict[tuple[type[Dialect], str], _Prepared] = {}

    def rows(self, connection: Connection, cursor: Any, value: Any) -> list[Sequence[Any]]:
        dialect = connection.dialect
        key = (type(dialect), dialect.paramstyle)
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = _Prepared(self._statement, dialect, self._variable)
        return prepared.rows(connection, cursor, value)


_LINKS_READ = _Statement(_LINKS, "complaint_id")
_EVENTS_READ = _Statement(_EVENTS, "complaint_id")
_CITATIONS_READ = _Statement(_CITATIONS, "complaint_id")


class CaseReads:
    """The statements for one seat, prepared once: the case scope is the seat's."""

    def __init__(self, actor: Actor) -> None:
        scope = case_scope(actor)
        self._hidden = scope is not None
        by_number = Complaint.number == bindparam("number")
        where = by_number if scope is None else and_(by_number, scope)
        self._record = _Statement(_RECORD_SELECT.where(where), "number")
        self._id = _Statement(select(Complaint.id).where(where), "number")

    def _not_found(self, number: str) -> NotFoundError:
        # Missing and out-of-scope cases get the same answer, so other teams' numbers cannot be probed.
        return NotFoundError(number, hidden=self._hidden)

    def record(self, connection: Connection, number: str) -> ComplaintRecord:
        """The case ``number`` as the seat may see it, or ``NotFoundError`` (two indexed statements)."""
        return _on_own_cursor(self._read_record, connection, number)

    def _read_record(self, connection: Connection, cursor: Any, number: str) -> ComplaintRecord:
        rows = self._record.rows(connection, cursor, _normalized(number))
        if not rows:
            raise self._not_found(number)
        values = rows[0]
        linked = tuple(row[0] for row in _LINKS_READ.rows(connection, cursor, values[_RECORD_ID]))
        arguments = (*values, linked)  # linked_numbers is the record's last field
        return ComplaintRecord(*arguments)

    def case_id(self, connection: Connection, number: str) -> int:
        """The id of case ``number`` within the seat's scope (index only), or ``NotFoundError``."""
        rows = _on_own_cursor(self._id.rows, connection, _normalized(number))
        if not rows:
            raise self._not_found(number)
        return int(rows[0][0])

    def case_file(self, connection: Connection, number: str) -> CaseFile:
        """Record, history and citations of one case: four indexed statements on one cursor."""
        return _on_own_cursor(self._read_case_file, connection, number)

    def _read_case_file(self, connection: Connection, cursor: Any, number: str) -> CaseFile:
        record = self._read_record(connection, cursor, number)
        return CaseFile(record, _events(connection, cursor, record.id), _citations(connection, cursor, record.id))


@contextmanager
def reading(sessions: sessionmaker[Session]) -> Iterator[Connection]:
    """A pooled connection for these reads, without a session (making and closing one cost more than
    the reads) and without a transaction (see ``read_connection``). A factory bound to anything but
    an engine reads through a session's connection."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        with sessions() as session:
            yield read_connection(session)
        return
    with bind.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


def read_connection(session: Session) -> Connection:
    """The session's connection for these reads, without a transaction around them.

    A transaction would not make them one snapshot (PostgreSQL's READ COMMITTED takes one per
    statement; pysqlite starts none for a SELECT), but on PostgreSQL its BEGIN and ROLLBACK are two
    more round trips to the server than the four statements themselves. SQLite keeps the default:
    switching its isolation level costs a PRAGMA each way and saves nothing.
    """
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session.connection()


def _normalized(number: str) -> str:
    return number.strip().upper()


_Key = TypeVar("_Key")
_Read = TypeVar("_Read")


def _on_own_cursor(read: Callable[[Connection, Any, _Key], _Read], connection: Connection, key: _Key) -> _Read:
    """``read`` on a DB-API cursor of ``connection`` that is closed after it (a plain try, not a
    context manager: this is the case-open path, counted in microseconds)."""
    cursor = connection.connection.cursor()
    try:
        return read(connection, cursor, key)
    finally:
        cursor.close()


def read_events(connection: Connection, complaint_id: int) -> list[EventRecord]:
    """The case's history, oldest first, with each actor's display name."""
    return _on_own_cursor(_events, connection, complaint_id)


def _events(connection: Connection, cursor: Any, complaint_id: int) -> list[EventRecord]:
    rows = _EVENTS_READ.rows(connection, cursor, complaint_id)
    decode = EventRecord.decode_changes
    return [EventRecord(id=row[0], at=row[1], actor_name=row[2], kind=row[3], action=row[4], from_status=row[5],
                        to_status=row[6], changes=decode(row[7]), note=row[8]) for row in rows]


def read_citations(connection: Connection, complaint_id: int) -> list[StoredCitation]:
    """The statute citations on the case, in the order they were attached."""
    return _on_own_cursor(_citations, connection, complaint_id)


def _citations(connection: Connection, cursor: Any, complaint_id: int) -> list[StoredCitation]:
    return [_citation(row) for row in _CITATIONS_READ.rows(connection, cursor, complaint_id)]


def _citation(row: Sequence[Any]) -> StoredCitation:
    id_, key, title, article, paragraph, item, version_date, text, grade, pack_version, confirmed, created_at = row
    citation = Citation(statute_key=key, statute_title=title, article=article, paragraph=paragraph, item=item,
                        version_date=version_date, text=text, grade=Grade(grade))
    return StoredCitation(id=id_, citation=citation, pack_version=pack_version, confirmed_by_agent=confirmed,
                          created_at=created_at)
