"""The panels other parts of the desk provide, created defensively.

The main window embeds the intake form, the case view and the law panel through factories, so a
build without one of them (or a test with a stand-in) still starts; a missing part shows a
plain note instead of taking the desk down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktop.i18n import _
from desktop.services.app import AppServices
from desktop.settings import Settings

log = logging.getLogger(__name__)
PanelFactory = Callable[[AppServices, Settings], QWidget | None]


def missing_part() -> QWidget:
    label = QLabel(_("This part of the desk is not available in this installation."))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def default_intake_form(services: AppServices, settings: Settings) -> QWidget | None:
    try:
        from desktop.ui.intake.form import IntakeForm
    except ImportError as error:
        log.warning("intake form unavailable: %s", error)
        return None
    return IntakeForm(services, settings)


def default_case_view(services: AppServices, _settings: Settings) -> QWidget | None:
    try:
        from desktop.ui.case.view import CaseView
    except ImportError as error:
        log.warning("case view unavailable: %s", error)
        return None
    return CaseView(services)


def default_law_panel(services: AppServices, _settings: Settings) -> QWidget | None:
    try:
        from desktop.law import LawIndex
        from desktop.ui.law import LawPanel
    except ImportError as error:
        log.warning("law panel unavailable: %s", error)
        return None
    try:
        return LawPanel(LawIndex(services.law_pack))
    except (OSError, ValueError) as error:  # no pack installed or a damaged one
        log.warning("law pack could not be loaded: %s", error)
        return None
