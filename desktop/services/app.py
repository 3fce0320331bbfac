"""Opening a store (engine, migrations), signing in, and the services acting for the signed-in user."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.services.calendar import CalendarService
from desktop.services.complaints import ComplaintService
from desktop.services.identity import IdentityService, SignInError
from desktop.services.import_journal import Recovered, recover_imports
from desktop.services.queue import QueueService
from desktop.services.records import Actor
from desktop.services.shared_state import SharedState, share_pack
from desktop.services.site import SiteSettingsService
from desktop.services.users import UserService
from desktop.store.changes import ChangeFeed, ChangeRecorder, new_origin, prune_change_log
from desktop.store.db import create_db_engine, make_session_factory, resolve_url
from desktop.store.maintenance import ensure_statistics, optimize_on_close
from desktop.store.migrate import upgrade_to_head

if TYPE_CHECKING:
    # Imported where first used: the queue's first page needs none of them.
    from desktop.law import LawPack
    from desktop.letters.content import LetterContent
    from desktop.services.citations import CitationService
    from desktop.services.keys import KeyService
    from desktop.services.law_learning import SiteLearning
    from desktop.services.letters import LetterService
    from desktop.services.privacy import PersonalDataService
    from desktop.services.quality import QualityService
    from desktop.services.stats import StatsService
    from desktop.services.supervision import SupervisionService

log = logging.getLogger(__name__)


@dataclass
class Store:
    """An opened, migrated store before anyone signed in: enough to sign in and read site settings."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    identity: IdentityService
    site: SiteSettingsService
    recorder: ChangeRecorder  # writes the change log every seat's feed reads
    analysed_at_open: bool = False  # planner statistics were missing or stale and were taken
    recovered_imports: list[Recovered] = field(default_factory=list)  # finished or discarded at open

    @classmethod
    def open(cls, url: str | None = None, *, configured_url: str | None = None) -> Store:
        resolved = resolve_url(url, configured_url)
        engine = create_db_engine(resolved)
        try:
            upgrade_to_head(engine)
            analysed = ensure_statistics(engine)
            prune_change_log(engine)
        except BaseException:
            engine.dispose()
            raise
        sessions = make_session_factory(engine)
        recorder = ChangeRecorder(new_origin())
        recorder.install(sessions)
        recovered = _finish_cut_off_imports(sessions)
        return cls(url=resolved, engine=engine, sessions=sessions, identity=IdentityService(sessions),
                   site=SiteSettingsService(sessions), recorder=recorder, analysed_at_open=analysed,
                   recovered_imports=recovered)

    def sign_in(self, login: str, password: str) -> AppServices:
        """The services acting for ``login`` (``SignInError`` when refused; the store stays open)."""
        return AppServices.for_actor(self, self.identity.sign_in(login, password))

    def close(self) -> None:
        optimize_on_close(self.engine)
        self.engine.dispose()


def _finish_cut_off_imports(sessions: sessionmaker[Session]) -> list[Recovered]:
    """An import its process left behind: discarded while staging, completed once publishing."""
    try:
        return recover_imports(sessions)
    except SQLAlchemyError:
        # E.g. a PostgreSQL seat whose grants may not publish another user's rows: the importer's
        # own seat or an administrator's finishes it at their next open.
        log.exception("could not finish an interrupted import now")
        return []


@dataclass
class AppServices:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    actor: Actor
    identity: IdentityService
    users: UserService
    site: SiteSettingsService
    calendar: CalendarService
    complaints: ComplaintService
    queue: QueueService
    shared: SharedState
    recorder: ChangeRecorder
    analysed_at_open: bool = False

    @classmethod
    def open(cls, url: str | None = None, *, login: str, password: str,
             configured_url: str | None = None) -> AppServices:
        """Open the store and sign in; nobody acts without a password (``SignInError`` otherwise)."""
        store = Store.open(url, configured_url=configured_url)
        try:
            return store.sign_in(login, password)
        except BaseException:
            store.close()
            raise

    @classmethod
    def for_actor(cls, store: Store, actor: Actor) -> AppServices:
        """Services acting for ``actor``, who has just signed in on ``store``."""
        sessions = store.sessions
        calendar = CalendarService(sessions)
        # Deadline periods, calendars and law packs are read (revalidated per operation) from the
        # store, so a change on one seat holds on every seat without a restart.
        shared = SharedState(sessions, store.site, calendar)
        return cls(url=store.url, engine=store.engine, sessions=sessions, actor=actor, identity=store.identity,
                   users=UserService(sessions), site=store.site, calendar=calendar,
                   complaints=ComplaintService(sessions, shared.clock, actor),
                   queue=QueueService(sessions, actor), shared=shared, recorder=store.recorder,
                   analysed_at_open=store.analysed_at_open)

    def verify(self, login: str, password: str) -> Actor:
        """Sign in again on this seat (after the idle lock); refuses a different user."""
        actor = self.identity.sign_in(login, password)
        if actor.id != self.actor.id:
            raise SignInError(_("This desk is locked by {name}; only they can unlock it (or close the program).")
                              .format(name=self.actor.display_name))
        return actor

    @property
    def law_pack(self) -> LawPack:
        """The statute pack in use (bundled, or the newest an administrator imported on any seat)."""
        return self.shared.law_pack()

    def share_law_pack(self, folder: Path) -> LawPack:
        """Store a validated, signed pack folder in the database: every seat's next operation uses it."""
        pack = share_pack(self.sessions, self.actor, folder)
        self.shared.invalidate()
        return pack

    @cached_property
    def changes(self) -> ChangeFeed:
        """What other seats (and this one) change; started by the desk, stopped on close."""
        return ChangeFeed(self.engine, self.recorder)

    @cached_property
    def citations(self) -> CitationService:
        from desktop.services.citations import CitationService

        return CitationService(self.sessions, lambda: self.law_pack.pack_version, self.actor)

    @cached_property
    def law_learning(self) -> SiteLearning:
        """What similar earlier cases at this site cited (counts only), for suggestions."""
        from desktop.services.law_learning import SiteLearning

        return SiteLearning(self.sessions, self.site)

    @cached_property
    def letters(self) -> LetterService:
        from desktop.services.letters import LetterService

        return LetterService(self.sessions, self.complaints, self.citations, self.site, self.actor)

    @cached_property
    def keys(self) -> KeyService:
        """Site CA, agent certificates, trusted CAs: admin-only changes, each audited."""
        from desktop.services.keys import KeyService

        return KeyService(self.sessions)

    @cached_property
    def stats(self) -> StatsService:
        """Supervisor statistics (agents get their own cases' figures)."""
        from desktop.services.stats import StatsService

        return StatsService(self.sessions, self.actor)

    @cached_property
    def privacy(self) -> PersonalDataService:
        """Reveals, exports and the access log of personal data (MIIT Order 24 art. 13)."""
        from desktop.services.privacy import PersonalDataService

        return PersonalDataService(self.sessions)

    @cached_property
    def supervision(self) -> SupervisionService:
        """Approvals, returns for rework, reassignment and the team board."""
        from desktop.services.supervision import SupervisionService

        return SupervisionService(self.sessions, self.complaints)

    @cached_property
    def quality(self) -> QualityService:
        """Quality review (质检) samples and scores."""
        from desktop.services.quality import QualityService

        return QualityService(self.sessions)

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
        optimize_on_close(self.engine)
        self.engine.dispose()
