"""Qt widgets of the law quick-reference: the docked panel and the pack browser."""

from __future__ import annotations

from desktop.ui.law.browser import LawBrowserDialog
from desktop.ui.law.confirm import SecondaryCitationConfirmation
from desktop.ui.law.models import LawResultsModel
from desktop.ui.law.panel import LawPanel

__all__ = ["LawBrowserDialog", "LawPanel", "LawResultsModel", "SecondaryCitationConfirmation"]
