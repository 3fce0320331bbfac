"""Realistic demo complaints for demos, screenshots and benchmarks (a million rows in minutes)."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from desktop.domain.codes import OPEN_STATUSES, Category, Channel, InvalidReason, Status
from desktop.domain.deadlines import BEIJING, Deadline
from desktop.services.case_rows import highest_serials
from desktop.services.complaints import ComplaintService, rule_code_for
from desktop.services.identity import actor_of, hash_password, new_user
from desktop.services.records import Actor
from desktop.store.chain import link_rows
from desktop.store.chained import EVENTS, event_content
from desktop.store.models import Base, Complaint, NumberSequence, User

if TYPE_CHECKING:
    from desktop.services.app import AppServices

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌晓东海燕鹏飞雪梅丹宇浩然子涵欣怡思远"
MOBILE_PREFIXES = ("133", "138", "139", "150", "151", "153", "155", "158", "177", "180", "181", "186", "189", "199")
CITIES = ("广州市天河区", "深圳市南山区", "成都市武侯区", "杭州市西湖区", "武汉市洪山区", "南京市鼓楼区",
          "西安市雁塔区", "长沙市岳麓区", "郑州市金水区", "济南市历下区", "福州市鼓楼区", "昆明市五华区")
STREETS = ("中山路", "人民路", "解放大道", "建设路", "科技园南路", "文化路", "学府路", "滨江大道")
AGENTS = (("agent01", "李静"), ("agent02", "王磊"), ("agent03", "陈晓东"), ("agent04", "赵雪梅"),
          ("agent05", "周海燕"), ("agent06", "吴俊杰"), ("lead01", "刘建国"))

DESCRIPTIONS: dict[Category, tuple[str, ...]] = {
    Category.NETWORK: (
        "客户反映家中及小区附近手机信号差，通话经常中断，室内基本无法接打电话，已持续{n}天。",
        "客户称{month}月起在单位通话质量下降，对方听不清，4G/5G频繁切换，影响工作。",
        "客户反映{place}附近晚高峰移动数据网速极慢，网页无法打开，怀疑基站故障。",
    ),
    Category.BROADBAND: (
        "客户家庭宽带自{n}天前起频繁掉线，报修后维修人员未按约定上门，至今未修复。",
        "客户办理的{speed}M宽带实测下载速度不足标称的三分之一，多次测速截图为证。",
        "客户反映宽带故障报修已超过72小时仍未修复，期间无法居家办公，要求减免月租。",
    ),
    Category.BILLING: (
        "客户{month}月账单出现{amount}元不明扣费，客户表示从未使用相关业务，要求查明并退费。",
        "客户反映国际漫游流量费用高达{amount}元，事前未收到任何提醒短信，对扣费有异议。",
        "客户称同一笔宽带费用被重复扣取两次，共计{amount}元，要求退还多扣部分。",
    ),
    Category.SUBSCRIPTION: (
        "客户发现号码被开通视频彩铃和会员增值业务，每月扣费{amount}元，客户称从未订购。",
        "客户反映在营业厅办理业务时被捆绑开通了流量包，未告知收费，要求退订并退费。",
    ),
    Category.MARKETING: (
        "客户称营销人员电话推销时承诺套餐“永久不变价”，办理后次年资费上涨，认为存在误导宣传。",
        "客户反映宣传单写明“免费升级千兆”，办理后却每月加收{amount}元，要求按宣传兑现。",
    ),
    Category.CONTRACT: (
        "客户反映合约期内套餐被单方面变更，月费由{amount}元调整，未经本人同意。",
        "客户要求取消合约套餐，被告知需支付高额违约金，客户认为合同条款不公平。",
    ),
    Category.PORTING: (
        "客户申请携号转网时被告知有未到期合约无法办理，但客户称从未签订该合约。",
        "客户携号转入后短信验证码接收异常，已影响银行业务办理，要求尽快处理。",
    ),
    Category.ATTITUDE: (
        "客户反映在{place}营业厅办理业务时工作人员态度恶劣，拒绝解释资费问题。",
        "客户称拨打客服热线多次被转接后挂断，问题始终无人处理，对服务态度不满。",
    ),
    Category.PRIVACY: (
        "客户反映在营业厅办理业务后频繁接到推销电话，对方能准确说出其身份证号和住址，怀疑个人信息泄露。",
        "客户称未经同意其通话记录被他人查询，要求说明查询人及依据，并追究责任。",
    ),
    Category.AGENT: (
        "客户反映代理商网点工作人员私自为其办理副卡并扣费{amount}元，要求退费并处理代理商。",
        "客户称代理商以赠送手机为由让其签订合约，实际需按月支付高额费用，存在欺骗行为。",
    ),
    Category.OTHER: (
        "客户反映积分兑换的礼品至今未收到，多次询问无结果。",
        "客户对停机保号业务的收费标准有疑问，要求书面说明。",
    ),
}
DEMANDS: dict[Category, tuple[str, ...]] = {
    Category.NETWORK: ("要求尽快优化信号并减免当月月租", "要求给出明确的修复时间"),
    Category.BROADBAND: ("要求48小时内修复并减免故障期间费用", "要求达到合同约定速率或降档退费"),
    Category.BILLING: ("要求退还不明扣费{amount}元", "要求提供详细话单并解释扣费依据"),
    Category.SUBSCRIPTION: ("要求退订全部增值业务并退还已扣费用", "要求赔礼道歉并退费"),
    Category.MARKETING: ("要求按宣传承诺兑现资费", "要求无违约金取消套餐"),
    Category.CONTRACT: ("要求恢复原套餐资费", "要求免除违约金解除合约"),
    Category.PORTING: ("要求核实合约并尽快办理携号转网", "要求修复短信接收问题"),
    Category.ATTITUDE: ("要求相关人员道歉", "要求对工作人员进行处理并回复处理结果"),
    Category.PRIVACY: ("要求查明信息泄露原因并书面答复", "要求停止骚扰并追究相关人员责任"),
    Category.AGENT: ("要求退费并取消副卡", "要求解除合约并处理代理商"),
    Category.OTHER: ("要求尽快处理", "要求书面答复"),
}
RESOLUTIONS: dict[Category, tuple[str, ...]] = {
    Category.NETWORK: ("已安排网优工程师现场测试并调整天线参数，信号已改善，减免当月月租。",
                       "经核查为周边基站故障，已于次日修复，向客户致歉并赠送通话时长。"),
    Category.BROADBAND: ("已更换光猫并重新熔接光纤，测速达标，减免故障期间月租。",
                         "经核查线路老化，已重新布线，客户确认恢复正常。"),
    Category.BILLING: ("经核查扣费有误，已全额退还至话费账户，并向客户说明。",
                       "经调取详单，扣费为客户实际使用的漫游流量，已向客户解释并提供详单。"),
    Category.SUBSCRIPTION: ("已退订相关增值业务，并按规定退还未经确认订购期间的费用。",),
    Category.MARKETING: ("核实营销话术存在误导，已按宣传承诺恢复原资费，并对相关人员进行处理。",),
    Category.CONTRACT: ("已恢复原套餐资费，并免除变更产生的费用。", "经协商，免除违约金为客户解除合约。"),
    Category.PORTING: ("经核实该合约非本人签订，已解除限制，客户可正常办理携号转网。",),
    Category.ATTITUDE: ("已对当事员工进行批评教育，营业厅负责人向客户致歉。",),
    Category.PRIVACY: ("已启动个人信息安全核查，调取操作日志，结果将书面告知客户。",),
    Category.AGENT: ("已为客户取消副卡并退费，对代理商网点予以处罚。",),
    Category.OTHER: ("已按客户要求处理并回复。",),
}
FINDINGS = (
    "已调取客户近三个月详单及业务受理记录，并与相关班组核实。",
    "经核查系统日志和工单记录，客户反映情况基本属实。",
    "已联系装维班组现场核实，并调取测速记录。",
    "已核对营业厅受理单据及录音，情况已查明。",
)
LATE_REPLY_SHARE = 0.08
CATEGORY_WEIGHTS = {Category.BILLING: 22, Category.NETWORK: 15, Category.BROADBAND: 16, Category.SUBSCRIPTION: 12,
                    Category.MARKETING: 8, Category.CONTRACT: 7, Category.PORTING: 3, Category.ATTITUDE: 6,
                    Category.PRIVACY: 4, Category.AGENT: 4, Category.OTHER: 3}
CHANNEL_WEIGHTS = {Channel.HOTLINE: 55, Channel.COUNTER: 15, Channel.ONLINE: 14, Channel.EMAIL: 2,
                   Channel.LETTER: 1, Channel.SOCIAL: 5, Channel.REGULATOR: 6, Channel.GROUP: 2}


class DemoGenerator:
    def __init__(self, seed: int, now: datetime, span_days: int = 180) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.span_days = span_days
        # A pool of numbers that complain repeatedly, so repeat detection has something to find.
        self.repeat_pool = [self.mobile() for _ in range(400)]

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def received_at(self) -> datetime:
        # More recent days are busier; calls cluster in working hours (Beijing time).
        back = int(self.rng.triangular(0, self.span_days, 0))
        day = (self.now.astimezone(BEIJING) - timedelta(days=back)).date()
        minutes = int(self.rng.triangular(8 * 60, 21 * 60, 11 * 60))
        moment = datetime(day.year, day.month, day.day, minutes // 60, minutes % 60,
                          self.rng.randrange(60), tzinfo=BEIJING)
        return min(moment, self.now.astimezone(BEIJING) - timedelta(minutes=1))

    def complaint(self) -> dict[str, Any]:
        rng = self.rng
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        fill = {"n": rng.randint(2, 20), "month": rng.randint(1, 12),
                "amount": rng.choice((18, 29, 58, 99, 128, 300, 1260)),
                "speed": rng.choice((100, 300, 500, 1000)), "place": rng.choice(CITIES) + rng.choice(STREETS)}
        phone = rng.choice(self.repeat_pool) if rng.random() < 0.15 else self.mobile()
        return {
            "received_at": self.received_at(),
            "channel": channel.value,
            "category": category.value,
            "customer_name": self.name(),
            "phone": phone,
            "contact_phone": self.mobile() if rng.random() < 0.2 else None,
            "address": rng.choice(CITIES) + rng.choice(STREETS) + f"{rng.randint(1, 999)}号",
            "description": rng.choice(DESCRIPTIONS[category]).format(**fill),
            "demand": rng.choice(DEMANDS[category]).format(**fill),
        }

    def status_for(self, received_at: datetime) -> Status:
        """Older cases are mostly finished; the recent ones are still being worked."""
        age = (self.now - received_at).days
        rng = self.rng
        if age > 30:
            return rng.choices([Status.CLOSED, Status.FOLLOWED_UP, Status.REPLIED, Status.INVALID, Status.WITHDRAWN,
                                Status.APPEALED, Status.INVESTIGATING], weights=[70, 8, 6, 5, 4, 3, 4])[0]
        if age > 10:
            return rng.choices([Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED, Status.INVESTIGATING,
                                Status.PENDING_APPROVAL, Status.ACKNOWLEDGED], weights=[25, 15, 20, 25, 8, 7])[0]
        return rng.choices([Status.REGISTERED, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.PENDING_APPROVAL,
                            Status.REPLIED], weights=[25, 25, 35, 8, 7])[0]


# Accounts of a demo store, with documented passwords (README): login, name, role, team, password.
DEMO_ACCOUNTS = (
    ("demo", "演示坐席", "agent", "一组", "Demo-2026-agent"),
    ("banzhang", "演示班长", "supervisor", "一组", "Demo-2026-banzhang"),
    ("admin", "演示管理员", "admin", None, "Demo-2026-admin"),
)
DEMO_LOGIN, DEMO_PASSWORD = DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[0][4]
DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD = DEMO_ACCOUNTS[2][0], DEMO_ACCOUNTS[2][4]


def ensure_demo_accounts(sessions: sessionmaker[Session]) -> None:
    """Create the documented demo accounts that are missing. Only for demo and benchmark stores:
    the caller decides (the desk does it only for the separate demo store, python -m desktop --demo)."""
    with sessions.begin() as session:
        for login, name, role, team, password in DEMO_ACCOUNTS:
            if session.execute(select(User.id).where(User.login == login)).first() is None:
                new_user(session, login, name, role, team, hash_password(password))


def demo_password(login: str) -> str:
    """The documented password of a demo account (the demo agent's for any other login)."""
    return next((account[4] for account in DEMO_ACCOUNTS if account[0] == login), DEMO_PASSWORD)


def demo_admin_seat(url: str) -> AppServices:
    """The demo administrator signed in on a demo or benchmark store (the demo accounts are added)."""
    from desktop.services.app import Store

    store = Store.open(url)
    try:
        ensure_demo_accounts(store.sessions)
        return store.sign_in(DEMO_ADMIN_LOGIN, DEMO_ADMIN_PASSWORD)
    except BaseException:
        store.close()
        raise


def ensure_demo_agents(sessions: sessionmaker[Session]) -> list[Actor]:
    """The colleagues demo cases are assigned to: history only, they have no password and cannot sign in."""
    agents = []
    with sessions.begin() as session:
        for login, name in AGENTS:
            user = session.execute(select(User).where(User.login == login)).scalar_one_or_none()
            if user is None:
                user = new_user(session, login, name, "supervisor" if login.startswith("lead") else "agent", "一组",
                                None)
            agents.append(actor_of(session, user))
    return agents


def generate(sessions: sessionmaker[Session], complaints: ComplaintService, actor: Actor,
             count: int, *, seed: int = 1, now: datetime | None = None, batch_size: int = 5000,
             progress: Callable[[int], None] | None = None) -> int:
    """Insert ``count`` demo complaints in batches (bulk Core inserts, deadlines cached per day)."""
    now = now or datetime.now(UTC)
    generator = DemoGenerator(seed, now)
    agents = [*ensure_demo_agents(sessions), actor]
    logins = {agent.id: agent.login for agent in agents}
    cache: dict[tuple[str, date], Deadline] = {}
    done = 0
    with sessions() as session:
        counters = highest_serials(session)  # a store filled by an older generator can lack its counters
        for row in session.execute(select(NumberSequence)).scalars():
            counters[row.day] = max(row.last, counters.get(row.day, 0))
    while done < count:
        size = min(batch_size, count - done)
        complaint_rows: list[dict[str, Any]] = []
        for _ in range(size):
            complaint_rows.append(_row(generator, complaints, agents, counters, cache, now))
        with sessions.begin() as session:
            session.execute(insert(Base.metadata.tables["complaints"]), complaint_rows)
            numbers = [r["number"] for r in complaint_rows]
            found = session.execute(select(Complaint.number, Complaint.id).where(Complaint.number.in_(numbers)))
            ids = {number: complaint_id for number, complaint_id in found}
            events = [event for r in complaint_rows for event in _history(r, ids[r["number"]], now)]
            uuids = {ids[r["number"]]: r["uuid"] for r in complaint_rows}
            links = link_rows(session, [(EVENTS, event_content(uuids[e["complaint_id"]], logins[e["actor_id"]], e))
                                        for e in events])
            for event, link in zip(events, links, strict=True):
                event.update(link.columns())
            session.execute(insert(Base.metadata.tables["complaint_events"]), events)
            # The day counters move in the same transaction as the rows they numbered: a generation
            # stopped part-way must not leave intake to hand out a number that is already taken.
            _advance_counters(session, counters, {r["number"][3:11] for r in complaint_rows})
        done += size
        if progress:
            progress(done)
    return done


def _advance_counters(session: Session, counters: dict[str, int], days: set[str]) -> None:
    for day in days:
        existing = session.get(NumberSequence, day)
        if existing is None:
            session.add(NumberSequence(day=day, last=counters[day]))
        else:
            existing.last = max(existing.last, counters[day])


def _row(generator: DemoGenerator, complaints: ComplaintService, agents: list[Actor],
         counters: dict[str, int], cache: dict[tuple[str, date], Deadline], now: datetime) -> dict[str, Any]:
    rng = generator.rng
    data = generator.complaint()
    received: datetime = data["received_at"]
    received_day = received.astimezone(BEIJING).date()
    rule = rule_code_for(data["channel"], data["category"])
    key = (rule, received_day)
    if key not in cache:
        # Day-counted rules depend only on the Beijing receipt date, so one computation serves the day.
        cache[key] = complaints.preview_deadline(received, data["channel"], data["category"])
    reply = cache[key]
    day_key = received_day.strftime("%Y%m%d")
    counters[day_key] = counters.get(day_key, 0) + 1
    status = generator.status_for(received)
    agent = rng.choice(agents)
    received_utc = received.astimezone(UTC)
    row: dict[str, Any] = {
        **data,
        "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "number": f"TS-{day_key}-{counters[day_key]:04d}",
        "version": 1,
        "received_at": received_utc,
        "received_day": received_day,
        "id_number": None,
        "validity": "invalid" if status == Status.INVALID else "valid",
        "invalid_reason": rng.choice(list(InvalidReason)).value if status == Status.INVALID else None,
        "status": status.value,
        "is_open": status in OPEN_STATUSES,
        "status_reason": None,
        "assigned_agent_id": agent.id,
        "investigation_notes": None,
        "resolution": None,
        "compensation": None,
        "reply_at": None, "reply_method": None, "followup_at": None, "satisfaction": None,
        "followup_comment": None, "appeal_date": None, "appeal_reference": None,
        "clock_start_at": received_utc,
        "reply_due_date": reply.due_date,
        "reply_due_at": reply.due_at.astimezone(UTC),
        "ack_due_at": received_utc + timedelta(hours=24),
        "deadline_rule": rule,
        "calendar_provisional": reply.calendar == "provisional",
        "created_at": received_utc,
        "created_by_id": agent.id,
        "updated_at": received_utc,
        "closed_at": None,
    }
    if status in (Status.REPLIED, Status.FOLLOWED_UP, Status.CLOSED, Status.APPEALED):
        # Most replies come within the period; some arrive late, as in any real centre's figures.
        hours = rng.randint(4, 14 * 24) if rng.random() > LATE_REPLY_SHARE else rng.randint(16 * 24, 25 * 24)
        replied = min(received_utc + timedelta(hours=hours), now)
        row.update(resolution=rng.choice(RESOLUTIONS[Category(row["category"])]), reply_at=replied,
                   investigation_notes=rng.choice(FINDINGS),
                   reply_method=rng.choice(("phone", "sms", "in_person")),
                   compensation=None)
        if rng.random() < 0.3:
            row["compensation"] = Decimal(rng.choice((10, 20, 50, 100)))
    if status is Status.PENDING_APPROVAL:
        # A case awaits approval with its findings and proposed resolution (what the supervisor decides on).
        row.update(investigation_notes=rng.choice(FINDINGS),
                   resolution=rng.choice(RESOLUTIONS[Category(row["category"])]),
                   compensation=Decimal(rng.choice((50, 120, 200))) if rng.random() < 0.5 else None)
    if status in (Status.FOLLOWED_UP, Status.CLOSED):
        satisfaction = rng.choices((1, 2, 3, 4, 5), (5, 5, 15, 35, 40))[0]
        row.update(followup_at=row["reply_at"] + timedelta(days=1), satisfaction=satisfaction)
    if status in (Status.CLOSED, Status.INVALID, Status.WITHDRAWN):
        row["closed_at"] = row["followup_at"] or min(received_utc + timedelta(days=2), now)
    return row


# The workflow steps that lead to each demo status, so a demo case carries a believable history.
_PATHS: dict[Status, tuple[tuple[str, Status], ...]] = {
    Status.REGISTERED: (),
    Status.ACKNOWLEDGED: (("acknowledge", Status.ACKNOWLEDGED),),
    Status.INVESTIGATING: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING)),
    Status.PENDING_APPROVAL: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING),
                              ("submit_for_approval", Status.PENDING_APPROVAL)),
    Status.REPLIED: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING),
                     ("reply", Status.REPLIED)),
    Status.FOLLOWED_UP: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING),
                         ("reply", Status.REPLIED), ("follow_up", Status.FOLLOWED_UP)),
    Status.CLOSED: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING),
                    ("reply", Status.REPLIED), ("follow_up", Status.FOLLOWED_UP), ("close", Status.CLOSED)),
    Status.INVALID: (("mark_invalid", Status.INVALID),),
    Status.WITHDRAWN: (("acknowledge", Status.ACKNOWLEDGED), ("withdraw", Status.WITHDRAWN)),
    Status.APPEALED: (("acknowledge", Status.ACKNOWLEDGED), ("investigate", Status.INVESTIGATING),
                      ("reply", Status.REPLIED), ("record_appeal", Status.APPEALED)),
}


def _history(row: dict[str, Any], complaint_id: int, now: datetime) -> list[dict[str, Any]]:
    """The creation event and one transition event per step, spaced between receipt and the last step."""
    created: datetime = row["created_at"]
    events = [{"complaint_id": complaint_id, "at": created, "actor_id": row["created_by_id"], "kind": "created",
               "action": None, "from_status": None, "to_status": Status.REGISTERED.value, "changes": "{}",
               "note": None}]
    steps = _PATHS[Status(row["status"])]
    end = row["closed_at"] or row["followup_at"] or row["reply_at"] or min(created + timedelta(days=3), now)
    span = max((end - created).total_seconds(), 60.0)
    previous = Status.REGISTERED
    for index, (action, target) in enumerate(steps, start=1):
        changes: dict[str, list[Any]] = {"status": [previous.value, target.value]}
        if action == "reply":
            changes.update(resolution=[None, row["resolution"]], reply_method=[None, row["reply_method"]])
        elif action == "follow_up":
            changes["satisfaction"] = [None, row["satisfaction"]]
        elif action == "mark_invalid":
            changes["invalid_reason"] = [None, row["invalid_reason"]]
        events.append({"complaint_id": complaint_id, "at": created + timedelta(seconds=span * index / len(steps)),
                       "actor_id": row["assigned_agent_id"], "kind": "transition", "action": action,
                       "from_status": previous.value, "to_status": target.value,
                       "changes": json.dumps(changes, ensure_ascii=False), "note": None})
        previous = target
    return events
