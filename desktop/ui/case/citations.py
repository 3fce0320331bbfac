"""The Citations tab (what the case cites, and suggested articles) and the Letter box's frame."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.law import Citation, LawIndex, Suggestion
from desktop.services.app import AppServices
from desktop.services.case_reads import StoredCitation
from desktop.services.errors import ServiceError
from desktop.services.records import ComplaintRecord
from desktop.ui.case.citation_models import CitationsModel, SuggestionsModel
from desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SUGGESTION_COUNT = 5


def _table(model: CitationsModel | SuggestionsModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)  # one line a row; the whole text is in the tooltip
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CitationsTab(QWidget):
    """Emits :attr:`attach_requested` with a :class:`Citation` when a suggestion is accepted."""

    attach_requested = Signal(object)
    remove_requested = Signal(int)  # id of a stored citation the agent removes (Delete)

    def __init__(self, services: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._index: LawIndex | None = None
        self._runner: TaskRunner | None = None
        self.record: ComplaintRecord | None = None
        self._cited: set[tuple[str, int]] = set()
        # Suggestions are worked out where they are seen: ranking loads the word segmenter (76 MB,
        # half a second) and runs on every case opened, whether or not the agent looks here.
        self._suggestions_due = False
        self.cited_label, self.note = QLabel(self), QLabel(self)
        self.note.setWordWrap(True)
        self.model = CitationsModel(self)
        self.table = _table(self.model, self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.suggested_label, self.suggested_note = QLabel(self), QLabel(self)
        self.suggested_note.setWordWrap(True)
        self.suggestions = SuggestionsModel(self)
        self.suggestion_table = _table(self.suggestions, self)
        self.suggestion_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.article_text = QLabel(self)
        self.article_text.setWordWrap(True)
        self.attach_button = QPushButton(self)
        self._build_layout()
        # QAbstractItemView emits activated on Enter/Return (and double-click): that accepts the row.
        self.suggestion_table.activated.connect(self._accept_suggestion)
        self.suggestion_table.selectionModel().currentRowChanged.connect(self._show_article)
        self.attach_button.clicked.connect(
            lambda: self._accept_suggestion(self.suggestion_table.currentIndex()))
        # Delete on a cited row takes a wrong citation off the case (the history keeps it).
        self.remove_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table,
                                         self.request_removal, Qt.ShortcutContext.WidgetShortcut)
        self.retranslate()

    def _build_layout(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.suggested_label)
        row.addStretch(1)
        row.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.cited_label)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 2)
        layout.addLayout(row)
        layout.addWidget(self.suggested_note)
        layout.addWidget(self.suggestion_table, 4)
        layout.addWidget(self.article_text)

    def retranslate(self) -> None:
        self.cited_label.setText("<b>" + _("Law cited in this case") + "</b>")
        self.suggested_label.setText("<b>" + _("Suggested articles") + "</b>")
        self.attach_button.setText(_("Attach to case"))
        self.attach_button.setToolTip(_("Enter on a suggestion attaches it as well."))
        self.table.setAccessibleName(_("Citations of this case"))
        self.table.setToolTip(_("Delete removes the selected citation (the case history keeps it)."))
        self.suggestion_table.setAccessibleName(_("Suggested articles"))
        self.model.retranslate()
        self.suggestions.retranslate()
        self._update_notes()

    # -- loading ---------------------------------------------------------------------------
    def reload(self, record: ComplaintRecord | None, stored: list[StoredCitation] | None = None) -> None:
        """Show the stored citations of ``record`` (read now unless given) and the articles suggested for it."""
        self.record = record
        if record is None:
            self.model.set_items([])
            self.suggestions.set_items([])
            self._update_notes()
            return
        if stored is None:
            try:
                stored = self.services.citations.list(record.number)
            except ServiceError as error:
                self.note.setText(str(error))
                return
        self.model.set_items(stored)
        self._cited = {(s.citation.statute_key, s.citation.article) for s in stored}
        if self.isVisible():
            self._show_suggestions()
        else:
            self._suggestions_due = True
            self.suggestions.set_items([])
            self.article_text.clear()
        self._update_notes()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._suggestions_due:
            self._show_suggestions()

    def _show_suggestions(self) -> None:
        self._suggestions_due = False
        record = self.record
        if record is None:
            return
        index = self.law_index()
        if index is not None and not index.suggestions_ready and self._runner is not None:
            # The first time: the ranking model is built on a worker, then this case's are shown.
            self.suggested_note.setText(_("Preparing suggested articles…"))

            def ready(_built: object) -> None:
                if self.record is record:
                    self._show_suggestions()

            def failed(error: Exception) -> None:
                self.suggested_note.setText(_("The law pack could not be loaded: {error}").format(error=error))

            self._runner.run(index.warm_up, ready, failed, key="suggestions")
            return
        self.suggestions.set_items(self._suggest(record, self._cited))
        if self.suggestions.rowCount():
            self.suggestion_table.setCurrentIndex(self.suggestions.index(0, 0))
        else:
            self.article_text.clear()
        self._update_notes()

    def _suggest(self, record: ComplaintRecord, cited: set[tuple[str, int]]) -> list[Suggestion]:
        index = self.law_index()
        if index is None:
            return []
        # The demand often names the remedy (退还, 赔偿) that points at the right article.
        text = "\n".join(part for part in (record.description, record.demand) if part)
        site = self.services.law_learning.evidence(text, record.category, exclude_complaint_id=record.id)
        found = index.suggest(text, record.category, limit=SUGGESTION_COUNT + len(cited), site=site)
        fresh = [s for s in found if (s.statute.key, s.article.number) not in cited]
        return fresh[:SUGGESTION_COUNT]

    def warm_index(self, runner: TaskRunner) -> None:
        """Build the law index on a worker while the agent reads the queue (the first opened case
        waited about 0.25 s for it). Its suggestion model waits until suggestions are first shown."""
        self._runner = runner
        if self._index is not None:
            return
        services = self.services

        def build() -> LawIndex:
            return LawIndex(services.law_pack)

        def adopt(index: LawIndex) -> None:
            if self._index is None:
                self._index = index

        # A failure is left for the first case to meet and show (law_index() reports it there).
        runner.run(build, adopt, lambda error: log.info("law index not built ahead: %s", error), key="law-index")

    def law_index(self) -> LawIndex | None:
        """The index over the pack in use, built on first need (the pack loads lazily too)."""
        if self._index is None:
            try:
                self._index = LawIndex(self.services.law_pack)
            except Exception as error:  # a damaged imported pack must not take the case view down
                log.exception("loading the law pack failed")
                self.suggested_note.setText(
                    _("The law pack could not be loaded: {error}").format(error=error))
                return None
        return self._index

    def _update_notes(self) -> None:
        if self.record is None:
            self.note.clear()
            self.suggested_note.clear()
            return
        self.note.setText("" if self.model.rowCount() else _("No law cited in this case yet."))
        self.note.setVisible(bool(self.note.text()))
        if self.suggestions.rowCount():
            self.suggested_note.setText(_("Select an article and press Enter to cite it in this case."))
        elif self._index is not None:
            self.suggested_note.setText(_("No further articles match this complaint."))
        self.attach_button.setEnabled(self.suggestions.rowCount() > 0)

    # -- accepting -------------------------------------------------------------------------
    def _show_article(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            item = self.suggestions.item(current.row())
            self.article_text.setText(f"{Citation.of(item.statute, item.article).format()}：{item.article.text}")

    def request_removal(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.remove_requested.emit(self.model.item(index.row()).id)

    def _accept_suggestion(self, index: QModelIndex) -> None:
        if index.isValid():
            self.attach_requested.emit(self.suggestions.citation(index.row()))


class LetterArea(QGroupBox):
    """Where the letter buttons go; ``add_widget`` appends one (the case view adds its letter actions)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(6, 2, 6, 4)
        self.row.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Letter"))

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Append ``widget``; one with a stretch takes the free width the trailing spacer held."""
        self.row.insertWidget(self.row.count() - 1, widget, stretch)
        if stretch:
            self.row.setStretch(self.row.count() - 1, 0)
