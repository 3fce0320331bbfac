from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.i18n import set_language
from desktop.law import Citation, Grade, LawIndex, LawPack, load_pack
from desktop.paths import resource_path
from desktop.ui.law import LawBrowserDialog, LawPanel, SecondaryCitationConfirmation

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The offscreen platform warns that it cannot propagate size hints when a window is shown.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture(scope="module")
def pack() -> LawPack:
    return load_pack()


@pytest.fixture
def panel(qtbot, pack: LawPack) -> LawPanel:  # type: ignore[no-untyped-def]
    set_language("zh_CN")
    QFontDatabase.addApplicationFont(str(resource_path("fonts/DroidSansFallbackFull.ttf")))
    widget = LawPanel(LawIndex(pack))
    qtbot.addWidget(widget)
    widget.resize(480, 820)
    widget.show()
    return widget


def test_type_query_down_enter_attaches(qtbot, panel: LawPanel) -> None:  # type: ignore[no-untyped-def]
    # QTest only types ASCII keys; Chinese arrives committed by the input method.
    panel.search_edit.insert("电信条例")
    qtbot.keyClicks(panel.search_edit, " 39")
    qtbot.waitUntil(lambda: panel.results_model.rowCount() > 0)
    qtbot.keyClick(panel.search_edit, Qt.Key.Key_Down)
    assert panel.results_view.hasFocus() or QApplication.focusWidget() is panel.results_view
    with qtbot.waitSignal(panel.citation_requested) as blocker:
        qtbot.keyClick(panel.results_view, Qt.Key.Key_Return)
    citation = blocker.args[0]
    assert isinstance(citation, Citation)
    assert citation.format() == "《中华人民共和国电信条例》第三十九条"
    assert citation.version_date == "2016-02-06" and citation.grade is Grade.VERIFIED


def test_search_as_you_type_highlights_match(qtbot, panel: LawPanel) -> None:  # type: ignore[no-untyped-def]
    panel.search_edit.insert("巨额")
    qtbot.waitUntil(lambda: panel.results_model.rowCount() > 0, timeout=2000)
    html = panel.article_view.toHtml()
    assert "巨额" in html and "#ffe08a" in html
    assert "第三十三条" in html


def test_enter_on_suggestion_accepts_it(qtbot, panel: LawPanel) -> None:  # type: ignore[no-untyped-def]
    panel.show_suggestions("宽带报修4天了还没人上门，城区", "broadband")
    assert panel.suggestions_model.rowCount() > 0
    panel.suggestions_view.setFocus()
    with qtbot.waitSignal(panel.citation_requested) as blocker:
        qtbot.keyClick(panel.suggestions_view, Qt.Key.Key_Return)
    assert blocker.args[0].article == 32


def test_secondary_requires_confirmation(qtbot, panel: LawPanel, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[Citation] = []

    def refuse(cls, parent, citation):  # type: ignore[no-untyped-def]
        asked.append(citation)
        return False

    monkeypatch.setattr(SecondaryCitationConfirmation, "ask", classmethod(refuse))
    panel.search_edit.setText("申诉办法 14")
    panel.run_search()
    assert "仅二手资料" in panel.article_view.toPlainText()
    with qtbot.assertNotEmitted(panel.citation_requested):
        panel.attach_current()
    assert asked and asked[0].needs_confirmation

    monkeypatch.setattr(SecondaryCitationConfirmation, "ask", classmethod(lambda cls, p, c: True))
    with qtbot.waitSignal(panel.citation_requested) as blocker:
        panel.attach_current()
    assert blocker.args[0].grade is Grade.SECONDARY


def test_copy_citation(qtbot, panel: LawPanel) -> None:  # type: ignore[no-untyped-def]
    panel.search_edit.setText("消保法55")
    panel.run_search()
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(
        "《中华人民共和国消费者权益保护法》第五十五条：经营者提供商品或者服务有欺诈行为"
    )


def test_results_model_passes_model_tester(qtmodeltester, panel: LawPanel) -> None:  # type: ignore[no-untyped-def]
    panel.search_edit.setText("个人信息")
    panel.run_search()
    qtmodeltester.check(panel.results_model)
    panel.show_suggestions("营业厅泄露了身份证号", "privacy")
    qtmodeltester.check(panel.suggestions_model)


def test_browser_tree_and_cases(qtbot, qtmodeltester, pack: LawPack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_language("zh_CN")
    dialog = LawBrowserDialog(pack)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.statute_model)
    qtmodeltester.check(dialog.case_model)
    assert dialog.statute_model.rowCount() == len(pack.statutes)
    dialog.select_article("telecom-regulations", 35)
    assert "因工程施工、网络建设等原因" in dialog.statute_text.toPlainText()
    dialog.statute_view.setCurrentIndex(dialog.statute_model.index(6, 0))
    assert "仅二手资料" in dialog.statute_text.toPlainText()
    dialog.case_view.setCurrentIndex(dialog.case_model.index(0, 0))
    assert "第三十五条" in dialog.case_text.toPlainText()
