"""The schema. Names are reviewed once: after the first release they are hard to change."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.store.types import MoneyFen, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="agent")  # agent, supervisor, admin
    team: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Sign-in (desktop/services/identity.py): Argon2id hash, lock-out after repeated failures.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class UserTeam(Base):
    """Further teams a supervisor leads (``users.team`` is the home team)."""

    __tablename__ = "user_teams"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    team: Mapped[str] = mapped_column(String(64), primary_key=True)


class AuditEvent(Base):
    """Account and permission changes: who did what to whom, from which computer."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_login: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[str] = mapped_column(Text, default="{}")
    host: Mapped[str] = mapped_column(String(255))
    # The hash chain (desktop/store/chain.py); NULL only on a row that bypassed the app.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    # Optimistic concurrency: every update bumps it; a stale writer is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_day: Mapped[date] = mapped_column(Date)  # Beijing date; month/day statistics
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    customer_name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(24))
    contact_phone: Mapped[str | None] = mapped_column(String(24))
    id_number: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    demand: Mapped[str] = mapped_column(Text)

    validity: Mapped[str] = mapped_column(String(8), default="valid")
    invalid_reason: Mapped[str | None] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean)
    status_reason: Mapped[str | None] = mapped_column(Text)  # reopen / withdrawal reason
    assigned_agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    investigation_notes: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    compensation: Mapped[Decimal | None] = mapped_column(MoneyFen)
    reply_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reply_method: Mapped[str | None] = mapped_column(String(16))
    followup_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    followup_comment: Mapped[str | None] = mapped_column(Text)
    appeal_date: Mapped[date | None] = mapped_column(Date)
    appeal_reference: Mapped[str | None] = mapped_column(String(64))

    # The reply clock runs from receipt, or from reopening / the regulator's transfer.
    clock_start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reply_due_date: Mapped[date] = mapped_column(Date)
    reply_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ack_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline_rule: Mapped[str] = mapped_column(String(24), default="reply")
    calendar_provisional: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    # A supervisor's approval (migration supervisor_0006): valid only while the resolution and
    # compensation still match ``approval_basis`` (desktop/domain/approval.py).
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_basis: Mapped[str | None] = mapped_column(String(64))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook
    __table_args__ = (
        Index("ix_complaints_open_due", "is_open", "reply_due_at"),
        Index("ix_complaints_agent_open_due", "assigned_agent_id", "is_open", "reply_due_at"),
        Index("ix_complaints_status_due", "status", "reply_due_at"),
        Index("ix_complaints_phone_received", "phone", "received_at"),
        Index("ix_complaints_provisional", "calendar_provisional"),
        # Queue sorting (migration fe1635b53db0): one per sortable column.
        Index("ix_complaints_received", "received_at"),
        Index("ix_complaints_customer", "customer_name"),
        Index("ix_complaints_category", "category"),
        Index("ix_complaints_status", "status"),
        Index("ix_complaints_agent", "assigned_agent_id"),
        Index("ix_complaints_due", "reply_due_at"),
        # The open queue sorted by each column (migration 0015): filter and order from one index.
        Index("ix_complaints_open_number", "is_open", "number"),
        Index("ix_complaints_open_received", "is_open", "received_at"),
        Index("ix_complaints_open_customer", "is_open", "customer_name"),
        Index("ix_complaints_open_phone", "is_open", "phone", "received_at"),
        Index("ix_complaints_open_category", "is_open", "category"),
        Index("ix_complaints_open_status", "is_open", "status"),
        Index("ix_complaints_open_agent", "is_open", "assigned_agent_id"),
        # Statistics (migration 7f992cd3c989): covers every column the period aggregates read.
        # Statistics by period (and the month/category queries the earlier day/category index served).
        Index("ix_complaints_stats", "received_day", "category", "channel", "assigned_agent_id", "is_open",
              "validity", "status", "reply_due_at", "reply_at", "received_at", "satisfaction", "compensation",
              "appeal_date", "phone"),
    )


class QaReview(Base):
    """A quality review (质检) of one sampled case, scored against the site's checklist."""

    __tablename__ = "qa_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), unique=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the case's owner when sampled
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM (Beijing) the case was closed in
    reason: Mapped[str] = mapped_column(String(24))  # random, appeal, low_satisfaction
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    items: Mapped[str] = mapped_column(Text, default="{}")  # JSON: item key -> {"points", "comment"}
    comment: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)  # 0–100, None until scored
    version: Mapped[int] = mapped_column(Integer, default=1)
    sampled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative hook
    __table_args__ = (Index("ix_qa_reviews_month_agent", "month", "agent_id"),)


class StatsDaily(Base):
    """Per Beijing receipt day and breakdown, the additive figures (kept by triggers; stats_summary.py)."""

    __tablename__ = "stats_daily"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)  # category, channel, agent
    key: Mapped[str] = mapped_column(String(24), primary_key=True)  # the code, or the agent's id ('' none)
    received: Mapped[int] = mapped_column(BigInteger, server_default="0")
    valid: Mapped[int] = mapped_column(BigInteger, server_default="0")
    invalid: Mapped[int] = mapped_column(BigInteger, server_default="0")
    open: Mapped[int] = mapped_column(BigInteger, server_default="0")
    replied_on_time: Mapped[int] = mapped_column(BigInteger, server_default="0")
    replied_late: Mapped[int] = mapped_column(BigInteger, server_default="0")
    reply_days_sum: Mapped[float] = mapped_column(Float, server_default="0")
    satisfaction_sum: Mapped[int] = mapped_column(BigInteger, server_default="0")
    satisfaction_count: Mapped[int] = mapped_column(BigInteger, server_default="0")
    appeals: Mapped[int] = mapped_column(BigInteger, server_default="0")
    compensation_fen: Mapped[int] = mapped_column(BigInteger, server_default="0")
    compensation_cases: Mapped[int] = mapped_column(BigInteger, server_default="0")


class StatsOpenDue(Base):
    """Open complaints per receipt day, breakdown and the Beijing day their reply is due (triggers)."""

    __tablename__ = "stats_open_due"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dim: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(24), primary_key=True)
    due_day: Mapped[date] = mapped_column(Date, primary_key=True)
    open_n: Mapped[int] = mapped_column(BigInteger, server_default="0")
    unanswered_n: Mapped[int] = mapped_column(BigInteger, server_default="0")


class PhoneCount(Base):
    """Complaints made from each phone number, ever (triggers): repeat figures read only the numbers above 1."""

    __tablename__ = "phone_counts"

    phone: Mapped[str] = mapped_column(String(24), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, server_default="0")
    __table_args__ = (Index("ix_phone_counts_repeat", "phone", sqlite_where=text("n > 1"),
                            postgresql_where=text("n > 1")),)


class ComplaintLink(Base):
    """An earlier complaint from the same number that an agent linked as related."""

    __tablename__ = "complaint_links"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    linked_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ComplaintEvent(Base):
    """Append-only history: who, when, what changed (JSON of field → [old, new])."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(24))  # created, updated, transition, link, citation, letter, deadline
    action: Mapped[str | None] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    changes: Mapped[str] = mapped_column(Text, default="{}")
    note: Mapped[str | None] = mapped_column(Text)
    # The hash chain (desktop/store/chain.py); NULL only on a row that bypassed the app.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class PersonalDataAccess(Base):
    """Append-only record of who saw or took personal data: reveals, exports, bulk reads (MIIT Order 24 art. 13)."""

    __tablename__ = "personal_data_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    host: Mapped[str] = mapped_column(String(255))  # the PC (socket.gethostname())
    action: Mapped[str] = mapped_column(String(16))  # reveal, copy, export, bulk_read
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    field: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON: row count, masked or not, …
    # The hash chain (desktop/store/chain.py); NULL only on a row that bypassed the app.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        Index("ix_personal_data_access_at", "at"),
        Index("ix_personal_data_access_complaint", "complaint_id"),
    )


class ComplaintCitation(Base):
    """A statute article cited on a case, frozen at the pack version it was cited from."""

    __tablename__ = "complaint_citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    statute_key: Mapped[str] = mapped_column(String(64))
    statute_title: Mapped[str] = mapped_column(String(128))
    article: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    item: Mapped[int | None] = mapped_column(Integer)
    pack_version: Mapped[str] = mapped_column(String(32))
    version_date: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    grade: Mapped[str] = mapped_column(String(16))
    confirmed_by_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("complaint_id", "statute_key", "article", "paragraph", "item", name="uq_citation"),
    )


class CaseTerm(Base):
    """A telling word of a complaint that has citations: how later, similar notes find what it cited."""

    __tablename__ = "case_terms"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True)
    term: Mapped[str] = mapped_column(String(32), primary_key=True)
    __table_args__ = (Index("ix_case_terms_term", "term", "complaint_id"),)


class Letter(Base):
    """A rendered (and usually signed) outcome letter; corrections add revisions, never overwrite."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    signed: Mapped[bool] = mapped_column(Boolean)
    signer: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("complaint_id", "revision", name="uq_letter_revision"),)


class CustomerSignature(Base):
    """Handwritten signature captured at a counter, as vector strokes (JSON)."""

    __tablename__ = "customer_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    strokes: Mapped[str] = mapped_column(Text)
    captured_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime)


class NumberSequence(Base):
    """Per-day counter behind TS-YYYYMMDD-NNNN numbers, incremented atomically."""

    __tablename__ = "number_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class CalendarYearRecord(Base):
    """A holiday schedule an admin imported after the State Council published it."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # the JSON document as imported
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SiteSetting(Base):
    """Settings shared by every seat of a site (rule amounts, operator name, …), JSON values."""

    __tablename__ = "site_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class KeyEvent(Base):
    """Case-independent audit of key and trust changes: CA created, certificate issued or imported,
    CA trusted, law pack signed or imported. Append-only; read by administrators."""

    __tablename__ = "key_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    # The hash chain (desktop/store/chain.py); NULL only on a row that bypassed the app.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class ChainHead(Base):
    """The one row naming the last entry of the history hash chain (desktop/store/chain.py)."""

    __tablename__ = "chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class ChainCheckpoint(Base):
    """A chain head signed with the site audit key (desktop/services/audit.py); append-only."""

    __tablename__ = "chain_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    signer: Mapped[str] = mapped_column(String(64))
    certificate: Mapped[str] = mapped_column(Text)  # PEM of the audit certificate
    signature: Mapped[str] = mapped_column(Text)  # base64 ECDSA/RSA signature over the statement
class ChangeLogEntry(Base):
    """What changed, in commit order, so other seats refresh (issue #9: every seat sees the same truth).

    ``kind`` is the history kind for a case (``subject`` = its number) or ``shared`` for settings,
    calendars and law packs every seat computes with (``subject`` = which). ``origin`` names the process.
    """

    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str | None] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(40))
    __table_args__ = (Index("ix_change_log_kind_seq", "kind", "seq"),)


class LawPackRecord(Base):
    """A statute pack a supervisor imported, shared by every seat (the pack folder as a zip archive)."""

    __tablename__ = "law_packs"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    archive: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewBundleRecord(Base):
    """An offline review bundle: written at export, completed at import (applied once)."""

    __tablename__ = "review_bundles"

    bundle_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    exported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    case_count: Mapped[int] = mapped_column(Integer)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)  # JSON: applied, conflicts (both sides), refused


class ImportJob(Base):
    """One complaint import, staged in short transactions before it is published (desktop/services/transfer.py).

    ``state``: ``staging`` (rows being written to ``import_staging``; discarded if the process dies),
    ``publishing`` (rows moving into ``complaints``; rolled forward to the end if the process dies),
    ``done`` or ``discarded``. ``host``/``pid``/``heartbeat_at`` tell whether the importing process lives.
    """

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text)
    row_count: Mapped[int] = mapped_column(Integer)
    published: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ImportStagedRow(Base):
    """A checked, numbered complaint of an import waiting to be published (the row's values as JSON)."""

    __tablename__ = "import_staging"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    position: Mapped[int] = mapped_column(Integer)
    # Unique across every pending import: two imports cannot bring the same number.
    number: Mapped[str] = mapped_column(String(24), unique=True)
    payload: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_import_staging_import_position", "import_id", "position", unique=True),)
