"""The approval queue, the team board and the quality review form on a real store with real seats."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase

from desktop.domain.codes import Status
from desktop.domain.deadlines import BEIJING
from desktop.domain.workflow import Action
from desktop.paths import resource_path
from desktop.services.app import AppServices
from desktop.services.queue import QueueFilter
from desktop.settings import Settings
from desktop.ui.main_window import MainWindow
from desktop.ui.supervisor.approvals import ApprovalDialog
from desktop.ui.supervisor.quality import QualityReviewDialog
from desktop.ui.supervisor.team_board import TeamBoardDialog
from tests.supervision import closed_case, team_seats

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform


@pytest.fixture(autouse=True)
def _cjk_font(qapp: object) -> None:
    QFontDatabase.addApplicationFont(str(resource_path("fonts/DroidSansFallbackFull.ttf")))


@pytest.fixture
def seats(services: AppServices, db_url: str) -> Iterator[dict[str, AppServices]]:
    with team_seats(db_url, "lead", "wang", "zhou") as opened:
        yield opened


def _pending(seat: AppServices, compensation: str = "300") -> str:
    c, actor = seat.complaints, seat.actor
    number = c.create(actor, {
        "received_at": (datetime.now(BEIJING) - timedelta(hours=2)).isoformat(), "channel": "hotline",
        "category": "billing", "customer_name": "张三", "phone": "13800000001",
        "description": "客户反映本月话费多扣 300 元。", "demand": "要求退还多扣费用"}).number
    c.transition(actor, number, Action.ACKNOWLEDGE)
    c.transition(actor, number, Action.INVESTIGATE)
    c.update(actor, number, {"investigation_notes": "经核查，系统重复扣费。", "resolution": "退还多扣话费 300 元",
                             "compensation": compensation}, c.get(number).version)
    c.transition(actor, number, Action.SUBMIT_FOR_APPROVAL)
    return number


_closed = closed_case


def test_approval_window_shows_the_proposal_and_letter_and_decides(qtbot: object,
                                                                   seats: dict[str, AppServices]) -> None:
    first, second = _pending(seats["wang"]), _pending(seats["wang"], "150")
    dialog = ApprovalDialog(seats["lead"])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.letter_shown, timeout=20000) as shown:  # type: ignore[attr-defined]
        dialog.show()
    qtbot.waitExposed(dialog)  # type: ignore[attr-defined]
    dialog.activateWindow()
    assert shown.args == [first] and dialog.numbers() == [first, second]
    assert dialog.document.pageCount() >= 1  # the unsigned letter, rendered off the GUI thread
    html = dialog.details.toPlainText()
    assert "退还多扣话费 300 元" in html and "待审批的处理方案" in html
    # Personal data is masked here as everywhere: the number and full name of the customer are not shown.
    record = seats["lead"].complaints.get(first)
    assert record.phone not in html and record.customer_name not in html
    dialog.return_for_rework()  # no reason typed: refused, nothing changes
    assert "请说明退回重办的原因" in dialog.message.text()
    assert seats["lead"].complaints.get(first).status == Status.PENDING_APPROVAL
    dialog.note.setText("同意")
    with qtbot.waitSignal(dialog.decided, timeout=5000):  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert dialog.numbers() == [second]
    assert seats["lead"].complaints.events(first)[-1].note == "同意"
    dialog.note.setText("金额偏高，请复核")
    assert dialog.return_for_rework()
    assert seats["lead"].complaints.get(second).status == Status.INVESTIGATING
    assert dialog.numbers() == [] and "没有待您审批" in dialog.details.toPlainText()
    dialog.runner.wait()


def test_team_board_model_and_double_click_scopes_the_queue(qtbot: object, qtmodeltester: object,
                                                            seats: dict[str, AppServices],
                                                            desk_settings: Settings) -> None:
    _pending(seats["wang"])
    _pending(seats["zhou"])
    seats["lead"].supervision.reassign(seats["lead"].actor, _pending(seats["zhou"]), "wang", "均衡工作量")
    window = MainWindow(seats["lead"], desk_settings, background=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    dialog = TeamBoardDialog(seats["lead"], window)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=5000)  # type: ignore[attr-defined]
    qtmodeltester.check(dialog.model, force_py=True)  # type: ignore[attr-defined]
    assert [dialog.model.data(dialog.model.index(r, 0)) for r in range(2)] == ["王芳", "周杰"]
    assert dialog.model.data(dialog.model.index(0, 1)) == "2"
    from desktop.ui.supervisor import desk

    dialog.agent_chosen.connect(lambda agent_id, _name: desk.show_agent_queue(window, agent_id))
    dialog.table.doubleClicked.emit(dialog.model.index(0, 0))
    qtbot.waitUntil(lambda: window.queue_model.query.agent_id == seats["wang"].actor.id)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2, timeout=5000)  # type: ignore[attr-defined]
    window.queue_view.set_filter(QueueFilter.MINE)  # any saved filter shows everyone's again
    assert window.queue_model.query.agent_id is None
    dialog.runner.wait()


def test_agent_sees_no_team_board_and_approvals_are_disabled(qtbot: object, seats: dict[str, AppServices],
                                                             desk_settings: Settings) -> None:
    window = MainWindow(seats["wang"], desk_settings, background=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    assert not window.desk_actions["approvals"].isEnabled()
    assert not window.desk_actions["team_board"].isEnabled()
    assert window.desk_actions["quality_review"].isEnabled()
    assert window.desk_actions["approvals"].shortcut().toString() == "Ctrl+Alt+A"


def test_quality_form_scores_and_agents_read_only(qtbot: object, seats: dict[str, AppServices]) -> None:
    number = _closed(seats["wang"])
    lead = QualityReviewDialog(seats["lead"])
    qtbot.addWidget(lead)  # type: ignore[attr-defined]
    assert lead.numbers() == []
    assert lead.draw_sample() == [number]
    assert lead.numbers() == [number] and lead.total.text() == "100"  # unscored: every item at full marks
    lead.points["courtesy"].setValue(5)
    lead.item_comments["courtesy"].setText("语气生硬")
    assert lead.total.text() == "90"
    with qtbot.waitSignal(lead.scored, timeout=2000) as scored:  # type: ignore[attr-defined]
        lead.save_button.click()
    assert scored.args == [number, 90.0]
    agent = QualityReviewDialog(seats["wang"])
    qtbot.addWidget(agent)  # type: ignore[attr-defined]
    assert agent.windowTitle() == "我的质检结果" and agent.numbers() == [number]
    assert not agent.save_button.isEnabled() and not agent.points["facts"].isEnabled()
    assert agent.item_comments["courtesy"].text() == "语气生硬" and agent.total.text() == "90"
    assert agent.sample_button.isHidden()


def test_site_settings_edit_the_approval_policy_and_assignment(qtbot: object, seats: dict[str, AppServices],
                                                               services: AppServices) -> None:
    from desktop.ui.site_settings import SiteSettingsDialog

    dialog = SiteSettingsDialog(services)  # an admin: the site's settings are the admin's
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    box = dialog.supervision
    assert box.amount_enabled.isChecked() and box.amount.value() == 100 and box.flags["invalid"].isChecked()
    box.amount.setValue(250)
    box.flags["invalid"].setChecked(False)
    box.mode.setCurrentIndex(box.mode.findData("least_load"))
    assert dialog.save()
    assert seats["lead"].site.get("approval_policy") == {"compensation_above": "250.00", "regulator": True,
                                                         "privacy": True, "invalid": False}
    assert seats["lead"].site.get("auto_assign") == "least_load"
    for seat in (seats["lead"], seats["wang"]):  # a supervisor sees the policy, like an agent, read-only
        shown = SiteSettingsDialog(seat)
        qtbot.addWidget(shown)  # type: ignore[attr-defined]
        assert shown.supervision.amount.value() == 250 and not shown.supervision.mode.isEnabled()
        assert not shown.save_button.isEnabled()


def test_reassign_dialog_moves_the_selected_cases(qtbot: object, seats: dict[str, AppServices]) -> None:
    from desktop.ui.supervisor.reassign import ReassignDialog

    numbers = [_pending(seats["wang"]), _pending(seats["wang"])]
    dialog = ReassignDialog(seats["lead"], numbers)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert [dialog.agent.itemData(i) for i in range(dialog.agent.count())] == ["wang", "zhou"]
    dialog.agent.setCurrentIndex(1)
    assert not dialog.apply() and "请说明改派原因" in dialog.error.text()
    dialog.reason.setText("王芳休假")
    assert dialog.apply() and dialog.moved == numbers
    assert {seats["lead"].complaints.get(n).assigned_agent_name for n in numbers} == {"周杰"}


def test_queue_selection_gives_the_numbers_to_reassign(qtbot: object, seats: dict[str, AppServices],
                                                      desk_settings: Settings) -> None:
    from PySide6.QtCore import QItemSelectionModel

    for _ in range(3):
        _pending(seats["wang"])
    window = MainWindow(seats["lead"], desk_settings, background=False)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.queue_view.set_filter(QueueFilter.OPEN)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 3, timeout=5000)  # type: ignore[attr-defined]
    selection = window.queue_view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(window.queue_model.index(0, 0), flags)
    selection.select(window.queue_model.index(2, 0), flags)
    expected = [window.queue_model.number_at(0), window.queue_model.number_at(2)]
    assert window.queue_view.selected_numbers() == expected
    assert window.desk_actions["reassign"].isEnabled()
