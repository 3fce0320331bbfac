"""The agent desk: the queue on the left, the open case or a new intake beside it, the law on the right."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from desktop.i18n import _, add_language_listener, remove_language_listener
from desktop.services.app import AppServices
from desktop.services.permissions import allowed
from desktop.services.queue import DueSummary, QueueFilter, QueueQuery
from desktop.settings import Settings
from desktop.ui.first_paint import AfterFirstPaint
from desktop.ui.history_status import HistoryIndicator
from desktop.ui.main_actions import build_actions, build_filter_actions, build_menus, retranslate_actions
from desktop.ui.main_case_keys import add_case_step_actions
from desktop.ui.main_parts import (
    PanelFactory,
    default_case_view,
    default_intake_form,
    default_law_panel,
    missing_part,
)
from desktop.ui.main_status import DeskStatusBar, history_check, window_title
from desktop.ui.queue.model import QueueModel
from desktop.ui.queue.state import SAVED_FILTERS
from desktop.ui.queue.view import QueueView
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.sign_in import IdleLock
from desktop.ui.supervisor import desk as supervisor_desk
from desktop.ui.tasks import TaskRunner
from desktop.ui.tray import DeskTray

log = logging.getLogger(__name__)
QUEUE_MIN_WIDTH = 300  # number, customer and time left stay readable
DEFAULT_SIZE = (1360, 820)
TICK_MS = 60_000  # "time left" and reminders are re-evaluated once a minute


class MainWindow(QMainWindow):
    def __init__(self, services: AppServices, settings: Settings, *, background: bool = True,
                 intake_factory: PanelFactory | None = None, case_factory: PanelFactory | None = None,
                 law_factory: PanelFactory | None = None, parent: QWidget | None = None,
                 demo: bool = False) -> None:
        super().__init__(parent)
        self.demo = demo  # the separate demo store: the title says so
        self.setObjectName("main_window")
        self.services = services
        self.settings = settings
        self.runner = TaskRunner(self)
        self._law_factory = law_factory or default_law_panel
        self._build_queue(background)
        # The start-up work the first screen does not need waits for the queue to be painted (below).
        self.after_first_paint = AfterFirstPaint(self.queue_view.table.viewport(),
                                                 lambda: not self.queue_model.loading)
        # The first page is read on a worker while the rest of the window is built.
        self.start_queue(counts_after_first_paint=background)
        self._build_work_area(intake_factory or default_intake_form, case_factory or default_case_view, background)
        self._build_law_dock()
        self._build_actions()
        self.status = DeskStatusBar(self, services.actor, services.display_url)
        self.idle_lock = IdleLock(self, services, int(services.site.get("idle_lock_minutes")))
        self.history_status = HistoryIndicator(self.statusBar(), history_check(services))
        self.tray = DeskTray(self, bool(settings.get("tray_notifications")))
        self._build_timers()
        self._restore_layout()
        self._language_listener = self._on_language
        add_language_listener(self._language_listener)
        self.retranslate()
        # The history walk (hashing every entry) is not part of the first screen: it starts once the
        # queue has been painted, so its thread does not hold the interpreter while the queue loads.
        self.after_first_paint.call(self.history_status.check)
        self.after_first_paint.call(self.say_if_recompute_pending)
        if background:
            self.after_first_paint.call(self._warm_shared_state)
        self.live = self._start_live_updates() if background else None

    def _start_live_updates(self) -> QObject:
        """Queue and open case follow every seat's changes (issue #9)."""
        from desktop.ui.live_updates import LiveUpdates

        return LiveUpdates(self)

    # -- building -----------------------------------------------------------------------------
    def _build_queue(self, background: bool) -> None:
        self.queue_model = QueueModel(self.services.queue, self, self.runner if background else None)
        self.queue_model.failed.connect(self._show_failure)
        self.queue_view = QueueView(self.queue_model, self)
        self.queue_view.case_selected.connect(self._case_selected)
        self.queue_view.case_activated.connect(self.open_case)
        self.queue_view.filter_changed.connect(self._filter_changed)

    def _build_work_area(self, intake_factory: PanelFactory, case_factory: PanelFactory, background: bool) -> None:
        self.case_view = case_factory(self.services, self.settings) or missing_part()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("work_tabs")
        self.tabs.addTab(self.case_view, "")
        # The intake form (its pickers, draft store and cipher) is not on the first screen: its tab
        # holds a stand-in until the queue has been painted, or until the form is first asked for.
        self._intake_factory = intake_factory
        self._intake: QWidget | None = None
        self._intake_slot = QWidget(self.tabs)
        self.tabs.addTab(self._intake_slot, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        if background:
            self.after_first_paint.call(self._build_intake)
        else:
            self._build_intake()
        if hasattr(self.case_view, "changed"):
            self.case_view.changed.connect(self._case_changed)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.queue_view)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.queue_view.setMinimumWidth(QUEUE_MIN_WIDTH)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)

    @property
    def intake(self) -> QWidget:
        """The new-complaint form, built now if the first paint has not yet come."""
        if self._intake is None:
            self._build_intake()
        assert self._intake is not None
        return self._intake

    @property
    def intake_built(self) -> bool:
        return self._intake is not None

    def _build_intake(self) -> None:
        if self._intake is not None:
            return
        intake = self._intake_factory(self.services, self.settings) or missing_part()
        self._intake = intake
        index = self.tabs.indexOf(self._intake_slot)
        was_current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, intake, _("New complaint"))
        if was_current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        self._intake_slot.deleteLater()
        if hasattr(intake, "saved"):
            intake.saved.connect(self._intake_saved)
        if hasattr(self, "desk_actions"):  # built later, it defuses the form's shortcuts itself
            self._defuse_duplicate_shortcuts(intake)

    def _tab_changed(self, index: int) -> None:
        if self._intake is None and self.tabs.widget(index) is self._intake_slot:
            self._build_intake()

    def _build_law_dock(self) -> None:
        # Built empty: the law pack is loaded the first time the dock is shown, not at start-up.
        self.law_dock = QDockWidget(self)
        self.law_dock.setObjectName("law")
        self.law_dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.law_dock)
        self.law_dock.hide()
        self.law_dock.visibilityChanged.connect(self._law_dock_shown)

    def _build_actions(self) -> None:
        handlers: dict[str, Callable[[], object]] = {
            "new_complaint": self.new_complaint, "save": self.save, "submit": self.submit,
            "settings": self.open_settings, "quit": self.close, "find": self.queue_view.focus_search,
            "refresh": self.refresh, "focus_queue": self.focus_queue,
            "next_case": lambda: self.queue_view.step(1), "previous_case": lambda: self.queue_view.step(-1),
            "open_case": self._open_current, "about": self.about, "import_law_pack": self.import_law_pack,
            "import_complaints": self.import_complaints,
            "statistics": self.open_statistics, "signing_keys": self.open_signing_keys,
            "site_settings": self.open_site_settings, "access_log": self.open_access_log,
            "law_search": self.show_law_search, "open_review_bundle": self.open_review_bundle,
            "import_review_bundle": self.import_review_bundle,
            # The supervisor's windows (desktop/ui/supervisor/desk.py).
            "approvals": lambda: supervisor_desk.open_approvals(self, self),
            "team_board": lambda: supervisor_desk.open_team_board(self, self),
            "quality_review": lambda: supervisor_desk.open_quality(self, self),
            "reassign": lambda: supervisor_desk.reassign_selected(self, self),
        }
        self.desk_actions = build_actions(self, handlers)
        # Greyed out for roles the permission table refuses (the services refuse them anyway).
        self.desk_actions["import_law_pack"].setEnabled(allowed(self.services.actor.role, "lawpack.import"))
        self.desk_actions["access_log"].setEnabled(allowed(self.services.actor.role, "audit.read"))
        self.desk_actions["import_review_bundle"].setEnabled(allowed(self.services.actor.role, "bundle.review"))
        for name in ("approvals", "team_board", "reassign"):
            self.desk_actions[name].setEnabled(self.services.actor.is_supervisor)
        self.filter_actions = build_filter_actions(self, self.queue_view.set_filter)
        self.law_toggle = self.law_dock.toggleViewAction()
        self.menus = build_menus(self, self.desk_actions, self.filter_actions, self.law_toggle)
        # Ctrl+Return means "submit" in the work area and "attach" in the law panel: scoping both
        # to their own widgets keeps Qt from ignoring the key as ambiguous.
        submit = self.desk_actions["submit"]
        self.removeAction(submit)
        self.splitter.addAction(submit)
        submit.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for panel in (self.case_view, self._intake):
            if panel is not None:
                self._defuse_duplicate_shortcuts(panel)
        self.case_step_actions = add_case_step_actions(self, self.menus["case"], self.case_view,
                                                       lambda: self.tabs.setCurrentWidget(self.case_view))

    def _defuse_duplicate_shortcuts(self, panel: QWidget) -> None:
        """Embedded panels may bring their own Ctrl+S: the window's action is the one that acts
        (two shortcuts on one key make Qt ignore both as ambiguous)."""
        taken = {seq.toString() for action in self.desk_actions.values() for seq in action.shortcuts()}
        for action in panel.findChildren(QAction):
            kept = [seq for seq in action.shortcuts() if seq.toString() not in taken]
            if len(kept) != len(action.shortcuts()):
                action.setShortcuts(kept)
        for shortcut in panel.findChildren(QShortcut):
            if shortcut.context() == Qt.ShortcutContext.WindowShortcut:
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_timers(self) -> None:
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.tick_timer.start()

    # -- start-up, refresh, background counts -------------------------------------------------
    def start_queue(self, *, counts_after_first_paint: bool = False) -> None:
        try:
            start = QueueFilter(self.settings.get("queue_filter"))
        except ValueError:
            start = QueueFilter.MINE
        self.queue_model.set_query(QueueQuery(filter=start))
        if counts_after_first_paint:
            # The filters' counts and the due summary (status bar, title) each scan the open cases:
            # started with the first page they shared the two cores and the interpreter with it.
            self.after_first_paint.call(self.refresh_counts)
        else:
            self.refresh_counts()

    def refresh(self) -> None:
        self.queue_model.refresh()
        self.refresh_counts()
        self.statusBar().showMessage(_("Refreshed."), 3000)

    def refresh_counts(self) -> None:
        queue = self.services.queue
        self.runner.run(lambda: queue.counts(SAVED_FILTERS), self.queue_view.set_counts, self._log_failure,
                        key="counts")
        self.runner.run(queue.due_summary, self._show_due, self._log_failure, key="due")

    def tick(self) -> None:
        self.queue_model.tick()
        self.refresh_counts()

    def _show_due(self, summary: DueSummary) -> None:
        self.status.show_due(summary)
        self.setWindowTitle(window_title(summary, demo=self.demo))
        message = self.tray.update(summary)
        if message:
            self.statusBar().showMessage(message, 10000)

    # -- commands -----------------------------------------------------------------------------
    def new_complaint(self) -> None:
        self.tabs.setCurrentWidget(self.intake)
        focus = getattr(self.intake, "focus_first_field", None)
        if callable(focus):
            focus()

    def save(self) -> None:
        if self._intake is not None and self.tabs.currentWidget() is self._intake:
            self._save_intake()
            return
        action = getattr(self.case_view, "save_action", None)
        if isinstance(action, QAction) and action.isEnabled():
            action.trigger()

    def submit(self) -> None:
        if self._intake is not None and self.tabs.currentWidget() is self._intake:
            self._save_intake()
            return
        button = self.case_view.findChild(QAbstractButton, "transition_submit_for_approval")
        if button is not None and button.isEnabled() and button.isVisible():
            button.click()
        else:
            self.statusBar().showMessage(_("This case cannot be submitted for approval now."), 5000)

    def _save_intake(self) -> None:
        save = getattr(self.intake, "save", None)
        if callable(save):
            save()

    def open_case(self, number: str) -> None:
        self.tabs.setCurrentWidget(self.case_view)
        self.case_view.setFocus(Qt.FocusReason.OtherFocusReason)
        show = getattr(self.case_view, "show_case", None)
        if callable(show):
            show(number)
            self._suggest_for_open_case()

    def _open_current(self) -> None:
        number = self.queue_view.current_number()
        if number:
            self.open_case(number)

    def focus_queue(self) -> None:
        self.queue_view.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_settings(self) -> None:
        SettingsDialog(self.settings, self).exec()
        self.tray.enabled = bool(self.settings.get("tray_notifications"))

    def open_statistics(self) -> QWidget:
        """Non-modal: supervisors keep the statistics open beside the queue."""
        from desktop.ui.stats import StatisticsDialog

        return StatisticsDialog.show_for(self.services, self)

    def open_access_log(self) -> QWidget:
        """Administrators: the personal data access log (non-modal)."""
        from desktop.ui.privacy_log import AccessLogDialog

        return AccessLogDialog.show_for(self.services, self)

    def open_signing_keys(self) -> None:
        from desktop.ui.letters.keys_dialog import SigningKeysDialog

        SigningKeysDialog.ask(self.services, self)

    def open_site_settings(self) -> bool:
        """Anyone may look; an admin's saved change of a period moves open deadlines, so re-read the queue."""
        from desktop.ui.site_settings import SiteSettingsDialog

        if not SiteSettingsDialog.ask(self.services, self):
            return False
        self.idle_lock.set_minutes(int(self.services.site.get("idle_lock_minutes")))
        self.queue_model.refresh()
        self.refresh_counts()
        return True

    def open_review_bundle(self, path: Path | None = None, passphrase: str | None = None) -> QWidget | None:
        from desktop.ui.review.desk import open_review_window

        window = open_review_window(self, self.services.actor.login, path, passphrase)
        if window is not None:
            window.setParent(self, window.windowFlags())
        return window

    def import_review_bundle(self, path: Path | None = None, passphrase: str | None = None) -> object:
        from desktop.ui.review.desk import import_decisions

        result = import_decisions(self, self.services, path, passphrase)
        self.queue_model.refresh()
        self.refresh_counts()
        record = getattr(self.case_view, "record", None)
        if result is not None and record is not None and hasattr(self.case_view, "show_case"):
            self.case_view.show_case(record.number)
        return result

    def about(self) -> None:
        QMessageBox.about(self, _("About Complaint Desk"), _(
            "Complaint Desk registers telecom complaints, keeps their statutory reply deadlines "
            "and prepares signed outcome letters."))

    # -- reactions ----------------------------------------------------------------------------
    def _case_selected(self, number: str) -> None:
        show = getattr(self.case_view, "show_case", None)
        if callable(show):
            show(number)
            self._suggest_for_open_case()
        typing = self._intake is not None and self.tabs.currentWidget() is self._intake and self._intake_has_input()
        if not typing:
            self.tabs.setCurrentWidget(self.case_view)

    def _intake_has_input(self) -> bool:
        check = getattr(self._intake, "has_unsaved_input", None)
        return bool(check()) if callable(check) else False

    def _intake_saved(self, number: str) -> None:
        self.statusBar().showMessage(_("Complaint {number} registered.").format(number=number), 8000)
        self.queue_view.select_number(number)  # after the refresh below lands, if it runs in background
        self.queue_model.refresh()
        self.queue_view.select_number(number)
        self.refresh_counts()
        self.open_case(number)

    def _case_changed(self, number: str) -> None:
        self.queue_model.refresh()
        self.queue_view.select_number(number)
        self.refresh_counts()

    def _filter_changed(self, value: str) -> None:
        for f, action in self.filter_actions.items():
            action.setChecked(f.value == value)
        self.settings.set("queue_filter", value)

    def show_law_search(self) -> None:
        """Ctrl+L: the law reference opens (if closed) and the cursor lands in its search box."""
        self.law_dock.show()
        self.law_dock.raise_()
        self._law_dock_shown(True)
        search = getattr(self.law_dock.widget(), "search_edit", None)
        if isinstance(search, QLineEdit):
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            search.selectAll()

    def _law_dock_shown(self, visible: bool) -> None:
        if visible and self.law_dock.widget() is None:
            panel = self._law_factory(self.services, self.settings) or missing_part()
            self._defuse_duplicate_shortcuts(panel)
            self.law_dock.setWidget(panel)
            self._connect_law_panel(panel)

    def import_complaints(self, path: Path | None = None) -> bool:
        """File › Import complaints: a CSV or XLSX file, with a progress bar; the queue shows the result."""
        from desktop.ui.complaint_import import import_complaints

        imported = import_complaints(self, self.services, path)
        if imported:
            self.refresh()
        return imported

    def import_law_pack(self, folder: Path | None = None) -> bool:
        """Supervisors only: validate a newer pack, show what changes, install it, reload the panel."""
        from desktop.ui.law.pack_import import choose_pack_folder, import_law_pack

        if not allowed(self.services.actor.role, "lawpack.import"):
            return False
        chosen = folder or choose_pack_folder(self)
        new_pack = import_law_pack(self, self.services.law_pack, chosen, self.services)  # verified, audited
        if new_pack is None or chosen is None:
            return False
        self.services.share_law_pack(chosen)  # every seat's next operation uses it
        old_panel = self.law_dock.widget()
        if old_panel is not None:
            old_panel.deleteLater()
            self.law_dock.setWidget(None)  # type: ignore[arg-type]
            if self.law_dock.isVisible():
                self._law_dock_shown(True)
        self.statusBar().showMessage(_("Law pack {version} is now in use.").format(version=new_pack.pack_version),
                                     10000)
        return True

    def _connect_law_panel(self, panel: QWidget) -> None:
        """Citations chosen in the law panel land on the open case; its suggestions follow the case."""
        attach = getattr(self.case_view, "attach_confirmed_citation", None)
        requested = getattr(panel, "citation_requested", None)
        if callable(attach) and requested is not None:
            # The panel has already asked about secondary-grade text before it emits.
            requested.connect(attach)
        self._suggest_for_open_case()

    def _suggest_for_open_case(self) -> None:
        suggest = getattr(self.law_dock.widget(), "show_suggestions", None)
        record = getattr(self.case_view, "record", None)
        if callable(suggest) and record is not None:
            text = f"{record.description}\n{record.demand}"
            site = self.services.law_learning.evidence(text, record.category, exclude_complaint_id=record.id)
            suggest(text, record.category, take_focus=False, site=site)

    def _show_failure(self, message: str) -> None:
        self.statusBar().showMessage(_("The queue could not be read: {error}").format(error=message), 15000)

    def say_if_recompute_pending(self) -> None:
        """An administrator hears that a deadline recompute stopped half way, and how to finish it
        (only they may run it; every other seat's deadlines are right for the cases already moved)."""
        if not allowed(self.services.actor.role, "case.recompute"):
            return
        from desktop.formatting import fmt_datetime
        from desktop.services.recompute import pending_recompute

        pending = pending_recompute(self.services.sessions)
        if pending is not None:
            # Short enough to fit beside the status bar's permanent fields at 1366 pixels.
            self.statusBar().showMessage(_(
                "Deadline recompute ({who}, {when}) unfinished: run complaint-desk calendar recompute").format(
                    who=pending.by, when=fmt_datetime(pending.started_at)))

    def _warm_shared_state(self) -> None:
        """Build the deadline clock (holiday data) and load the statute pack on a worker once the queue is
        on screen: neither is start-up work, but the first opened case should not wait for them."""
        shared = self.services.shared
        self.runner.run(lambda: (shared.clock(), shared.law_pack()), lambda _ready: None, self._log_failure,
                        key="warm-shared-state")
        citations = getattr(self.case_view, "citations", None)
        warm_index = getattr(citations, "warm_index", None)
        if callable(warm_index):  # the default case view; a test's stand-in has none
            warm_index(self.runner)

    def _log_failure(self, error: Exception) -> None:
        log.warning("background count failed: %s", error)

    # -- language and layout ------------------------------------------------------------------
    def _on_language(self, _language: str) -> None:
        try:
            self.retranslate()
        except RuntimeError:  # the C++ window is gone; forget it
            remove_language_listener(self._language_listener)

    def retranslate(self) -> None:
        self.setWindowTitle(window_title(self.status.summary, demo=self.demo))
        retranslate_actions(self.desk_actions, self.filter_actions, self.menus, self.law_toggle)
        self.tabs.setTabText(self.tabs.indexOf(self.case_view), _("Case"))
        self.tabs.setTabText(self.tabs.indexOf(self._intake or self._intake_slot), _("New complaint"))
        self.law_dock.setWindowTitle(_("Law reference"))
        self.queue_view.retranslate()
        self.status.retranslate()
        self.history_status.retranslate()
        self.tray.retranslate()
        for panel in (self.case_view, self._intake, self.law_dock.widget()):
            hook = getattr(panel, "retranslate", None)
            if callable(hook):
                hook()

    def _restore_layout(self) -> None:
        geometry, state = self.settings.get("window_geometry"), self.settings.get("window_state")
        if not (geometry and self.restoreGeometry(_decode(geometry))):
            self.resize(*_fitting(DEFAULT_SIZE, self.screen().availableGeometry().size()))
        window_state, _sep, splitter_state = str(state or "").partition(";")
        if window_state:
            self.restoreState(_decode(window_state))
        if not (splitter_state and self.splitter.restoreState(_decode(splitter_state))):
            self.splitter.setSizes([self.width() * 2 // 5, self.width() * 3 // 5])
        columns = self.settings.get("queue_columns")
        if isinstance(columns, list) and columns:
            self.queue_view.restore_column_layout(columns)

    def save_layout(self) -> None:
        self.settings.set("window_geometry", _encode(self.saveGeometry()))
        # The splitter between queue and case rides along in the same setting.
        self.settings.set("window_state", f"{_encode(self.saveState())};{_encode(self.splitter.saveState())}")
        self.settings.set("queue_columns", self.queue_view.column_layout())
        self.settings.save()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        save_draft = getattr(self._intake, "save_draft_now", None)
        if callable(save_draft) and self._intake_has_input():
            save_draft()  # never lose a half-typed complaint; the form offers it back next time
        self.save_layout()
        self.tick_timer.stop()
        stop_live = getattr(self.live, "stop", None)
        if callable(stop_live):
            stop_live()
        self.tray.hide()
        remove_language_listener(self._language_listener)
        self.runner.wait(5000)
        self.history_status.stop()
        super().closeEvent(event)


def _fitting(wanted: tuple[int, int], available: QSize) -> tuple[int, int]:
    """The default size, shrunk to the screen (a 1280x720 counter PC, or 1920x1080 at 150 %)."""
    return min(wanted[0], available.width()), min(wanted[1], available.height())


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _decode(text: Any) -> QByteArray:
    try:
        return QByteArray(base64.b64decode(str(text), validate=True))
    except ValueError:
        return QByteArray()
