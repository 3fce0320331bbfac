"""The Letter box of the case view: customer signature, sign & archive, reprint, revisions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.letters.content import SignatureStrokes
from desktop.letters.keys import site_trust_roots
from desktop.letters.verify import verify_pdf
from desktop.services.app import AppServices
from desktop.ui.case.letter_models import LetterRevisionsModel
from desktop.ui.case.passphrase import PassphraseDialog
from desktop.ui.case.view import CaseView
from desktop.ui.letters.preview_dialog import LetterPreviewDialog
from desktop.ui.letters.signature_dialog import SignatureDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")
SIGNING_TIMEOUT_MS = 30_000
STROKES: SignatureStrokes = (((0.1, 0.5, 0.5), (0.4, 0.3, 0.6), (0.8, 0.6, 0.5)),)


@pytest.fixture
def resolved_number(services: AppServices, case_number: str) -> str:
    record = services.complaints.get(case_number)
    services.complaints.update(services.actor, case_number,
                               {"investigation_notes": "已调取计费详单核实。",
                                "resolution": "经核查，已退还多扣的20元。"},
                               expected_version=record.version)
    return case_number


def answer_passphrase(monkeypatch: pytest.MonkeyPatch, passphrase: bytes | None) -> list[bool]:
    first_times: list[bool] = []

    def ask(cls: Any, parent: Any, signer: str, *, first_time: bool) -> bytes | None:
        first_times.append(first_time)
        return passphrase

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(ask))
    return first_times


def preview_from(qtbot: QtBot, view: CaseView, button: Any, tmp_path: Path,
                 name: str) -> tuple[bytes, str]:
    with qtbot.waitSignal(view.letters.preview_shown, timeout=SIGNING_TIMEOUT_MS) as shown:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = shown.args[0]
    assert isinstance(dialog, LetterPreviewDialog)
    assert dialog.document().pageCount() >= 1  # QtPdf could open what is shown
    path = tmp_path / name
    dialog.save_to(path)
    title = dialog.windowTitle()
    dialog.close()
    return path.read_bytes(), title


def test_customer_signature_is_captured_and_stored(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    offered: list[SignatureStrokes | None] = []
    monkeypatch.setattr(SignatureDialog, "ask", classmethod(
        lambda cls, parent=None, strokes=None: offered.append(strokes) or STROKES))
    view = make_view(case_number)
    assert "尚未" in view.letters.signature_state.text()
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(view.letters.sign_customer, Qt.MouseButton.LeftButton)
    assert offered == [None]
    stored = services.letters.customer_signature(case_number)
    assert stored is not None and len(stored[0]) == 3
    assert abs(stored[0][1][0] - 0.4) < 1e-3
    assert "已留存" in view.letters.signature_state.text()
    assert any("客户签字" in view.timeline.model.index(row, 2).data()
               for row in range(view.timeline.model.rowCount()))


def test_no_letter_before_a_resolution(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = answer_passphrase(monkeypatch, b"secret-2025")
    view = make_view(case_number)
    shown: list[object] = []
    view.letters.preview_shown.connect(shown.append)
    qtbot.mouseClick(view.letters.generate, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.letters.sign_archive, Qt.MouseButton.LeftButton)
    assert "处理结果" in view.message.text()
    assert shown == [] and asked == []
    assert services.letters.revisions(case_number) == []


def test_sign_archive_then_reprint_gives_the_same_bytes(
        make_view: Callable[..., CaseView], resolved_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first_times = answer_passphrase(monkeypatch, b"secret-2025")
    view = make_view(resolved_number)
    signed, title = preview_from(qtbot, view, view.letters.sign_archive, tmp_path, "signed.pdf")
    assert first_times == [True]  # the dialog explained the demo identity it creates
    (revision,) = services.letters.revisions(resolved_number)
    assert revision.revision == 1 and revision.signed and revision.signer == "测试员"
    assert revision.pdf == signed
    assert "1" in title
    result = verify_pdf(revision.pdf, site_trust_roots())
    assert result.valid and result.trusted and result.signer_is_demo
    assert result.complaint == resolved_number and result.revision == 1
    assert view.letters.revisions.rowCount() == 1
    assert "演示" in view.info.text()
    assert any("告知书已存档" in view.timeline.model.index(row, 2).data()
               for row in range(view.timeline.model.rowCount()))

    again, _title = preview_from(qtbot, view, view.letters.generate, tmp_path, "again.pdf")
    third, _title = preview_from(qtbot, view, view.letters.generate, tmp_path, "third.pdf")
    assert again == signed and third == signed
    unchanged, _title = preview_from(qtbot, view, view.letters.sign_archive, tmp_path, "same.pdf")
    assert unchanged == signed and first_times == [True]  # no second signing, no new revision
    assert len(services.letters.revisions(resolved_number)) == 1
    opened, _title = preview_from(qtbot, view, view.letters.open_revision, tmp_path, "open.pdf")
    assert opened == signed


def test_a_changed_case_gets_a_draft_then_a_new_revision(
        make_view: Callable[..., CaseView], resolved_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first_times = answer_passphrase(monkeypatch, b"secret-2025")
    view = make_view(resolved_number)
    first, _title = preview_from(qtbot, view, view.letters.sign_archive, tmp_path, "r1.pdf")
    record = services.complaints.get(resolved_number)
    services.complaints.update(services.actor, resolved_number,
                               {"investigation_notes": "核实计费记录，确认多扣20元。"},
                               expected_version=record.version)
    view.show_case(resolved_number)
    draft, title = preview_from(qtbot, view, view.letters.generate, tmp_path, "draft.pdf")
    assert draft != first and "草稿" in title and "2" in title
    assert len(services.letters.revisions(resolved_number)) == 1  # a draft is not archived

    answer_passphrase(monkeypatch, b"wrong")
    with qtbot.waitSignal(view.letters.busy_changed, timeout=SIGNING_TIMEOUT_MS,
                          check_params_cb=lambda busy: busy is False):
        qtbot.mouseClick(view.letters.sign_archive, Qt.MouseButton.LeftButton)
    assert "口令" in view.message.text()
    assert len(services.letters.revisions(resolved_number)) == 1

    answer_passphrase(monkeypatch, b"secret-2025")
    second, _title = preview_from(qtbot, view, view.letters.sign_archive, tmp_path, "r2.pdf")
    revisions = services.letters.revisions(resolved_number)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[0].pdf == first and revisions[1].pdf == second
    assert verify_pdf(second, site_trust_roots()).valid
    assert first_times == [True]


def test_revisions_model_passes_qtmodeltester(
        qtmodeltester: Any, services: AppServices, resolved_number: str) -> None:
    from desktop.letters.render import render_letter

    content = services.letters.content(resolved_number)
    services.letters.archive(services.actor, resolved_number, content.revision, content.language,
                             render_letter(content), None)
    model = LetterRevisionsModel()
    model.set_items(services.letters.revisions(resolved_number))
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "未签名"
    assert model.index(0, 3).data().endswith("…")
    qtmodeltester.check(model, force_py=True)


def test_passphrase_dialog_wants_the_same_passphrase_twice_the_first_time(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("测试员", first_time=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert "演示" in dialog.explanation.text() and not ok.isEnabled()
    qtbot.keyClicks(dialog.passphrase, "secret-1")
    assert not ok.isEnabled() and "至少需要 10 个字符" in dialog.problem.text()  # a new key: strength first
    qtbot.keyClicks(dialog.passphrase, "23")
    qtbot.keyClicks(dialog.repeat, "secret-12")
    assert not ok.isEnabled() and dialog.problem.text() == "两次输入的口令不一致。"
    qtbot.keyClicks(dialog.repeat, "3")
    assert ok.isEnabled() and dialog.value() == b"secret-123"
    later = PassphraseDialog("测试员", first_time=False)
    qtbot.addWidget(later)
    assert later.repeat.isHidden() and "演示" not in later.explanation.text()


def test_no_passphrase_is_asked_when_the_site_ca_is_real_and_the_agent_has_no_certificate(
        make_view: Callable[..., CaseView], resolved_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.letters.keys import create_site_ca, site_ca_dir

    create_site_ca(site_ca_dir(), "XX电信客户服务中心", b"ca-secret-1")
    asked = answer_passphrase(monkeypatch, b"secret-2025")
    view = make_view(resolved_number)
    qtbot.mouseClick(view.letters.sign_archive, Qt.MouseButton.LeftButton)
    assert asked == []
    assert "班组长" in view.message.text()
    assert services.letters.revisions(resolved_number) == []
