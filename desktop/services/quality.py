"""Quality review (质检): draw a monthly sample of closed cases, score it, show agents their reviews."""

from __future__ import annotations

import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.domain.quality import DEFAULT_CHECKLIST, ChecklistError, ChecklistItem, parse_checklist, score_review
from desktop.domain.validation import FieldError
from desktop.i18n import _
from desktop.services.approvals import require_supervisor_of
from desktop.services.case_rows import add_event, load_complaint
from desktop.services.errors import PermissionDeniedError, ServiceError
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.models import Complaint, QaReview, SiteSetting, User

QA_CHECKLIST_KEY = "qa_checklist"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class QaReviewRecord:
    number: str
    agent_name: str | None
    month: str
    reason: str
    reviewer_name: str | None
    items: dict[str, dict[str, Any]]  # key -> {"points": int, "comment": str | None}
    comment: str | None
    score: float | None
    version: int
    scored_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "agent": self.agent_name, "month": self.month, "reason": self.reason,
                "reviewer": self.reviewer_name, "items": self.items, "comment": self.comment, "score": self.score,
                "version": self.version, "scored_at": None if self.scored_at is None else self.scored_at.isoformat()}


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """UTC instants of the start of a Beijing month and of the next one."""
    match = _MONTH.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise FieldError("month", _("“{value}” is not a month like 2026-11.").format(value=month))
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1, tzinfo=BEIJING)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=BEIJING)
    return start.astimezone(UTC), end.astimezone(UTC)


def load_checklist(session: Session) -> list[ChecklistItem]:
    row = session.get(SiteSetting, QA_CHECKLIST_KEY)
    try:
        return parse_checklist(json.loads(row.value) if row is not None else list(DEFAULT_CHECKLIST))
    except (ChecklistError, ValueError):
        return parse_checklist(list(DEFAULT_CHECKLIST))


class QualityService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def checklist(self) -> list[ChecklistItem]:
        with self._sessions() as session:
            return load_checklist(session)

    @guarded("qa.review")
    def draw_sample(self, actor: Actor, month: str, percent: float = 5.0, *, seed: int | None = None) -> list[str]:
        """Sample the cases closed in ``month``: ``percent`` of each agent's (at least one), plus every
        case with an appeal or a satisfaction of 2 or lower. Cases sampled before are kept, not redrawn.
        """
        require_supervisor_of(actor, None)
        if not 0 < percent <= 100:
            raise FieldError("percent", _("The sample is a percentage above 0 and at most 100."))
        start, end = month_bounds(month)
        picker = random.Random(seed)
        c = Complaint
        with self._sessions.begin() as session:
            rows = session.execute(
                select(c.id, c.number, c.assigned_agent_id, c.appeal_date, c.satisfaction)
                .where(c.status == Status.CLOSED.value, c.closed_at >= start, c.closed_at < end)
                .order_by(c.id)
            ).all()
            ids = [r.id for r in rows]
            sampled_before = set(session.execute(
                select(QaReview.complaint_id).where(QaReview.complaint_id.in_(ids))).scalars()) if ids else set()
            if actor.role == "supervisor" and actor.team is not None:
                team = set(session.execute(select(User.id).where(User.team == actor.team)).scalars())
                rows = [r for r in rows if r.assigned_agent_id in team]
            chosen: dict[int, tuple[Any, str]] = {}
            for r in rows:
                if r.id in sampled_before:
                    continue
                if r.appeal_date is not None:
                    chosen[r.id] = (r, "appeal")
                elif r.satisfaction is not None and r.satisfaction <= 2:
                    chosen[r.id] = (r, "low_satisfaction")
            per_agent: dict[int | None, list[Any]] = defaultdict(list)
            for r in rows:
                per_agent[r.assigned_agent_id].append(r)
            for cases in per_agent.values():
                wanted = math.ceil(len(cases) * percent / 100)
                already = sum(1 for r in cases if r.id in chosen or r.id in sampled_before)
                pool = [r for r in cases if r.id not in chosen and r.id not in sampled_before]
                for r in picker.sample(pool, max(0, min(len(pool), wanted - already))):
                    chosen[r.id] = (r, "random")
            now = datetime.now(UTC)
            for r, reason in chosen.values():
                session.add(QaReview(complaint_id=r.id, agent_id=r.assigned_agent_id, month=month.strip(),
                                     reason=reason, items="{}", sampled_at=now))
            return sorted(r.number for r, _reason in chosen.values())

    @guarded("qa.review")
    def score(self, actor: Actor, number: str, points: Mapping[str, Any], *,
              item_comments: Mapping[str, str] | None = None, comment: str | None = None,
              expected_version: int | None = None) -> QaReviewRecord:
        """Score a sampled case against the checklist (a new score replaces the earlier one)."""
        with self._sessions.begin() as session:
            row = load_complaint(session, number)
            review = session.execute(select(QaReview).where(QaReview.complaint_id == row.id)).scalar_one_or_none()
            if review is None:
                raise ServiceError(_("Complaint {number} is not in a quality review sample.").format(number=row.number))
            team = None if review.agent_id is None else session.execute(
                select(User.team).where(User.id == review.agent_id)).scalar_one_or_none()
            require_supervisor_of(actor, team)
            if review.agent_id == actor.id:
                raise PermissionDeniedError(_("Nobody reviews their own case."))
            if expected_version is not None and review.version != expected_version:
                raise ServiceError(_("The review of {number} was changed by someone else; open it again.")
                                   .format(number=row.number))
            try:
                given, total = score_review(load_checklist(session), points)
            except ChecklistError as error:
                raise FieldError("points", str(error)) from None
            notes = dict(item_comments or {})
            review.items = json.dumps({key: {"points": value, "comment": (notes.get(key) or "").strip() or None}
                                       for key, value in given.items()}, ensure_ascii=False)
            review.comment = (comment or "").strip() or None
            review.score = total
            review.reviewer_id = actor.id
            review.scored_at = datetime.now(UTC)
            session.flush()
            add_event(session, row.id, actor, "qa_review", changes={"qa_score": [None, total]}, note=review.comment)
            return self._records(session, [review.id])[0]

    @guarded("qa.read")
    def reviews(self, actor: Actor, month: str | None = None) -> list[QaReviewRecord]:
        """Supervisors see the reviews of their teams; an agent sees the reviews of their own cases."""
        query = select(QaReview.id).order_by(QaReview.month, QaReview.id)
        if month:
            month_bounds(month)
            query = query.where(QaReview.month == month.strip())
        if not actor.is_supervisor:
            query = query.where(QaReview.agent_id == actor.id)
        elif actor.role == "supervisor" and actor.team is not None:
            query = query.where(or_(QaReview.agent_id.in_(select(User.id).where(User.team == actor.team)),
                                    QaReview.agent_id.is_(None)))
        with self._sessions() as session:
            return self._records(session, list(session.execute(query).scalars()))

    def average_score(self, start: date, end: date, agent_id: int | None = None) -> tuple[float | None, int]:
        """Average score of the scored reviews of cases received (Beijing day) in [start, end], and their count."""
        query = (select(func.avg(QaReview.score), func.count(QaReview.score))
                 .join(Complaint, Complaint.id == QaReview.complaint_id)
                 .where(Complaint.received_day.between(start, end), QaReview.score.is_not(None)))
        if agent_id is not None:
            query = query.where(QaReview.agent_id == agent_id)
        with self._sessions() as session:
            average, count = session.execute(query).one()
            return (None if average is None else float(average)), int(count)

    @staticmethod
    def _records(session: Session, ids: list[int]) -> list[QaReviewRecord]:
        if not ids:
            return []
        agent, reviewer = aliased(User), aliased(User)
        rows = session.execute(
            select(QaReview, Complaint.number, agent.display_name, reviewer.display_name)
            .join(Complaint, Complaint.id == QaReview.complaint_id)
            .outerjoin(agent, agent.id == QaReview.agent_id)
            .outerjoin(reviewer, reviewer.id == QaReview.reviewer_id)
            .where(QaReview.id.in_(ids)).order_by(QaReview.month, QaReview.id)
        ).all()
        return [QaReviewRecord(number=number, agent_name=agent_name, month=r.month, reason=r.reason,
                               reviewer_name=reviewer_name, items=json.loads(r.items or "{}"), comment=r.comment,
                               score=r.score, version=r.version, scored_at=r.scored_at)
                for r, number, agent_name, reviewer_name in rows]
