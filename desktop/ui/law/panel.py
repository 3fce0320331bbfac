"""The law panel docked beside a case: search, suggestions, the article, cite."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.law import Citation, Grade, LawIndex, SearchHit, SiteEvidence, Suggestion
from desktop.ui.law.article_html import article_html
from desktop.ui.law.confirm import SecondaryCitationConfirmation
from desktop.ui.law.models import LawResultsModel

SEARCH_DELAY_MS = 150


MIN_WIDTH = 320


class LawPanel(QWidget):
    """Emits :attr:`citation_requested` with a :class:`Citation` when the agent attaches one."""

    citation_requested = Signal(object)

    def __init__(self, index: LawIndex, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._index = index
        self._current: SearchHit | Suggestion | None = None
        # Article text is read, not skimmed: below this width every line wraps after a few characters.
        self.setMinimumWidth(MIN_WIDTH)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(_("Search: 电信条例 34, 消保法55, 巨额费用…"))
        self.search_edit.setClearButtonEnabled(True)
        self.results_model = LawResultsModel()
        self.results_view = self._list_view(self.results_model)
        self.suggestions_label = QLabel(_("Suggested articles"))
        self.suggestions_model = LawResultsModel()
        self.suggestions_view = self._list_view(self.suggestions_model)
        self.article_view = QTextBrowser()
        self.article_view.setOpenLinks(False)
        self.copy_button = QPushButton(_("Copy citation"))
        self.attach_button = QPushButton(_("Attach to case"))
        self.copy_button.setToolTip("Ctrl+Shift+C")
        self.attach_button.setToolTip("Ctrl+Return")
        self._layout()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.search_edit.returnPressed.connect(self.run_search)
        self.search_edit.installEventFilter(self)
        self.copy_button.clicked.connect(self.copy_citation)
        self.attach_button.clicked.connect(self.attach_current)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_citation)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.attach_current)
        self._update_buttons()

    def _list_view(self, model: LawResultsModel) -> QListView:
        view = QListView()
        view.setModel(model)
        view.setWordWrap(True)
        view.setAlternatingRowColors(True)
        view.selectionModel().currentChanged.connect(self._on_current_changed)
        # QAbstractItemView emits activated on Enter/Return: that accepts the row.
        view.activated.connect(self._on_activated)
        return view

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results_view, 2)
        layout.addWidget(self.suggestions_label)
        layout.addWidget(self.suggestions_view, 2)
        layout.addWidget(self.article_view, 3)
        layout.addLayout(buttons)

    # -- searching ------------------------------------------------------------------------------

    def run_search(self) -> None:
        self._debounce.stop()
        query = self.search_edit.text().strip()
        self.results_model.set_results(self._index.search(query) if query else [])
        if self.results_model.rowCount():
            self.results_view.setCurrentIndex(self.results_model.index(0, 0))

    def show_suggestions(self, text: str, category: str | None = None, *, take_focus: bool = True,
                         site: SiteEvidence | None = None) -> None:
        """Fill the suggestion list for a complaint; Enter on a row attaches it.

        ``take_focus=False`` when the list merely follows the case the agent moved to in the queue,
        so keyboard navigation there is not interrupted.
        """
        self.suggestions_model.set_results(self._index.suggest(text, category, site=site))
        if self.suggestions_model.rowCount():
            self.suggestions_view.setCurrentIndex(self.suggestions_model.index(0, 0))
            if take_focus:
                self.suggestions_view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down in the search box moves into the results (search first if a search is pending)."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                if self._debounce.isActive():
                    self.run_search()
                if self.results_model.rowCount():
                    self.results_view.setFocus()
                    self.results_view.setCurrentIndex(self.results_model.index(0, 0))
                return True
        return super().eventFilter(watched, event)

    # -- current article ------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        model = current.model()
        assert isinstance(model, LawResultsModel)
        self.show_result(model.result(current.row()))

    def show_result(self, result: SearchHit | Suggestion) -> None:
        self._current = result
        self.article_view.setHtml(article_html(result.statute, result.article, result.highlights))
        self._update_buttons()

    def current_citation(self) -> Citation | None:
        if self._current is None:
            return None
        return Citation.of(self._current.statute, self._current.article)

    def _update_buttons(self) -> None:
        enabled = self._current is not None
        self.copy_button.setEnabled(enabled)
        self.attach_button.setEnabled(enabled)

    # -- citing ---------------------------------------------------------------------------------

    def _on_activated(self, index: QModelIndex) -> None:
        model = index.model()
        assert isinstance(model, LawResultsModel)
        self.show_result(model.result(index.row()))
        self.attach_current()

    def copy_citation(self) -> None:
        citation = self.current_citation()
        if citation is None:
            return
        text = f"{citation.format()}：{citation.text}"
        if citation.grade is Grade.SECONDARY:
            text = _("[Secondary sources only, not checked against the official text]") + " " + text
        QGuiApplication.clipboard().setText(text)

    def attach_current(self) -> None:
        citation = self.current_citation()
        if citation is None:
            return
        if citation.needs_confirmation and not SecondaryCitationConfirmation.ask(self, citation):
            return
        self.citation_requested.emit(citation)
