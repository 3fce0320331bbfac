"""File › Signing certificates…: the identities table, the demo warning, import and issue."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.i18n import _, set_language
from desktop.letters.keys import (
    create_site_ca,
    ensure_demo_identity,
    find_identity,
    issue_agent_certificate,
    site_ca_dir,
)
from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.letters.keys_dialog import (
    DEMO_WARNING,
    IdentityTableModel,
    KeyFileDialog,
    KeyNameDialog,
    KeyPassphraseDialog,
    SigningKeysDialog,
)
from desktop.ui.main_window import MainWindow

PASSPHRASE = b"counter-secret"
WARNING_ZH = "演示证书，不具法律效力，请替换为本单位证书"


def answers(monkeypatch: pytest.MonkeyPatch, *, files: Sequence[Path | None] = (),
            passphrases: Sequence[bytes | None] = (), names: Sequence[str | None] = ()) -> list[str]:
    """Answer the dialog's questions in order; returns the texts of the passphrase prompts."""
    file_answers, pass_answers, name_answers = iter(files), iter(passphrases), iter(names)
    prompts: list[str] = []

    def ask_file(_parent: QWidget | None, _kind: str) -> Path | None:
        return next(file_answers)

    def ask_passphrase(_parent: QWidget | None, _title: str, text: str, *, confirm: bool) -> bytes | None:
        prompts.append(f"{'confirm' if confirm else 'once'}: {text}")
        return next(pass_answers)

    def ask_name(_parent: QWidget | None, _title: str, _label: str, suggestions: list[str]) -> str | None:
        prompts.append("names: " + ",".join(suggestions))
        return next(name_answers)

    monkeypatch.setattr(KeyFileDialog, "ask", classmethod(lambda cls, *a: ask_file(*a)))
    monkeypatch.setattr(KeyPassphraseDialog, "ask", classmethod(lambda cls, *a, **k: ask_passphrase(*a, **k)))
    monkeypatch.setattr(KeyNameDialog, "ask", classmethod(lambda cls, *a: ask_name(*a)))
    return prompts


def open_dialog(qtbot: QtBot, services: AppServices) -> SigningKeysDialog:
    dialog = SigningKeysDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def test_identity_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    ensure_demo_identity("王芳", PASSPHRASE)
    issue_agent_certificate(create_site_ca(tmp_path / "ca", "XX电信客户服务中心", PASSPHRASE), "李娜", PASSPHRASE)
    model = IdentityTableModel()  # parentless: the tester outlives any dialog
    model.reload()
    qtmodeltester.check(model, force_py=True)
    kinds = {model.data(model.index(row, 0)): model.data(model.index(row, 1)) for row in range(model.rowCount())}
    assert kinds == {"王芳": "演示证书", "李娜": "本单位证书"}


def test_lists_real_identities_without_warning(qtbot: QtBot, services: AppServices) -> None:
    ca = create_site_ca(site_ca_dir(), "XX电信客户服务中心", PASSPHRASE)
    issue_agent_certificate(ca, "测试员", PASSPHRASE)
    issue_agent_certificate(ca, "李娜", PASSPHRASE, key_type="rsa")
    dialog = open_dialog(qtbot, services)
    model = dialog.model
    assert model.rowCount() == 2 and model.columnCount() == 5
    agents = sorted(str(model.data(model.index(row, 0))) for row in range(2))
    assert agents == ["李娜", "测试员"]
    assert {model.data(model.index(row, 1)) for row in range(2)} == {"本单位证书"}
    assert model.data(model.index(0, 2)) == "XX电信客户服务中心"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "持有人"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.demo_warning.isHidden()
    assert "XX电信客户服务中心" in dialog.site_line.text() and "演示" not in dialog.site_line.text()
    assert not dialog.create_ca_button.isEnabled()  # a real site CA is made once


def test_demo_identity_of_the_acting_agent_is_flagged(qtbot: QtBot, services: AppServices) -> None:
    ensure_demo_identity("测试员", PASSPHRASE)
    dialog = open_dialog(qtbot, services)
    assert not dialog.demo_warning.isHidden()
    assert dialog.demo_warning.text() == WARNING_ZH
    assert dialog.model.data(dialog.model.index(0, 1)) == "演示证书"
    assert dialog.model.data(dialog.model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert dialog.create_ca_button.isEnabled()  # the demo CA may be replaced


def test_demo_identity_of_someone_else_does_not_warn(qtbot: QtBot, services: AppServices) -> None:
    ensure_demo_identity("别人", PASSPHRASE)
    dialog = open_dialog(qtbot, services)
    assert dialog.demo_warning.isHidden() and dialog.model.rowCount() == 1
    assert "测试员 还没有签名证书" in dialog.agent_line.text()


def test_import_p12_replaces_the_demo_warning(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                              services: AppServices, tmp_path: Path) -> None:
    ensure_demo_identity("测试员", PASSPHRASE)
    own_ca = create_site_ca(tmp_path / "own-ca", "自建 CA 网点", PASSPHRASE)
    exported = issue_agent_certificate(own_ca, "测试员", PASSPHRASE, directory=tmp_path / "export")
    dialog = open_dialog(qtbot, services)
    assert not dialog.demo_warning.isHidden()
    prompts = answers(monkeypatch, files=[exported.path, exported.path, own_ca.directory / "ca.pem", exported.path],
                      passphrases=[b"wrong", PASSPHRASE, PASSPHRASE])
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "口令错误" in dialog.message.text() and dialog.model.rowCount() == 1
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # its CA is not trusted yet
    assert "不是本单位信任的 CA 签发的" in dialog.message.text() and dialog.model.rowCount() == 1
    assert dialog.trust_ca() is True  # the administrator trusts the site's CA first
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert prompts == [f"once: 请输入 {exported.path.name} 的口令。"] * 3
    assert "已导入 测试员 的证书" in dialog.message.text()
    assert dialog.model.rowCount() == 2 and dialog.demo_warning.isHidden()
    assert "自建 CA 网点" in dialog.trust_line.text()
    own = find_identity("测试员")
    assert own is not None and not own.is_demo


def test_cancelled_questions_change_nothing(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                            services: AppServices) -> None:
    dialog = open_dialog(qtbot, services)
    answers(monkeypatch, files=[None, None], names=[None])
    assert dialog.import_certificate() is False and dialog.trust_ca() is False and dialog.create_ca() is False
    assert dialog.model.rowCount() == 0 and dialog.message.text() == ""


def test_supervisor_replaces_the_demo_ca_and_issues(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                   services: AppServices, tmp_path: Path) -> None:
    ensure_demo_identity("测试员", PASSPHRASE)
    dialog = open_dialog(qtbot, services)
    assert dialog.create_ca_button.isVisibleTo(dialog) and dialog.issue_button.isVisibleTo(dialog)
    prompts = answers(monkeypatch, names=["XX电信客户服务中心", "测试员"],
                      passphrases=[b"ca-pass-2025", b"ca-pass-2025", b"agent-pass-2025"])
    assert dialog.create_ca() is True
    assert "演示身份已停用" in dialog.message.text() and dialog.model.rowCount() == 0
    assert dialog.issue_certificate() is True
    assert prompts[0] == "names: 客户服务中心"  # the site name is suggested
    assert "names: " in prompts[2] and "测试员" in prompts[2]  # the store's users are suggested
    assert prompts[3] == "once: 请输入本单位 CA 的口令。" and prompts[4].startswith("confirm: ")
    own = find_identity("测试员")
    assert own is not None and not own.is_demo and own.issuer == "XX电信客户服务中心"
    assert dialog.demo_warning.isHidden() and "已为 测试员 签发证书" in dialog.message.text()
    trust = tmp_path / "ca.pem"
    trust.write_bytes((site_ca_dir() / "ca.pem").read_bytes())
    answers(monkeypatch, files=[trust])
    assert dialog.trust_ca() is True and "现在受信任" in dialog.message.text()


def test_an_agent_sees_no_admin_buttons(qtbot: QtBot, agent_services: AppServices) -> None:
    dialog = open_dialog(qtbot, agent_services)
    assert not dialog.create_ca_button.isVisibleTo(dialog) and not dialog.issue_button.isVisibleTo(dialog)
    assert dialog.import_button.isVisibleTo(dialog) and not dialog.trust_button.isVisibleTo(dialog)
    assert dialog.create_ca() is False and "无权执行此操作" in dialog.message.text()
    assert dialog.trust_ca() is False and dialog.issue_certificate() is False
    assert not (site_ca_dir() / "ca.p12").exists()


def test_passphrase_dialog_for_a_new_key_wants_it_twice(qtbot: QtBot) -> None:
    dialog = KeyPassphraseDialog("创建本单位 CA", "请设定口令", confirm=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "确定" and dialog.windowTitle() == "创建本单位 CA"
    qtbot.keyClicks(dialog.passphrase, "one")
    qtbot.keyClicks(dialog.repeat, "one")
    assert not ok.isEnabled() and "至少需要 10 个字符" in dialog.problem.text()  # too short for a new key
    dialog.passphrase.clear()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.passphrase, "onetwothree")
    assert not ok.isEnabled() and "不能只用一类字符" in dialog.problem.text()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, "one-two-3")
    qtbot.keyClicks(dialog.passphrase, "4")
    qtbot.keyClicks(dialog.repeat, "two")
    assert not ok.isEnabled()
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "one-two-34")
    assert ok.isEnabled() and dialog.value() == b"one-two-34"


def test_file_menu_opens_the_dialog(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, services: AppServices,
                                    tmp_path: Path) -> None:
    opened: list[AppServices] = []
    monkeypatch.setattr(SigningKeysDialog, "ask", classmethod(lambda cls, s, parent=None: opened.append(s)))
    window = MainWindow(services, Settings(tmp_path / "settings.ini"), background=False,
                        intake_factory=lambda _s, _t: QLabel("stand-in"),
                        case_factory=lambda _s, _t: QLabel("stand-in"))
    qtbot.addWidget(window)
    action = window.desk_actions["signing_keys"]
    assert action in window.menus["file"].actions() and action.text() == "签名证书(&C)…"
    action.trigger()
    assert opened == [services]
    window.runner.wait(5000)


def test_warning_text_is_the_agreed_chinese() -> None:
    assert _(DEMO_WARNING) == WARNING_ZH
    set_language("en")
    assert _(DEMO_WARNING).startswith("Demo certificate, not legally valid")
