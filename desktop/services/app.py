"""Opening a store: engine, migrations, the acting user and the services on top of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.deadlines import build_rules
from desktop.law import LawPack, load_active_pack
from desktop.letters.content import LetterContent
from desktop.services.calendar import CalendarService
from desktop.services.citations import CitationService
from desktop.services.complaints import ComplaintService, _Clock
from desktop.services.letters import LetterService
from desktop.services.quality import QualityService
from desktop.services.queue import QueueService
from desktop.services.records import Actor
from desktop.services.site import SiteSettingsService
from desktop.services.stats import StatsService
from desktop.services.supervision import SupervisionService
from desktop.services.users import UserService, default_login
from desktop.store.db import create_db_engine, make_session_factory, resolve_url
from desktop.store.migrate import upgrade_to_head


@dataclass
class AppServices:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    actor: Actor
    users: UserService
    site: SiteSettingsService
    calendar: CalendarService
    complaints: ComplaintService
    queue: QueueService

    @classmethod
    def open(cls, url: str | None = None, *, user_login: str | None = None,
             configured_url: str | None = None, display_name: str | None = None) -> AppServices:
        resolved = resolve_url(url, configured_url)
        engine = create_db_engine(resolved)
        upgrade_to_head(engine)
        sessions = make_session_factory(engine)
        users = UserService(sessions)
        actor = users.ensure(user_login or default_login(), display_name)
        site = SiteSettingsService(sessions)
        calendar = CalendarService(sessions)
        clock = _Clock(build_rules(site.get("deadline_rules")), calendar.load())
        return cls(url=resolved, engine=engine, sessions=sessions, actor=actor, users=users, site=site,
                   calendar=calendar, complaints=ComplaintService(sessions, clock),
                   queue=QueueService(sessions, actor))

    @cached_property
    def law_pack(self) -> LawPack:
        """The statute pack in use (bundled or a newer one a supervisor imported); loaded on first use."""
        return load_active_pack()

    def use_law_pack(self, pack: LawPack) -> None:
        """After a supervisor imported a newer pack: new citations come from it."""
        self.__dict__["law_pack"] = pack

    @cached_property
    def citations(self) -> CitationService:
        return CitationService(self.sessions, lambda: self.law_pack.pack_version)

    @cached_property
    def letters(self) -> LetterService:
        return LetterService(self.sessions, self.complaints, self.citations, self.site, self.actor)

    @cached_property
    def stats(self) -> StatsService:
        """Supervisor statistics (agents get their own cases' figures)."""
        return StatsService(self.sessions, self.actor)

    @cached_property
    def supervision(self) -> SupervisionService:
        """Approvals, returns for rework, reassignment and the team board."""
        return SupervisionService(self.sessions, self.complaints)

    @cached_property
    def quality(self) -> QualityService:
        """Quality review (质检) samples and scores."""
        return QualityService(self.sessions)

    def letters_content(self, number: str) -> LetterContent:
        return self.letters.content(number)

    def reload_clock(self) -> None:
        """Pick up a changed calendar or rule amounts (after an import or a settings change)."""
        self.complaints.set_clock(build_rules(self.site.get("deadline_rules")), self.calendar.load())

    @property
    def display_url(self) -> str:
        """The database address without a password, for the status bar."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
