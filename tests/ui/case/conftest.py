"""Fixtures for the case view tests: a stored complaint and a shown, active view."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop.services.app import AppServices
from desktop.ui.case.view import CaseView

RAW = {
    "received_at": "2026-03-02T09:30:00+08:00",
    "channel": "hotline",
    "category": "billing",
    "customer_name": "王芳",
    "phone": "13812345678",
    "description": "三月账单多扣了20元流量费。",
    "demand": "退还多扣费用。",
}


@pytest.fixture
def case_number(services: AppServices) -> str:
    return services.complaints.create(services.actor, RAW).number


@pytest.fixture
def make_view(qtbot: QtBot, services: AppServices) -> Callable[..., CaseView]:
    def make(number: str | None = None, app_services: AppServices | None = None) -> CaseView:
        view = CaseView(app_services or services)
        qtbot.addWidget(view)
        view.resize(1100, 760)
        with qtbot.waitExposed(view):
            view.show()
        with qtbot.waitActive(view):
            view.activateWindow()
        if number is not None:
            view.show_case(number)
        return view

    return make
