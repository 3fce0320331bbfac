"""Settings shared by every seat of a site, kept in the database."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.approval import DEFAULT_POLICY
from desktop.domain.quality import DEFAULT_CHECKLIST
from desktop.services.records import Actor
from desktop.services.users import require_supervisor
from desktop.store.models import SiteSetting

SITE_DEFAULTS: dict[str, Any] = {
    "operator_name": "中国电信股份有限公司（示例）",
    "site_name": "客户服务中心",
    "site_address": "",
    "deadline_rules": {},  # rule code -> amount, overriding the bundled defaults
    "approval_policy": dict(DEFAULT_POLICY),  # which cases need approval (desktop/domain/approval.py)
    "qa_checklist": list(DEFAULT_CHECKLIST),  # quality review items and weights (desktop/domain/quality.py)
    "auto_assign": "off",  # new complaints: off, round_robin, least_load (desktop/services/supervision.py)
}


class SiteSettingsService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get(self, key: str) -> Any:
        default = SITE_DEFAULTS[key]
        with self._sessions() as session:
            row = session.get(SiteSetting, key)
            return json.loads(row.value) if row is not None else default

    def set(self, actor: Actor, key: str, value: Any) -> None:
        self.set_many(actor, {key: value})

    def set_many(self, actor: Actor, values: Mapping[str, Any]) -> None:
        """Store several settings together: a failure leaves all of them as they were."""
        require_supervisor(actor)
        unknown = set(values) - set(SITE_DEFAULTS)
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
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
