"""Sign-in, accounts and case scope, attacked on a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from desktop.services.app import AppServices, Store
from desktop.services.errors import NotFoundError, PermissionDeniedError, ServiceError
from desktop.services.identity import (
    DUMMY_HASH,
    HASHER,
    LOCK_MINUTES,
    MAX_FAILED_ATTEMPTS,
    AccountLockedError,
    SignInError,
    WeakPasswordError,
    check_password_strength,
    password_matches,
)
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.store.models import AuditEvent, User
from tests.accounts import TEST_PASSWORD, open_as

ADMIN_PASSWORD = "Guanli-Yuan-2026"
SAMPLE = {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
          "customer_name": "张三", "phone": "13812345678", "description": "账单多扣费58元", "demand": "要求退费"}


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


def users_named(store: Store, login: str) -> int:
    with store.sessions() as session:
        return int(session.execute(select(func.count()).select_from(User).where(User.login == login)).scalar_one())


def test_setup_creates_the_first_admin_once(store: Store) -> None:
    assert not store.identity.has_accounts()
    admin = store.identity.setup("zhangsan", "张三", ADMIN_PASSWORD)
    assert (admin.role, admin.login) == ("admin", "zhangsan")
    with pytest.raises(ServiceError, match="已初始化"):
        store.identity.setup("intruder", "冒充者", "Another-Pass-2026")
    assert users_named(store, "intruder") == 0
    seat = store.sign_in("zhangsan", ADMIN_PASSWORD)
    assert seat.actor.id == admin.id


def test_open_without_the_password_is_refused_and_invents_nobody(db_url: str) -> None:
    open_as(db_url, "tester", role="admin").close()
    with pytest.raises(SignInError) as unknown:
        AppServices.open(db_url, login="boss", password="whatever-2026")
    with pytest.raises(SignInError) as wrong:
        AppServices.open(db_url, login="tester", password="not-the-password-1")
    assert str(unknown.value) == str(wrong.value) == "登录名或密码错误。"  # logins cannot be probed
    store = Store.open(db_url)
    try:
        assert users_named(store, "boss") == 0
    finally:
        store.close()


def test_five_failures_lock_the_account_for_fifteen_minutes(db_url: str, store: Store) -> None:
    open_as(db_url, "clerk").close()
    for _attempt in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInError, match="登录名或密码错误"):
            store.identity.sign_in("clerk", "wrong-password-1")
    with pytest.raises(AccountLockedError) as locked:
        store.identity.sign_in("clerk", "wrong-password-1")
    assert "锁定至" in str(locked.value) and "北京时间" in str(locked.value)
    assert timedelta(minutes=LOCK_MINUTES - 1) < locked.value.until - datetime.now(UTC) <= timedelta(
        minutes=LOCK_MINUTES)
    with pytest.raises(AccountLockedError):  # even the right password waits
        store.identity.sign_in("clerk", TEST_PASSWORD)
    later = datetime.now(UTC) + timedelta(minutes=LOCK_MINUTES + 1)
    assert store.identity.sign_in("clerk", TEST_PASSWORD, now=later).login == "clerk"
    with store.sessions() as session:
        actions = session.execute(select(AuditEvent.action, AuditEvent.target)).all()
    assert ("sign_in.locked", "clerk") in actions


@pytest.mark.parametrize("password", ["short1!", "abcdefghijkl", "1234567890", "qwertyuiop", "aaaaaaaaa1",
                                      "wangfang2026", "password1234"])
def test_weak_passwords_are_refused_with_one_message(password: str) -> None:
    with pytest.raises(WeakPasswordError, match="密码强度不足：至少 10 个字符"):
        check_password_strength(password, "wangfang")


def test_the_unknown_login_hash_costs_what_a_real_one_does() -> None:
    """An unknown login is checked against DUMMY_HASH: with the hasher's parameters, it takes as long."""
    assert not HASHER.check_needs_rehash(DUMMY_HASH)
    assert not password_matches(None, "no such account, never matches")  # never a match


def test_strong_password_passes() -> None:
    check_password_strength("Tousu-Shouli-2026", "wangfang")


def test_admin_manages_accounts_and_every_change_is_audited(services: AppServices, store: Store) -> None:
    admin = services.actor
    added = services.users.add(admin, "wangfang", "王芳", "agent", "二班", password="Chushi-Mima-2026")
    assert added.must_change_password
    # The first sign-in must choose a new password; the old one no longer works afterwards.
    assert store.identity.sign_in("wangfang", "Chushi-Mima-2026").must_change_password
    with pytest.raises(WeakPasswordError):
        store.identity.change_password("wangfang", "Chushi-Mima-2026", "wangfang123")
    changed = store.identity.change_password("wangfang", "Chushi-Mima-2026", "Ziji-Xuan-De-2026")
    assert not changed.must_change_password
    with pytest.raises(SignInError):
        store.identity.sign_in("wangfang", "Chushi-Mima-2026")
    services.users.set_role(admin, "wangfang", "supervisor")
    lead = services.users.set_teams(admin, "wangfang", "二班", ("三班", "四班"))
    assert lead.teams == ("二班", "三班", "四班")
    services.users.set_active(admin, "wangfang", False)
    with pytest.raises(SignInError, match="已停用"):
        store.identity.sign_in("wangfang", "Ziji-Xuan-De-2026")
    services.users.set_active(admin, "wangfang", True)
    services.users.reset_password(admin, "wangfang", "Linshi-Mima-2026")
    assert store.identity.sign_in("wangfang", "Linshi-Mima-2026").must_change_password
    log = services.users.audit_log(admin)
    assert [r.action for r in reversed(log) if r.target == "wangfang"] == [
        "user.add", "password.change", "user.set_role", "user.set_teams", "user.deactivate", "user.activate",
        "user.reset_password"]
    assert all(r.host for r in log) and log[-1].actor_login == "tester"
    with pytest.raises(ServiceError, match="已被占用"):
        services.users.add(admin, "wangfang", "重复", password="Chushi-Mima-2026")
    with pytest.raises(ServiceError, match="不能停用自己的账号"):
        services.users.set_active(admin, admin.login, False)


def test_agents_and_supervisors_cannot_manage_accounts(db_url: str, services: AppServices) -> None:
    agent = open_as(db_url, "clerk", role="agent", display_name="王芳")
    lead = open_as(db_url, "banzhang", role="supervisor", display_name="班长")
    try:
        with pytest.raises(PermissionDeniedError, match="王芳（坐席）无权执行此操作：管理账号"):
            agent.users.add(agent.actor, "mole", "内鬼", "admin", password="Neigui-Mima-2026")
        with pytest.raises(PermissionDeniedError, match="班长（班组长）无权执行此操作：管理账号"):
            lead.users.add(lead.actor, "mole", "内鬼", "admin", password="Neigui-Mima-2026")
        with pytest.raises(PermissionDeniedError):
            lead.users.set_role(lead.actor, "banzhang", "admin")  # no promoting oneself either
        with pytest.raises(PermissionDeniedError):
            agent.site.set(agent.actor, "operator_name", "冒名")
        with pytest.raises(PermissionDeniedError):
            agent.users.audit_log(agent.actor)
        assert users_named_in(services, "mole") == 0
        assert agent.site.get("operator_name") != "冒名"
    finally:
        agent.close()
        lead.close()


def users_named_in(services: AppServices, login: str) -> int:
    with services.sessions() as session:
        return int(session.execute(select(func.count()).select_from(User).where(User.login == login)).scalar_one())


def test_scope_agents_see_their_team_supervisors_their_teams(db_url: str, services: AppServices) -> None:
    one = open_as(db_url, "one", team="一班")
    mate = open_as(db_url, "mate", team="一班")
    two = open_as(db_url, "two", team="二班")
    lead = open_as(db_url, "lead", role="supervisor", team="三班")
    services.users.set_teams(services.actor, "lead", "三班", ("二班",))
    lead.close()
    lead = open_as(db_url, "lead", role="supervisor", team="三班")
    seats = (one, mate, two, lead)
    try:
        first = one.complaints.create(one.actor, SAMPLE).number
        second = two.complaints.create(two.actor, SAMPLE).number
        everything = QueueQuery(filter=QueueFilter.ALL)
        assert [r.number for r in one.queue.fetch(everything, 0, 50)] == [first]
        assert [r.number for r in mate.queue.fetch(everything, 0, 50)] == [first]  # a teammate's case
        assert [r.number for r in two.queue.fetch(everything, 0, 50)] == [second]
        assert [r.number for r in lead.queue.fetch(everything, 0, 50)] == [second]  # leads 二班 too
        assert {r.number for r in services.queue.fetch(everything, 0, 50)} == {first, second}  # admin
        assert one.queue.count(everything) == 1 and one.complaints.count() == 1
        assert [r.number for r in one.queue.fetch(QueueQuery(filter=QueueFilter.ALL, search="张三"), 0, 50)] == [first]
        assert [r.number for r in one.complaints.earlier_from_number("13812345678")] == [first]
        with pytest.raises(NotFoundError, match="或您无权查看") as hidden:
            one.complaints.get(second)
        with pytest.raises(NotFoundError, match="或您无权查看") as missing:
            one.complaints.get("TS-20250928-9999")
        assert str(hidden.value).replace(second, "X") == str(missing.value).replace("TS-20250928-9999", "X")
        record = two.complaints.get(second)
        with pytest.raises(NotFoundError):
            one.complaints.update(one.actor, second, {"investigation_notes": "越权"}, record.version)
        with pytest.raises(NotFoundError):
            one.complaints.transition(one.actor, second, "acknowledge")
        with pytest.raises(NotFoundError):
            one.complaints.events(second)
        with pytest.raises(NotFoundError, match="或您无权查看"):
            one.complaints.open_case(second)
        with pytest.raises(NotFoundError, match="或您无权查看"):
            one.citations.list(second)
        assert mate.complaints.open_case(first).record.number == first  # a teammate opens the case
        with pytest.raises(NotFoundError):
            one.letters.revisions(second)
        assert two.complaints.get(second).version == record.version
        # Nor can a case be pushed out to another team (where its agent could no longer see it).
        mine = one.complaints.get(first)
        with pytest.raises(PermissionDeniedError, match="只能把案件交给本班组的同事"):
            one.complaints.update(one.actor, first, {"assigned_agent_id": two.actor.id}, mine.version)
        one.complaints.update(one.actor, first, {"assigned_agent_id": mate.actor.id}, mine.version)
        assert services.complaints.get(first).assigned_agent_id == mate.actor.id
    finally:
        for seat in seats:
            seat.close()


def test_setup_claims_a_store_from_before_sign_in(store: Store) -> None:
    """Accounts without passwords (created before sign-in existed) cannot sign in; setup makes one the admin."""
    from desktop.services.identity import new_user

    with store.sessions.begin() as session:
        new_user(session, "laowang", "老王", "agent", "一班", None)
    assert store.identity.has_accounts() and not store.identity.is_set_up()
    with pytest.raises(SignInError):
        store.identity.sign_in("laowang", "")
    admin = store.identity.setup("laowang", "老王", ADMIN_PASSWORD)
    assert admin.role == "admin" and store.identity.is_set_up()
    assert users_named(store, "laowang") == 1
    with pytest.raises(ServiceError, match="已初始化"):
        store.identity.setup("laowang", "老王", ADMIN_PASSWORD)
