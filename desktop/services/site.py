"""Settings shared by every seat of a site, kept in the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from desktop.services.records import Actor
from desktop.services.users import require_supervisor
from desktop.store.models import SiteSetting

SITE_DEFAULTS: dict[str, Any] = {
    "operator_name": "中国电信股份有限公司（示例）",
    "site_name": "客户服务中心",
    "site_address": "",
    "deadline_rules": {},  # rule code -> amount, overriding the bundled defaults
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
        require_supervisor(actor)
        if key not in SITE_DEFAULTS:
            raise KeyError(key)
        with self._sessions.begin() as session:
            row = session.get(SiteSetting, key)
            text = json.dumps(value, ensure_ascii=False)
            if row is None:
                session.add(SiteSetting(key=key, value=text, updated_at=datetime.now(UTC)))
            else:
                row.value = text
                row.updated_at = datetime.now(UTC)
