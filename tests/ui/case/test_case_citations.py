"""Citing law in a case: the Citations tab, suggestions, secondary-source confirmation, history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.law import Citation, Grade
from desktop.services.app import AppServices
from desktop.ui.case.citation_models import CitationsModel, SuggestionsModel
from desktop.ui.case.view import CaseView
from desktop.ui.law.confirm import SecondaryCitationConfirmation

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")


def pack_citation(services: AppServices, grade: Grade) -> Citation:
    statute = next(s for s in services.law_pack.statutes if s.grade is grade and s.articles)
    return Citation.of(statute, statute.articles[0])


def timeline_texts(view: CaseView) -> list[str]:
    model = view.timeline.model
    return [" | ".join(str(model.index(row, col).data()) for col in range(model.columnCount()))
            for row in range(model.rowCount())]


def confirm_with(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    asked: list[str] = []

    def ask(cls: Any, parent: Any, citation: Citation) -> bool:
        asked.append(citation.format())
        return answer

    monkeypatch.setattr(SecondaryCitationConfirmation, "ask", classmethod(ask))
    return asked


def test_verified_citation_is_stored_and_the_timeline_says_so(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = confirm_with(monkeypatch, False)
    view = make_view(case_number)
    citation = pack_citation(services, Grade.VERIFIED)
    with qtbot.waitSignal(view.changed) as changed:
        assert view.attach_citation(citation) is True
    assert changed.args == [case_number]
    assert asked == []  # verified text needs no confirmation
    stored = services.citations.list(case_number)
    assert [s.citation for s in stored] == [citation]
    assert view.citations.model.rowCount() == 1
    assert view.citations.model.index(0, 0).data() == citation.format()
    assert view.citations.model.index(0, 1).data() == citation.version_date
    history = timeline_texts(view)
    cited = [line for line in history if citation.format() in line]
    assert len(cited) == 1
    assert "引用法规" in cited[0] and "引用条文" in cited[0]  # kind and field in words, not codes
    assert services.law_pack.pack_version in cited[0]
    # Citing the same article again stores nothing new.
    assert view.attach_citation(citation) is True
    assert len(services.citations.list(case_number)) == 1
    assert "已引用" in view.info.text()


def test_secondary_citation_needs_the_agents_confirmation(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(case_number)
    citation = pack_citation(services, Grade.SECONDARY)
    asked = confirm_with(monkeypatch, False)
    assert view.attach_citation(citation) is False
    assert asked == [citation.format()]
    assert services.citations.list(case_number) == []
    assert not any(citation.format() in line for line in timeline_texts(view))

    confirm_with(monkeypatch, True)
    assert view.attach_citation(citation) is True
    (stored,) = services.citations.list(case_number)
    assert stored.confirmed_by_agent is True
    model = view.citations.model
    assert "仅二手资料" in model.index(0, 2).data()
    assert model.index(0, 3).data() == "是"
    assert model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_panel_slot_does_not_ask_twice(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = confirm_with(monkeypatch, False)
    view = make_view(case_number)
    assert view.attach_confirmed_citation(pack_citation(services, Grade.SECONDARY)) is True
    assert asked == []
    assert services.citations.list(case_number)[0].confirmed_by_agent is True


def test_without_an_open_case_nothing_is_cited(
        make_view: Callable[..., CaseView], services: AppServices) -> None:
    view = make_view()
    assert view.attach_citation(pack_citation(services, Grade.VERIFIED)) is False
    assert view.message.text()


def test_enter_on_a_suggestion_cites_it(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices,
        qtbot: QtBot) -> None:
    view = make_view(case_number)
    view.tabs.setCurrentWidget(view.citations)
    suggestions = view.citations.suggestions
    assert 0 < suggestions.rowCount() <= 5
    assert "账单" in suggestions.index(0, 1).data()  # the reason names the matched terms
    first = suggestions.citation(0)
    table = view.citations.suggestion_table
    table.setFocus()
    table.setCurrentIndex(suggestions.index(0, 0))
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert [s.citation for s in services.citations.list(case_number)] == [first]
    assert view.citations.model.rowCount() == 1
    # A cited article leaves the suggestions.
    remaining = [suggestions.citation(row) for row in range(suggestions.rowCount())]
    assert first not in remaining
    if remaining:
        current = suggestions.item(table.currentIndex().row())
        assert current.article.text in view.citations.article_text.text()


def test_citation_models_pass_qtmodeltester(
        qtmodeltester: Any, services: AppServices, case_number: str) -> None:
    services.citations.add(services.actor, case_number, pack_citation(services, Grade.VERIFIED))
    services.citations.add(services.actor, case_number, pack_citation(services, Grade.SECONDARY),
                           confirmed=True)
    model = CitationsModel()
    model.set_items(services.citations.list(case_number))
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    from desktop.law import LawIndex

    suggestions = SuggestionsModel()
    suggestions.set_items(LawIndex(services.law_pack).suggest("账单多扣流量费", "billing"))
    assert suggestions.rowCount() > 0
    qtmodeltester.check(suggestions, force_py=True)
