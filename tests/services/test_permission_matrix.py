"""Every public service method × every role, against the one permission table, on a real SQLite store.

Service classes are discovered by introspection: a new public method that is neither guarded
(``@guarded("action")``) nor listed in ``permissions.NO_ACTOR`` fails here, and so does a guarded
method this test has no call for.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import desktop.services
from desktop.domain.intake import parse_input
from desktop.i18n import _
from desktop.law import Citation
from desktop.law.index import LawIndex
from desktop.letters.audit_key import issue_audit_certificate
from desktop.letters.keys import (
    create_site_ca,
    identity_from_file,
    import_trust_root,
    issue_agent_certificate,
    load_key_and_chain,
    open_site_ca,
    site_trust_roots,
)
from desktop.services.app import AppServices
from desktop.services.audit import AuditService
from desktop.services.bundles import BundleService, ReviewNoteService
from desktop.services.errors import PermissionDeniedError
from desktop.services.permissions import NO_ACTOR, ROLES, RULES, allowed, required_action
from desktop.services.privacy import AccessQuery
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.services.stats import Period
from desktop.store.models import Complaint, QaReview
from tests.accounts import open_as

SAMPLE = {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
          "customer_name": "张三", "phone": "13812345678", "description": "账单多扣费58元", "demand": "要求退费"}
SCHEDULE = json.dumps({"year": 2019, "source": "国办发明电〔2018〕15号",
                       "rest_days": [{"date": "2019-10-01", "name": "国庆节"}], "working_days": []},
                      ensure_ascii=False)
STRONG = "Xin-Zhanghao-2026"


def service_methods() -> dict[str, object]:
    """"Class.method" -> function, for every public method of every ``*Service`` class in desktop.services."""
    found: dict[str, object] = {}
    for info in pkgutil.iter_modules(desktop.services.__path__):
        module = importlib.import_module(f"desktop.services.{info.name}")
        for class_name, cls in inspect.getmembers(module, inspect.isclass):
            if not class_name.endswith("Service") or cls.__module__ != module.__name__:
                continue
            for name, function in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("_"):
                    found[f"{class_name}.{name}"] = function
    return found


def fresh(seat: AppServices) -> str:
    return seat.complaints.create(seat.actor, SAMPLE).number


def citation(seat: AppServices) -> Citation:
    hit = LawIndex(seat.law_pack).search("电信条例 31")[0]
    return Citation.of(hit.statute, hit.article)


KEY_PASS = b"Juzhen-Ceshi-2026"


def key_files(seat: AppServices) -> tuple[Path, Path]:
    """A site CA's certificate (trusted) and an agent .p12 it issued, made once per test."""
    folder = Path(tempfile.gettempdir()) / f"matrix-keys-{os.getpid()}-{id(seat.sessions)}"
    if not (folder / "ca" / "ca.p12").exists():
        ca = create_site_ca(folder / "ca", "矩阵测试网点", KEY_PASS)
        import_trust_root(folder / "ca" / "ca.pem")
        issue_agent_certificate(ca, "矩阵坐席", KEY_PASS, directory=folder / "agent")
    return folder / "ca" / "ca.pem", next((folder / "agent").glob("*.p12"))


def pending(seat: AppServices) -> str:
    """A case of ``seat``'s own, investigated and submitted for approval with a proposed resolution."""
    number = fresh(seat)
    seat.complaints.update(seat.actor, number, {"investigation_notes": "已核实", "resolution": "退还58元"},
                           seat.complaints.get(number).version)
    for action in ("acknowledge", "investigate", "submit_for_approval"):
        seat.complaints.transition(seat.actor, number, action)
    return number


def sampled(seat: AppServices, number: str) -> str:
    """``number`` (the agent's case) put into this month's quality sample, as draw_sample would."""
    with seat.sessions.begin() as session:
        row = session.execute(select(Complaint).where(Complaint.number == number)).scalar_one()
        if session.execute(select(QaReview.id).where(QaReview.complaint_id == row.id)).first() is None:
            session.add(QaReview(complaint_id=row.id, agent_id=row.assigned_agent_id, reason="random",
                                 month=datetime.now(UTC).strftime("%Y-%m"), sampled_at=datetime.now(UTC)))
    return number


def audit_key(seat: AppServices) -> Path:
    """An audit key issued by the matrix site CA (made once per test)."""
    ca_pem, _p12 = key_files(seat)
    path = ca_pem.parent.parent / "audit" / "audit.p12"
    if not path.exists():
        return issue_audit_certificate(open_site_ca(ca_pem.parent, KEY_PASS), KEY_PASS, path.parent)
    return path


def bundle_round(seat: AppServices, number: str, *, apply: bool) -> object:
    """Export ``number`` in a review bundle signed with the matrix agent's key (and apply it)."""
    service = BundleService(seat.sessions, seat.complaints, seat.actor)
    _ca, p12 = key_files(seat)
    key, certificate, _chain = load_key_and_chain(identity_from_file(p12), KEY_PASS)
    path = Path(tempfile.mkdtemp()) / "matrix.cdbundle"
    exported = service.export(seat.actor, [number], path, passphrase="Juzhen-Bao-2026",
                              expires_in=timedelta(days=1), key=key, certificate=certificate)
    if not apply:
        return exported
    return service.apply(seat.actor, service.open_for_import(path, "Juzhen-Bao-2026", site_trust_roots()))


# One call per guarded method: (seat, number of a case in every seat's scope) -> anything.
CALLS: dict[str, Callable[[AppServices, str], object]] = {
    "ComplaintService.create": lambda s, n: s.complaints.create(s.actor, SAMPLE),
    "ComplaintService.create_many": lambda s, n: s.complaints.create_many(
        s.actor, [parse_input(SAMPLE, now=datetime.now(UTC))]),
    "ComplaintService.get": lambda s, n: s.complaints.get(n),
    "ComplaintService.events": lambda s, n: s.complaints.events(n),
    "ComplaintService.open_case": lambda s, n: s.complaints.open_case(n),
    "ComplaintService.earlier_from_number": lambda s, n: s.complaints.earlier_from_number(SAMPLE["phone"]),
    "ComplaintService.list": lambda s, n: s.complaints.list(),
    "ComplaintService.count": lambda s, n: s.complaints.count(),
    "ComplaintService.update": lambda s, n: s.complaints.update(
        s.actor, n, {"investigation_notes": f"{s.actor.role} 已核实"}, s.complaints.get(n).version),
    "ComplaintService.transition": lambda s, n: s.complaints.transition(s.actor, fresh(s), "acknowledge"),
    "ComplaintService.link": lambda s, n: s.complaints.link(s.actor, n, fresh(s)),
    "ComplaintService.recompute_deadlines": lambda s, n: s.complaints.recompute_deadlines(s.actor),
    "ComplaintService.recompute_in_batches": lambda s, n: s.complaints.recompute_in_batches(s.actor),
    "QueueService.fetch": lambda s, n: s.queue.fetch(QueueQuery(filter=QueueFilter.ALL), 0, 50),
    "QueueService.count": lambda s, n: s.queue.count(QueueQuery(filter=QueueFilter.ALL)),
    "QueueService.counts": lambda s, n: s.queue.counts([QueueFilter.ALL, QueueFilter.MINE]),
    "QueueService.row_of": lambda s, n: s.queue.row_of(QueueQuery(filter=QueueFilter.ALL), n),
    "QueueService.due_summary": lambda s, n: s.queue.due_summary(),
    "CalendarService.import_year": lambda s, n: s.calendar.import_year(s.actor, SCHEDULE),
    "CitationService.add": lambda s, n: s.citations.add(s.actor, n, citation(s)),
    "CitationService.list": lambda s, n: s.citations.list(n),
    "CitationService.remove": lambda s, n: s.citations.remove(
        s.actor, n, s.citations.add(s.actor, n, citation(s)).citation.format()),
    "LetterService.content": lambda s, n: s.letters.content(n),
    "LetterService.next_revision": lambda s, n: s.letters.next_revision(n),
    "LetterService.archive": lambda s, n: s.letters.archive(s.actor, n, s.letters.next_revision(n), "zh_CN",
                                                            b"%PDF-1.4 matrix", None),
    "LetterService.revisions": lambda s, n: s.letters.revisions(n),
    "LetterService.latest": lambda s, n: s.letters.latest(n),
    "LetterService.save_customer_signature": lambda s, n: s.letters.save_customer_signature(
        s.actor, n, (((0.1, 0.1, 1.0), (0.5, 0.5, 1.0)),)),
    "LetterService.customer_signature": lambda s, n: s.letters.customer_signature(n),
    "SiteSettingsService.set": lambda s, n: s.site.set(s.actor, "site_name", f"{s.actor.role} 网点"),
    "SiteSettingsService.set_many": lambda s, n: s.site.set_many(s.actor, {"site_address": "人民路1号"}),
    "StatsService.compute": lambda s, n: s.stats.compute(Period.this_month()),
    "UserService.add": lambda s, n: s.users.add(s.actor, f"new_{s.actor.role}", "新同事", password=STRONG),
    "UserService.accounts": lambda s, n: s.users.accounts(s.actor),
    "UserService.set_role": lambda s, n: s.users.set_role(s.actor, "target", "agent"),
    "UserService.set_teams": lambda s, n: s.users.set_teams(s.actor, "target", "一班", ("二班",)),
    "UserService.set_active": lambda s, n: s.users.set_active(s.actor, "target", True),
    "UserService.reset_password": lambda s, n: s.users.reset_password(s.actor, "target", STRONG),
    "UserService.audit_log": lambda s, n: s.users.audit_log(s.actor),
    "UserService.display_names": lambda s, n: s.users.display_names(s.actor),
    "QueueService.page_statement": lambda s, n: s.queue.page_statement(QueueQuery(filter=QueueFilter.ALL)),
    "QueueService.count_statement": lambda s, n: s.queue.count_statement(QueueQuery(filter=QueueFilter.ALL)),
    "KeyService.create_site_ca": lambda s, n: s.keys.create_site_ca(
        s.actor, "矩阵网点", KEY_PASS, Path(tempfile.mkdtemp()) / "site-ca"),
    "KeyService.trust_ca": lambda s, n: s.keys.trust_ca(s.actor, key_files(s)[0]),
    "KeyService.issue": lambda s, n: s.keys.issue(s.actor, "新坐席", KEY_PASS, KEY_PASS,
                                                  ca_dir=key_files(s)[0].parent, out=Path(tempfile.mkdtemp())),
    "KeyService.import_pkcs12": lambda s, n: s.keys.import_pkcs12(s.actor, key_files(s)[1], KEY_PASS),
    "KeyService.record": lambda s, n: s.keys.record(s.actor, "import_law_pack", "law pack test", None, {}),
    "KeyService.events": lambda s, n: s.keys.events(s.actor),
    "AuditService.checkpoint": lambda s, n: AuditService(s.engine, s.sessions).checkpoint(
        s.actor, KEY_PASS, audit_key(s), copy_folder=Path(tempfile.mkdtemp())),
    "SupervisionService.approve": lambda s, n: s.supervision.approve(s.actor, pending(s)),
    "SupervisionService.return_for_rework": lambda s, n: s.supervision.return_for_rework(
        s.actor, pending(s), "请补充证据"),
    "SupervisionService.awaiting_approval": lambda s, n: s.supervision.awaiting_approval(s.actor),
    "SupervisionService.reassign": lambda s, n: s.supervision.reassign(s.actor, fresh(s), "target", "调整工作量"),
    "SupervisionService.reassign_many": lambda s, n: s.supervision.reassign_many(
        s.actor, [fresh(s)], "target", "调整工作量"),
    "SupervisionService.team_board": lambda s, n: s.supervision.team_board(s.actor),
    "QualityService.draw_sample": lambda s, n: s.quality.draw_sample(s.actor, datetime.now(UTC).strftime("%Y-%m")),
    "QualityService.score": lambda s, n: s.quality.score(
        s.actor, sampled(s, n), {item.key: item.weight for item in s.quality.checklist()}),
    "QualityService.reviews": lambda s, n: s.quality.reviews(s.actor),
    "ReviewNoteService.add": lambda s, n: ReviewNoteService(s.sessions).add(s.actor, n, "comment", "已阅"),
    "BundleService.select_numbers": lambda s, n: BundleService(s.sessions, s.complaints, s.actor).select_numbers(
        numbers=[n]),
    "BundleService.export": lambda s, n: bundle_round(s, n, apply=False),
    "BundleService.apply": lambda s, n: bundle_round(s, n, apply=True),
    "PersonalDataService.reveal": lambda s, n: s.privacy.reveal(s.actor, n, "phone", "回访核实"),
    "PersonalDataService.use_without_showing": lambda s, n: s.privacy.use_without_showing(
        s.actor, n, "phone", "回拨客户"),
    "PersonalDataService.bulk_read": lambda s, n: s.privacy.bulk_read(
        s.actor, "月度核查", lambda: s.complaints.list(), what="list"),
    "PersonalDataService.record": lambda s, n: s.privacy.record(s.actor, "export", "月度报表", {"rows": 0}),
    "PersonalDataService.count": lambda s, n: s.privacy.count(s.actor, AccessQuery()),
    "PersonalDataService.entries": lambda s, n: s.privacy.entries(s.actor, AccessQuery()),
}


def test_every_public_service_method_has_a_rule() -> None:
    methods = service_methods()
    assert len(methods) >= 40  # discovery works (not silently empty)
    unruled = [name for name, function in methods.items()
               if required_action(function) is None and name not in NO_ACTOR]
    assert unruled == [], "public service methods without a permission rule (guard them or list them in NO_ACTOR)"
    assert [name for name in NO_ACTOR if name not in methods] == []  # no stale exemptions
    guarded = {name for name, function in methods.items() if required_action(function) is not None}
    assert sorted(guarded - set(CALLS)) == [], "guarded methods the matrix does not call"
    assert sorted(set(CALLS) - guarded) == []
    assert {required_action(methods[name]) for name in guarded} <= set(RULES)


@pytest.fixture
def seats(db_url: str) -> Iterator[dict[str, AppServices]]:
    opened = {"agent": open_as(db_url, "agent1", role="agent", display_name="坐席甲", team="一班"),
              "supervisor": open_as(db_url, "lead1", role="supervisor", display_name="班长甲", team="一班"),
              "admin": open_as(db_url, "admin1", role="admin", display_name="管理员甲", team=None)}
    open_as(db_url, "target", role="agent", team="一班").close()
    yield opened
    for seat in opened.values():
        seat.close()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_and_refused_as_the_table_says(seats: dict[str, AppServices], role: str) -> None:
    agent = seats["agent"]
    number = fresh(agent)  # the agent's own case: inside every role's scope
    agent.complaints.update(agent.actor, number, {"investigation_notes": "已核实", "resolution": "退还58元"},
                            agent.complaints.get(number).version)
    seat = seats[role]
    methods = service_methods()
    outcomes: dict[str, str] = {}
    for name, call in sorted(CALLS.items()):
        action = required_action(methods[name])
        assert action is not None
        try:
            call(seat, number)
        except PermissionDeniedError as refusal:
            outcomes[name] = "refused"
            # The message names who, in which role, and what is not allowed.
            assert str(refusal).startswith(seat.actor.display_name) and _(RULES[action][1]) in str(refusal)
        else:
            outcomes[name] = "allowed"
        expected = "allowed" if allowed(role, action) else "refused"
        assert outcomes[name] == expected, f"{role} {name} ({action}): {outcomes[name]}, table says {expected}"
    if role == "agent":
        assert outcomes["UserService.add"] == outcomes["SiteSettingsService.set"] == "refused"
    if role in ("agent", "supervisor"):  # issue 8: the site's settings and holiday calendars are the admin's
        assert {outcomes[name] for name in ("SiteSettingsService.set", "SiteSettingsService.set_many",
                                            "CalendarService.import_year")} == {"refused"}
    if role == "admin":
        assert set(outcomes.values()) == {"allowed"}


def test_a_supervisor_is_told_site_settings_and_calendars_are_for_admins(seats: dict[str, AppServices]) -> None:
    lead, admin = seats["supervisor"], seats["admin"]
    with pytest.raises(PermissionDeniedError) as refusal:
        lead.site.set_many(lead.actor, {"site_name": "班长网点", "idle_lock_minutes": 240})
    assert str(refusal.value) == "班长甲（班组长）无权执行此操作：修改本单位设置。"
    with pytest.raises(PermissionDeniedError) as refusal:
        lead.calendar.import_year(lead.actor, SCHEDULE)
    assert str(refusal.value) == "班长甲（班组长）无权执行此操作：导入节假日安排。"
    assert lead.site.get("site_name") == "客户服务中心" and lead.site.get("idle_lock_minutes") == 10
    assert lead.calendar.imported_years() == []  # nothing stored by the refused calls
    admin.calendar.import_year(admin.actor, SCHEDULE)
    assert [year.year for year in lead.calendar.imported_years()] == [2019]  # every seat reads it
