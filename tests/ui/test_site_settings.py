"""File › Site settings…: real widgets on a real SQLite store, as the admin, a supervisor and an agent."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.domain.deadlines import DEFAULT_RULES
from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.errors import PermissionDeniedError
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.site_settings import SiteSettingsDialog
from tests.accounts import open_as

REGULATOR_CASE = {
    "received_at": "2025-06-03T09:00:00+08:00",
    "channel": "regulator",
    "category": "subscription",
    "customer_name": "李四",
    "phone": "+86 139-0000-1111",
    "description": "客户发现号码被开通视频彩铃业务，每月扣费10元，称从未订购。",
    "demand": "要求退订并退还已扣费用",
}


def _dialog(qtbot: QtBot, services: AppServices) -> SiteSettingsDialog:
    dialog = SiteSettingsDialog(services)
    qtbot.addWidget(dialog)
    return dialog


def _shown_error(dialog: SiteSettingsDialog, name: str) -> str:
    label = dialog.findChild(QLabel, name)
    assert label is not None
    return label.text() if not label.isHidden() else ""


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when the recompute dialog shows
def test_admin_saves_names_and_a_shorter_regulator_period(qtbot: QtBot, services: AppServices) -> None:
    record = services.complaints.create(services.actor, REGULATOR_CASE)
    assert record.reply_due_date == date(2025, 6, 17)  # 10 working days by default
    dialog = _dialog(qtbot, services)
    assert dialog.save_button.isEnabled() and not dialog.texts["operator_name"].isReadOnly()
    assert dialog.spins["regulator"].value() == DEFAULT_RULES["regulator"].amount

    dialog.texts["operator_name"].setText("  中国电信股份有限公司广州分公司 ")
    dialog.spins["regulator"].setValue(5)
    assert dialog.save() is True

    assert dialog.result() == SiteSettingsDialog.DialogCode.Accepted
    assert services.site.get("operator_name") == "中国电信股份有限公司广州分公司"
    assert services.site.get("deadline_rules") == {"regulator": 5}  # only what differs from the default
    assert services.complaints.get(record.number).reply_due_date == date(2025, 6, 10)  # 6/4–6/10
    history = services.complaints.events(record.number)[-1]
    assert (history.kind, history.note) == ("deadline", "本单位期限设置变更后重新计算。")  # says why it moved
    assert dialog.report == "本单位设置已保存；1 件未办结投诉的期限已重新计算。"
    # A new case is timed by the new period too: the clock was reloaded.
    later = services.complaints.create(services.actor, dict(REGULATOR_CASE, phone="13900002222"))
    assert later.reply_due_date == date(2025, 6, 10)
    # Opening again shows what is stored.
    again = _dialog(qtbot, services)
    assert again.spins["regulator"].value() == 5


def test_too_long_reply_period_is_refused_beside_its_box(qtbot: QtBot, services: AppServices) -> None:
    dialog = _dialog(qtbot, services)
    dialog.texts["site_name"].setText("广州客服中心")
    dialog.spins["reply"].setValue(30)
    assert dialog.save() is False

    message = _shown_error(dialog, "rule_reply_error")
    assert "30" in message and "15" in message and "不能延长" in message
    assert _shown_error(dialog, "site_settings_error") == "未保存任何内容：请更正标出的字段。"
    assert _shown_error(dialog, "rule_regulator_error") == ""
    assert dialog.result() != SiteSettingsDialog.DialogCode.Accepted
    # Nothing at all is stored, not even the valid name typed beside the bad period.
    assert services.site.get("deadline_rules") == {}
    assert services.site.get("site_name") == "客户服务中心"

    dialog.spins["reply"].setValue(15)
    assert dialog.save() is True
    assert services.site.get("site_name") == "广州客服中心"
    assert dialog.report == "本单位设置已保存。"  # the periods did not change: nothing recomputed


def test_errors_follow_the_language(qtbot: QtBot, services: AppServices) -> None:
    set_language("en")
    dialog = _dialog(qtbot, services)
    dialog.texts["operator_name"].setText("   ")
    dialog.spins["repair_urban"].setValue(49)
    assert dialog.save() is False
    assert _shown_error(dialog, "site_operator_name_error") == "Operator name cannot be empty."
    assert "legal limit of 48 hours" in _shown_error(dialog, "rule_repair_urban_error")
    assert services.site.get("operator_name") == "中国电信股份有限公司（示例）"


@pytest.mark.parametrize(("role", "shown_as"), [("agent", "坐席"), ("supervisor", "班组长")])
def test_only_the_admin_may_change_the_settings(qtbot: QtBot, services: AppServices, db_url: str, role: str,
                                                shown_as: str) -> None:
    services.site.set(services.actor, "site_address", "广州市天河区示例路1号")
    services.site.set(services.actor, "deadline_rules", {"regulator": 7})
    seat = open_as(db_url, f"{role}9", role=role, display_name="王芳")
    dialog = _dialog(qtbot, seat)

    assert not dialog.save_button.isEnabled()
    assert dialog.texts["site_address"].text() == "广州市天河区示例路1号"
    assert all(field.isReadOnly() for field in dialog.texts.values())
    assert all(spin.isReadOnly() for spin in dialog.spins.values())
    assert dialog.spins["regulator"].value() == 7
    assert not dialog.supervision.mode.isEnabled()  # the approval policy and assignment too
    assert not dialog.note.isHidden()
    assert f"只有管理员可以修改；您当前以{shown_as}身份登录" in dialog.note.text()
    dialog.texts["site_address"].setText("别处")  # even if a field is changed programmatically
    assert dialog.save() is False
    with pytest.raises(PermissionDeniedError, match=f"王芳（{shown_as}）无权执行此操作：修改本单位设置"):
        seat.site.set(seat.actor, "site_address", "别处")  # the service refuses what the dialog does not offer
    assert services.site.get("site_address") == "广州市天河区示例路1号"
    seat.close()


def test_admin_sees_no_read_only_note_and_unit_hints(qtbot: QtBot, services: AppServices) -> None:
    dialog = _dialog(qtbot, services)
    assert dialog.note.isHidden()
    assert dialog.spins["regulator"].suffix() == "个工作日"
    assert dialog.spins["repair_rural"].suffix() == "小时"
    assert dialog.spins["reply"].suffix() == "日"
    limits = dialog.findChild(QLabel, "rule_reply_limits")
    assert limits is not None and limits.text() == "默认 15日；法定上限 15日"


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when the modal dialog shows
def test_file_menu_opens_site_settings_after_signing_keys(qtbot: QtBot, services: AppServices,
                                                          desk_settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    entries = [action.objectName() for action in window.menus["file"].actions()]
    assert entries.index("action_site_settings") == entries.index("action_signing_keys") + 1
    assert window.desk_actions["site_settings"].text() == "本单位设置(&I)…"  # &S is Save's
    services.complaints.create(services.actor, REGULATOR_CASE)

    def answered(dialog: SiteSettingsDialog) -> int:
        # The real dialog, answered as an admin would, without a nested event loop whose timing
        # depends on what earlier tests left on the offscreen screen.
        dialog.spins["regulator"].setValue(6)
        dialog.save_button.click()
        return int(dialog.result())

    monkeypatch.setattr(SiteSettingsDialog, "exec", answered)
    window.desk_actions["site_settings"].trigger()
    assert services.site.get("deadline_rules") == {"regulator": 6}
    assert window.statusBar().currentMessage() == "本单位设置已保存；1 件未办结投诉的期限已重新计算。"
    window.close()
