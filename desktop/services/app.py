"""Opening a store: engine, migrations, the acting user and the services on top of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.law import LawPack
from desktop.letters.content import LetterContent
from desktop.services.calendar import CalendarService
from desktop.services.citations import CitationService
from desktop.services.complaints import ComplaintService
from desktop.services.letters import LetterService
from desktop.services.queue import QueueService
from desktop.services.records import Actor
from desktop.services.shared_state import SharedState, share_pack
from desktop.services.site import SiteSettingsService
from desktop.services.stats import StatsService
from desktop.services.users import UserService, default_login
from desktop.store.changes import ChangeFeed, ChangeRecorder, new_origin, prune_change_log
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
    shared: SharedState
    recorder: ChangeRecorder

    @classmethod
    def open(cls, url: str | None = None, *, user_login: str | None = None,
             configured_url: str | None = None, display_name: str | None = None) -> AppServices:
        resolved = resolve_url(url, configured_url)
        engine = create_db_engine(resolved)
        upgrade_to_head(engine)
        prune_change_log(engine)
        sessions = make_session_factory(engine)
        recorder = ChangeRecorder(new_origin())
        recorder.install(sessions)
        users = UserService(sessions)
        actor = users.ensure(user_login or default_login(), display_name)
        site = SiteSettingsService(sessions)
        calendar = CalendarService(sessions)
        shared = SharedState(sessions, site, calendar)
        return cls(url=resolved, engine=engine, sessions=sessions, actor=actor, users=users, site=site,
                   calendar=calendar, complaints=ComplaintService(sessions, shared.clock(), shared.clock),
                   queue=QueueService(sessions, actor), shared=shared, recorder=recorder)

    @property
    def law_pack(self) -> LawPack:
        """The statute pack in use (bundled, or the newest a supervisor imported on any seat)."""
        return self.shared.law_pack()

    def share_law_pack(self, folder: Path) -> LawPack:
        """Store a validated pack folder in the database: every seat's next operation uses it."""
        pack = share_pack(self.sessions, self.actor, folder)
        self.shared.invalidate()
        return pack

    @cached_property
    def changes(self) -> ChangeFeed:
        """What other seats (and this one) change; started by the desk, stopped on close."""
        return ChangeFeed(self.engine, self.recorder)

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

    def letters_content(self, number: str) -> LetterContent:
        return self.letters.content(number)

    def reload_clock(self) -> None:
        """Pick up a changed calendar or rule amounts at once (every operation also checks the store)."""
        self.shared.invalidate()

    @property
    def display_url(self) -> str:
        """The database address without a password, for the status bar."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        if "changes" in self.__dict__:
            self.changes.stop()
        self.engine.dispose()
