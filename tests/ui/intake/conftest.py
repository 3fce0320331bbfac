"""Fixtures for the intake form tests: fast autosave and a keyboard that types into the focus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.intake.form import IntakeForm


@pytest.fixture
def intake_settings(tmp_path: Path) -> Settings:
    settings = Settings(tmp_path / "settings.ini")
    settings.set("autosave_seconds", 1)
    return settings


class Keyboard:
    """Types into whatever has the focus, as an agent would (QTest cannot send non-ASCII)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    @staticmethod
    def focused() -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        for char in text:
            target = self.focused()
            if char.isascii():
                self.qtbot.keyClick(target, char)
            else:
                plain = Qt.KeyboardModifier.NoModifier
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(target, QKeyEvent(kind, 0, plain, char))

    def tab(self, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.focused(), Qt.Key.Key_Tab)

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
              ) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)


@pytest.fixture
def keyboard(qtbot: QtBot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def make_form(qtbot: QtBot, services: AppServices, intake_settings: Settings
              ) -> Callable[[], IntakeForm]:
    def make() -> IntakeForm:
        form = IntakeForm(services, intake_settings)
        qtbot.addWidget(form)
        form.resize(1100, 760)
        with qtbot.waitExposed(form):
            form.show()
        with qtbot.waitActive(form):
            form.activateWindow()
        return form

    return make


@pytest.fixture
def seed_complaint(services: AppServices) -> Callable[..., str]:
    """Store a complaint directly through the service (the history the form should find)."""

    def seed(phone: str = "13812345678", **overrides: str) -> str:
        raw = {
            "received_at": "2026-03-02T09:30:00+08:00",
            "channel": "hotline",
            "category": "billing",
            "customer_name": "王芳",
            "phone": phone,
            "description": "三月账单多扣了20元流量费。",
            "demand": "退还多扣费用。",
            **overrides,
        }
        return services.complaints.create(services.actor, raw).number

    return seed
