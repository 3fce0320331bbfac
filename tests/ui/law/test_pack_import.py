"""A supervisor imports a newer law pack from the desk: validated, changes shown, panel reloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.law import Citation
from desktop.services.app import AppServices
from desktop.settings import Settings
from desktop.ui.law import LawPanel
from desktop.ui.law.pack_import import PackImportDialog, describe_diff
from desktop.ui.main_window import MainWindow
from tests.law.site_packs import amended_site_pack

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support", "propagateSizeHints")


def amended_pack(tmp_path: Path) -> Path:
    """The bundled pack with 电信条例 第三十九条 amended (30日 → 20日), newer, signed by the site CA."""
    return amended_site_pack(tmp_path / "pack")


def test_supervisor_imports_a_newer_pack(qtbot: Any, services: AppServices, desk_settings: Settings,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert services.actor.is_supervisor  # the ``services`` seat is the store's admin
    number = services.complaints.create(services.actor, {
        "received_at": "2025-06-03T09:00:00+08:00", "channel": "hotline", "category": "billing",
        "customer_name": "王五", "phone": "13700001234", "description": "话费有异议", "demand": "退费"}).number
    old = services.law_pack
    telecom = old.find_statute("电信条例")
    services.citations.add(services.actor, number, Citation.of(telecom, telecom.article(39)))

    shown: list[str] = []
    monkeypatch.setattr(PackImportDialog, "ask",
                        classmethod(lambda cls, parent, diff: shown.append(describe_diff(diff)) or True))
    window = MainWindow(services, desk_settings, background=False)
    qtbot.addWidget(window)
    window.show()
    window.law_toggle.trigger()
    assert window.import_law_pack(amended_pack(tmp_path))

    assert "telecom-regulations 39" in shown[0]
    assert services.law_pack.pack_version == "2030-01-02"
    panel = window.law_dock.widget()
    assert isinstance(panel, LawPanel)
    panel.search_edit.setText("电信条例 39")
    panel.run_search()
    current = panel.current_citation()
    assert current is not None and "20日" in current.text
    # The citation made before the import keeps the text and version it was cited with.
    kept = services.citations.list(number)[0]
    assert "30日" in kept.citation.text and kept.pack_version == old.pack_version


def test_an_agent_cannot_import(qtbot: Any, agent_services: AppServices, desk_settings: Settings,
                                tmp_path: Path) -> None:
    window = MainWindow(agent_services, desk_settings, background=False)
    qtbot.addWidget(window)
    assert not window.desk_actions["import_law_pack"].isEnabled()
    assert not window.import_law_pack(amended_pack(tmp_path))
    assert agent_services.law_pack.pack_version != "2030-01-02"
