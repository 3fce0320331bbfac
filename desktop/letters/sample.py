"""A realistic sample letter, for the demo command, the benchmark and tests.

The quoted article is copied exactly from the official text (电信条例, 2016
revision); a test compares it with the law sources.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from desktop.letters.content import (
    LetterCitation,
    LetterContent,
    LetterLanguage,
    SignatureStrokes,
)

SAMPLE_CITATION = LetterCitation(
    title="中华人民共和国电信条例",
    label="第三十一条",
    text=(
        "电信用户申请安装、移装电信终端设备的，电信业务经营者应当在其公布的时限内保证装机开通；"
        "由于电信业务经营者的原因逾期未能装机开通的，应当每日按照收取的安装费、移装费或者其他费用"
        "数额1%的比例，向电信用户支付违约金。"
    ),
    version_date="2016-02-06",
    verified=True,
    confirmed_by_agent=False,
)


def sample_signature() -> SignatureStrokes:
    """A looping scribble with varying pressure, like a quick signature."""
    first = tuple(
        (
            0.08 + 0.5 * t / 40,
            0.55 - 0.3 * math.sin(t / 40 * math.pi * 3) * (1 - t / 80),
            0.35 + 0.5 * math.sin(t / 40 * math.pi),
        )
        for t in range(41)
    )
    second = tuple((0.6 + 0.3 * t / 20, 0.35 + 0.35 * t / 20, 0.6) for t in range(21))
    underline = tuple((0.1 + 0.8 * t / 10, 0.85 - 0.02 * t / 10, 0.3) for t in range(11))
    return (first, second, underline)


def sample_content(
    language: LetterLanguage = "zh_CN",
    *,
    revision: int = 1,
    signed_by_customer: bool = True,
) -> LetterContent:
    chinese = language == "zh_CN"
    return LetterContent(
        operator_name="中国电信股份有限公司北京分公司"
        if chinese
        else "China Telecom Beijing Branch",
        site_name="朝阳门营业厅" if chinese else "Chaoyangmen service hall",
        site_address="北京市东城区朝阳门北大街 21 号"
        if chinese
        else "21 Chaoyangmen North Street, Dongcheng, Beijing",
        complaint_number="TS-2025-000123",
        complaint_uuid="5f0c3a52-9f0e-4c1b-8a53-2f4b8f6a9d10",
        customer_name="张伟",
        received_at=datetime(2025, 3, 3, 10, 15),
        description_brief=(
            "宽带新装约定 2 月 20 日开通，实际 3 月 1 日才开通，期间多次催办无果。"
            if chinese
            else "Broadband was promised for 20 February but only worked on 1 March, "
            "despite repeated calls."
        ),
        demand_brief=(
            "要求按规定支付逾期开通违约金并减免当月月租。"
            if chinese
            else "The customer asked for the statutory late-installation penalty "
            "and a waiver of this month's fee."
        ),
        findings=(
            "经核查装机工单，因我司施工排期原因逾期 9 天开通，情况属实。"
            if chinese
            else "The work order shows installation was 9 days late because of our own "
            "scheduling; the complaint is upheld."
        ),
        resolution=(
            "按《电信条例》第三十一条每日 1% 支付违约金，并减免 3 月月租。"
            if chinese
            else "We pay the penalty of 1% of the installation fee per day late "
            "and waive the March fee."
        ),
        compensation=Decimal("128.00"),
        citations=(SAMPLE_CITATION,),
        reply_due_date=date(2025, 3, 17),
        reply_date=date(2025, 3, 10),
        agent_name="李娜",
        language=language,
        customer_signature=sample_signature() if signed_by_customer else None,
        revision=revision,
    )
