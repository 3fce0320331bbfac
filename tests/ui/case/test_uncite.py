"""A wrong citation comes off the case: Delete in the Citations tab, `complaint uncite` in the CLI,
one service operation that writes a history event; a closed case keeps its citations."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.cli.main import main
from desktop.domain.workflow import Action
from desktop.law import Grade
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from desktop.ui.case.view import CaseView
from tests.accounts import cli_account
from tests.ui.case.test_case_citations import pack_citation, timeline_texts

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                       "grabbing the keyboard")


def test_delete_key_removes_the_selected_citation_and_the_history_keeps_it(
        make_view: Callable[..., CaseView], case_number: str, services: AppServices, qtbot: QtBot) -> None:
    view = make_view(case_number)
    citation = pack_citation(services, Grade.VERIFIED)
    assert view.attach_citation(citation)
    view.tabs.setCurrentWidget(view.citations)
    table = view.citations.table
    table.setFocus()
    table.setCurrentIndex(view.citations.model.index(0, 0))
    with qtbot.waitSignal(view.changed):
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert services.citations.list(case_number) == []
    assert view.citations.model.rowCount() == 0
    removed = [line for line in timeline_texts(view) if "删除法规引用" in line]
    assert len(removed) == 1 and citation.format() in removed[0]


def test_service_refuses_unknown_refs_and_closed_cases(services: AppServices, case_number: str) -> None:
    citation = pack_citation(services, Grade.VERIFIED)
    services.citations.add(services.actor, case_number, citation)
    with pytest.raises(ServiceError, match=citation.format()):  # the message lists what is cited
        services.citations.remove(services.actor, case_number, "《不存在法》第一条")
    services.complaints.transition(services.actor, case_number, Action.MARK_INVALID,
                                   details={"invalid_reason": "duplicate"})
    with pytest.raises(ServiceError, match="案卷"):
        services.citations.remove(services.actor, case_number, citation.format())
    assert len(services.citations.list(case_number)) == 1


def test_cli_uncite_by_text(services: AppServices, case_number: str, db_url: str,
                            capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    citation = pack_citation(services, Grade.VERIFIED)
    services.citations.add(services.actor, case_number, citation)
    cli_account(monkeypatch, db_url)
    assert main(["--db", db_url, "complaint", "uncite", case_number, citation.format(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["removed"] == citation.format()
    assert services.citations.list(case_number) == []
    assert main(["--db", db_url, "complaint", "uncite", case_number, citation.format()]) == 2
    err = capsys.readouterr().err
    assert "没有引用" in err and "Traceback" not in err
