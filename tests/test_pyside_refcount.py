"""Regression guard: PySide6 6.12.0 on Python 3.11 drops references to None and aborts.

Every void-returning wrapped call and every ``QModelIndex.data()`` that yields None lost one
reference to ``None``; after enough calls CPython died with ``none_dealloc``. pyproject pins
PySide6 < 6.12 on Python < 3.12. If a future pin lets a broken build in, this test fails
instead of an agent's desk crashing mid-call.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import QApplication


def test_void_calls_and_none_data_keep_none_referenced(qapp: QApplication) -> None:
    model = QStringListModel(["甲", "乙"])
    index = model.index(0, 0)
    assert index.data(Qt.ItemDataRole.ToolTipRole) is None  # really the None-returning path
    before = sys.getrefcount(None)
    for _ in range(20_000):
        QCoreApplication.processEvents()
        index.data(Qt.ItemDataRole.ToolTipRole)
    after = sys.getrefcount(None)
    # Other code may take a few references meanwhile; the bug lost 40,000.
    assert after >= before - 100, f"None lost {before - after} references"
