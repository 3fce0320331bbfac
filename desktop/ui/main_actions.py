"""The main window's actions and menus: every command has a menu entry, most have a shortcut.

Kept apart from the window so the keyboard map is one readable table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from desktop.i18n import N_, _
from desktop.services.queue import QueueFilter
from desktop.ui.queue.state import FILTER_LABELS, SAVED_FILTERS


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str  # N_-marked, with a & mnemonic
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""


MENUS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("file", N_("&File"), ("new_complaint", "save", "submit", "-", "import_complaints", "open_review_bundle",
                           "import_review_bundle", "-", "import_law_pack", "signing_keys", "site_settings",
                           "access_log", "settings", "-", "quit")),
    ("view", N_("&View"), ("find", "refresh", "focus_queue", "-", "filters", "-", "law_dock", "law_search", "-",
                           "statistics", "approvals", "team_board", "quality_review")),
    ("case", N_("&Case"), ("next_case", "previous_case", "open_case", "-", "reassign")),
    ("help", N_("&Help"), ("about",)),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_complaint", N_("&New complaint"), ("Ctrl+N",), N_("Register a new complaint")),
    ActionSpec("save", N_("&Save"), ("Ctrl+S",), N_("Save the complaint being edited")),
    ActionSpec("submit", N_("Su&bmit"), ("Ctrl+Return", "Ctrl+Enter"),
               N_("Register the new complaint, or submit the open case for approval")),
    ActionSpec("open_review_bundle", N_("Open review bundle…"), (),
               N_("Review exported cases offline, without a database connection")),
    ActionSpec("import_review_bundle", N_("Import review decisions…"), (),
               N_("Supervisors: apply the decisions made offline in a review bundle")),
    ActionSpec("import_complaints", N_("Import co&mplaints…"), (),
               N_("Add complaints from a CSV or XLSX file (all rows or none)")),
    ActionSpec("import_law_pack", N_("Import a &law pack…"), (), N_("Administrators: install a newer statute pack")),
    ActionSpec("signing_keys", N_("Signing &certificates…"), (),
               N_("Import or issue the certificates that sign outcome letters")),
    ActionSpec("site_settings", N_("S&ite settings…"), (),
               N_("Names on outcome letters and deadline periods shared by every seat (administrators change them)")),
    ActionSpec("access_log", N_("Personal data &access log…"), (),
               N_("Administrators: who revealed, copied or exported personal data, when, on which PC and why")),
    ActionSpec("settings", N_("Se&ttings…"), ("Ctrl+Alt+S",)),
    ActionSpec("quit", N_("&Quit"), ("Ctrl+Q",)),
    ActionSpec("find", N_("&Find…"), ("Ctrl+F",), N_("Search the queue")),
    ActionSpec("refresh", N_("&Refresh"), ("F5",)),
    ActionSpec("focus_queue", N_("Go to the &queue"), ("F6",)),
    ActionSpec("next_case", N_("&Next case"), ("Ctrl+.", "Alt+Down")),
    ActionSpec("previous_case", N_("&Previous case"), ("Ctrl+,", "Alt+Up")),
    ActionSpec("open_case", N_("&Open case"), ("F2",), N_("Show the selected case")),
    ActionSpec("law_search", N_("Search the la&w…"), ("Ctrl+L",),
               N_("Open the law reference with the cursor in its search box")),
    ActionSpec("statistics", N_("&Statistics…"), ("Ctrl+Shift+T",),
               N_("Complaint figures for a period (supervisors also see each agent)")),
    ActionSpec("approvals", N_("&Approvals…"), ("Ctrl+Alt+A",),
               N_("Supervisors: cases awaiting your approval, with the letter that would go out")),
    ActionSpec("team_board", N_("Team &board…"), ("Ctrl+Alt+B",),
               N_("Supervisors: each agent's open, due and overdue cases")),
    ActionSpec("quality_review", N_("&Quality review…"), ("Ctrl+Alt+Q",),
               N_("Quality review (质检) of closed cases; agents see their own reviews")),
    ActionSpec("reassign", N_("Rea&ssign…"), ("Ctrl+Alt+E",),
               N_("Supervisors: give the selected open cases to another agent of the team")),
    ActionSpec("about", N_("&About Complaint Desk")),
)


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(window)
        action.setObjectName(f"action_{spec.name}")
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        handler = handlers[spec.name]
        action.triggered.connect(lambda _checked=False, handler=handler: handler())
        window.addAction(action)  # shortcuts work even while a menu bar is hidden
        actions[spec.name] = action
    return actions


def build_filter_actions(window: QMainWindow,
                         choose: Callable[[QueueFilter], None]) -> dict[QueueFilter, QAction]:
    actions: dict[QueueFilter, QAction] = {}
    for position, f in enumerate(SAVED_FILTERS, start=1):
        action = QAction(window)
        action.setObjectName(f"action_filter_{f.value}")
        action.setCheckable(True)
        action.setShortcut(QKeySequence(f"Ctrl+{position}"))
        action.triggered.connect(lambda _checked=False, f=f: choose(f))
        window.addAction(action)
        actions[f] = action
    return actions


def build_menus(window: QMainWindow, actions: dict[str, QAction], filter_actions: dict[QueueFilter, QAction],
                law_toggle: QAction) -> dict[str, QMenu]:
    menus: dict[str, QMenu] = {}
    for key, _title, entries in MENUS:
        menu = window.menuBar().addMenu("")
        menu.setObjectName(f"menu_{key}")
        for entry in entries:
            if entry == "-":
                menu.addSeparator()
            elif entry == "filters":
                filters = menu.addMenu("")
                filters.setObjectName("menu_filters")
                menus["filters"] = filters
                for action in filter_actions.values():
                    filters.addAction(action)
            elif entry == "law_dock":
                menu.addAction(law_toggle)
            else:
                menu.addAction(actions[entry])
        menus[key] = menu
    return menus


def retranslate_actions(actions: dict[str, QAction], filter_actions: dict[QueueFilter, QAction],
                        menus: dict[str, QMenu], law_toggle: QAction) -> None:
    for spec in ACTIONS:
        action = actions[spec.name]
        action.setText(_(spec.text))
        tip = _(spec.tip) if spec.tip else action.text().replace("&", "")
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.setStatusTip(tip)
    for f, action in filter_actions.items():
        action.setText(_(FILTER_LABELS[f]))
    for key, title, _entries in MENUS:
        menus[key].setTitle(_(title))
    menus["filters"].setTitle(_("Saved &filters"))
    law_toggle.setText(_("&Law reference"))
