"""The queue model against a real store: Qt's model checks, paging, SQL sorting, deadline cues."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QTableView

from desktop.i18n import set_language
from desktop.services.app import AppServices
from desktop.services.queue import QueueFilter, QueueQuery
from desktop.ui.queue.model import NUMBER_ROLE, STATE_ROLE, QueueModel
from desktop.ui.queue.state import column_index
from desktop.ui.tasks import TaskRunner


def test_qt_model_tester_passes(qtmodeltester, desk_services: AppServices) -> None:
    model = QueueModel(desk_services.queue)
    model.set_query(QueueQuery(filter=QueueFilter.ALL))
    assert model.rowCount() == 120
    qtmodeltester.check(model, force_py=True)


def test_rows_are_read_in_pages_never_all_at_once(desk_services: AppServices, qapp) -> None:
    model = QueueModel(desk_services.queue, page_size=20, max_pages=2)  # 120 rows span six pages
    model.set_query(QueueQuery(filter=QueueFilter.ALL, sort="number"))
    cache = model.page_cache
    assert cache.cached_rows == 20
    assert model.data(model.index(119, 0)) == model.number_at(119)
    assert cache.cached_rows <= 40
    assert model.data(model.index(0, 0)) < model.data(model.index(119, 0))
    assert cache.loads == 1  # the first page came with the count; only the last one was read


def test_sorting_through_the_header_reorders_in_sql(desk_services: AppServices, qapp) -> None:
    model = QueueModel(desk_services.queue)
    model.set_query(QueueQuery(filter=QueueFilter.ALL))
    number = column_index("number")
    model.sort(number, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "number" and model.query.descending
    numbers = [model.data(model.index(r, number)) for r in range(model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    model.sort(column_index("customer"), Qt.SortOrder.AscendingOrder)
    names = [model.summary(r).customer_name for r in range(model.rowCount())]
    assert names == sorted(names)


def test_filter_change_changes_the_row_count(desk_services: AppServices, qapp) -> None:
    model = QueueModel(desk_services.queue)
    counts = desk_services.queue.counts(list(QueueFilter))
    for f in (QueueFilter.OPEN, QueueFilter.INVALID, QueueFilter.MINE, QueueFilter.ALL):
        model.set_query(QueueQuery(filter=f))
        assert model.rowCount() == counts[f]


def test_deadline_state_is_shown_by_icon_text_and_colour(desk_services: AppServices, qapp) -> None:
    model = QueueModel(desk_services.queue)
    model.set_query(QueueQuery(filter=QueueFilter.OVERDUE))
    assert model.rowCount() > 0
    cell = model.index(0, column_index("time_left"))
    assert model.data(cell, STATE_ROLE) == "overdue"
    assert isinstance(model.data(cell, Qt.ItemDataRole.DecorationRole), QIcon)
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) is not None
    assert "已超期" in model.data(cell)
    set_language("en")
    model.retranslate()
    assert "overdue" in model.data(cell)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Number"
    # Personal data is masked in the list.
    assert "*" in model.data(model.index(0, column_index("phone")))


def test_background_query_lands_on_the_gui_thread(desk_services: AppServices, qtbot) -> None:
    runner = TaskRunner()
    model = QueueModel(desk_services.queue, runner=runner)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    with qtbot.waitSignal(model.refreshed, timeout=10000):
        model.set_query(QueueQuery(filter=QueueFilter.ALL, search="TS-2026"))
    assert model.rowCount() == 120 and not model.loading
    assert model.index(0, 0, QModelIndex()).data(NUMBER_ROLE).startswith("TS-")
    # A superseded query never shows: only the last one typed lands.
    with qtbot.waitSignal(model.refreshed, timeout=10000):
        model.set_query(QueueQuery(filter=QueueFilter.INVALID))
        model.set_query(QueueQuery(filter=QueueFilter.OPEN))
    runner.wait()
    qtbot.wait(50)
    assert model.query.filter == QueueFilter.OPEN
