"""Settings shared by every seat of a site, kept in the database."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.approval import DEFAULT_POLICY
from desktop.domain.quality import DEFAULT_CHECKLIST
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.identity import audit
from desktop.services.permissions import guarded
from desktop.services.records import Actor
from desktop.store.models import SiteSetting

SITE_DEFAULTS: dict[str, Any] = {
    "operator_name": "中国电信股份有限公司（示例）",
    "site_name": "客户服务中心",
    "site_address": "",
    "contact_phone": "",  # the number outcome letters give for questions (e.g. the site's hotline)
    "deadline_rules": {},  # rule code -> amount, overriding the bundled defaults
    "law_learning": True,  # suggestions count what similar earlier cases at this site cited
    "idle_lock_minutes": 10,  # the desk hides case data behind a sign-in after this long without input
    "approval_policy": dict(DEFAULT_POLICY),  # which cases need approval (desktop/domain/approval.py)
    "qa_checklist": list(DEFAULT_CHECKLIST),  # quality review items and weights (desktop/domain/quality.py)
    "auto_assign": "off",  # new complaints: off, round_robin, least_load (desktop/services/supervision.py)
}


IDLE_LOCK_RANGE = (1, 240)


class SiteSettingsService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, key: str) -> Any:
        default = SITE_DEFAULTS[key]
        with self._sessions() as session:
            row = session.get(SiteSetting, key)
            return json.loads(row.value) if row is not None else default

    @guarded("site.edit")
    def set(self, actor: Actor, key: str, value: Any) -> None:
        self.set_many(actor, {key: value})

    @guarded("site.edit")
    def set_many(self, actor: Actor, values: Mapping[str, Any]) -> None:
        """Store several settings together: a failure leaves all of them as they were."""
        unknown = set(values) - set(SITE_DEFAULTS)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        minutes = values.get("idle_lock_minutes", IDLE_LOCK_RANGE[0])
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not (
                IDLE_LOCK_RANGE[0] <= minutes <= IDLE_LOCK_RANGE[1]):
            raise ServiceError(_("The idle lock must be between {low} and {high} minutes.").format(
                low=IDLE_LOCK_RANGE[0], high=IDLE_LOCK_RANGE[1]))
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            for key, value in values.items():
                row = session.get(SiteSetting, key)
                text = json.dumps(value, ensure_ascii=False)
                if row is None:
                    session.add(SiteSetting(key=key, value=text, updated_at=now))
                else:
                    row.value = text
                    row.updated_at = now
            audit(session, actor, "site.set", None, {key: values[key] for key in sorted(values)})
