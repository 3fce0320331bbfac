"""Browse the whole pack (statutes → articles) and the typical-case library."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListView,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.codes import category_label
from desktop.i18n import _
from desktop.law import CaseExample, Grade, LawPack, Statute
from desktop.law.numerals import article_label
from desktop.ui.law.article_html import article_html, badges_html

KeyRole = Qt.ItemDataRole.UserRole + 1


def statute_tree_model(pack: LawPack) -> QStandardItemModel:
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels([_("Statutes")])
    for statute in pack.statutes:
        marker = " ⚠" if statute.grade is Grade.SECONDARY else ""
        parent = QStandardItem(f"{statute.title}{marker}")
        parent.setEditable(False)
        parent.setData((statute.key, None), KeyRole)
        for article in statute.articles:
            first_line = article.text.split("\n", 1)[0]
            child = QStandardItem(f"{article.label}  {first_line[:30]}")
            child.setEditable(False)
            child.setData((statute.key, article.number), KeyRole)
            parent.appendRow(child)
        model.appendRow(parent)
    return model


def case_list_model(pack: LawPack) -> QStandardItemModel:
    model = QStandardItemModel()
    for position, case in enumerate(pack.cases):
        item = QStandardItem(case.title)
        item.setEditable(False)
        item.setData(position, KeyRole)
        model.appendRow(item)
    return model


def statute_html(statute: Statute) -> str:
    rows = [
        (_("Issuing body"), statute.issuer),
        (
            _("Document number"),
            statute.doc_number + ("" if statute.doc_number_verified else " (?)"),
        ),
        (_("Adopted"), statute.dates.adopted),
        (_("Revised"), "、".join(statute.dates.revised) or "—"),
        (_("Effective"), statute.dates.effective),
        (_("Version"), statute.version_date),
        (_("Source"), statute.source),
    ]
    table = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows)
    notes = "".join(f"<li>{escape(note)}</li>" for note in statute.notes)
    return (
        f"<h3>{escape(statute.title)}</h3><p>{badges_html(statute)}</p>"
        f"<table cellspacing='4'>{table}</table>" + (f"<ul>{notes}</ul>" if notes else "")
    )


def case_html(pack: LawPack, case: CaseExample) -> str:
    refs = []
    for ref in case.references:
        statute = pack.statute_by_key(ref.statute_key)
        refs.append(f"<li>《{escape(statute.title)}》{escape(article_label(ref.article))}</li>")
    facts, handling, articles = _("Facts"), _("Handling"), _("Articles")
    return (
        f"<h3>{escape(case.title)}</h3><p><i>{escape(category_label(case.category))}</i></p>"
        f"<p><b>{escape(facts)}</b><br/>{escape(case.facts)}</p>"
        f"<p><b>{escape(handling)}</b><br/>{escape(case.handling)}</p>"
        f"<p><b>{escape(articles)}</b></p><ul>{''.join(refs)}</ul>"
    )


class LawBrowserDialog(QDialog):
    def __init__(self, pack: LawPack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pack = pack
        self.setWindowTitle(_("Law quick-reference"))
        self.statute_model = statute_tree_model(pack)
        self.statute_view = QTreeView()
        self.statute_view.setModel(self.statute_model)
        self.statute_view.setHeaderHidden(True)
        self.statute_text = QTextBrowser()
        self.case_model = case_list_model(pack)
        self.case_view = QListView()
        self.case_view.setModel(self.case_model)
        self.case_text = QTextBrowser()

        statutes = QSplitter()
        statutes.addWidget(self.statute_view)
        statutes.addWidget(self.statute_text)
        statutes.setSizes([320, 560])
        cases = QSplitter()
        cases.addWidget(self.case_view)
        cases.addWidget(self.case_text)
        cases.setSizes([260, 620])
        self.tabs = QTabWidget()
        self.tabs.addTab(statutes, _("Statutes"))
        self.tabs.addTab(cases, _("Typical cases"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(close)

        self.statute_view.selectionModel().currentChanged.connect(self._show_statute_node)
        self.case_view.selectionModel().currentChanged.connect(self._show_case)
        self.resize(900, 600)

    def _show_statute_node(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key, number = current.data(KeyRole)
        statute = self._pack.statute_by_key(key)
        if number is None:
            self.statute_text.setHtml(statute_html(statute))
        else:
            self.statute_text.setHtml(article_html(statute, statute.article(number), []))

    def _show_case(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.case_text.setHtml(case_html(self._pack, self._pack.cases[current.data(KeyRole)]))

    def select_article(self, statute_key: str, number: int) -> None:
        for row in range(self.statute_model.rowCount()):
            parent = self.statute_model.item(row)
            if parent.data(KeyRole)[0] != statute_key:
                continue
            for child_row in range(parent.rowCount()):
                if parent.child(child_row).data(KeyRole)[1] == number:
                    index = parent.child(child_row).index()
                    self.statute_view.setCurrentIndex(index)
                    self.statute_view.scrollTo(index)
                    return
