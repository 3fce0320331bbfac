"""Chinese must render on a PC without any CJK font: the bundled one is registered as a fallback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from desktop.fonts import CJK_FONT_FAMILY
from desktop.ui import application


@pytest.fixture
def restored_font(qapp: QApplication) -> Iterator[QFont]:
    original = QFont(qapp.font())
    yield original
    qapp.setFont(original)


def test_bundled_font_covers_chinese_when_the_system_has_none(
        qapp: QApplication, restored_font: QFont, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "system_cjk_families", lambda: [])  # a bare Windows image
    family = application.ensure_cjk_font(qapp)
    assert family == CJK_FONT_FAMILY
    assert family in QFontDatabase.families()
    assert family in qapp.font().families()  # a fallback after the system face, not a replacement
    assert qapp.font().families()[0] == restored_font.family()
    metrics = QFontMetrics(QFont(family))
    assert all(metrics.inFontUcs4(ord(char)) for char in "投诉受理台处理结果告知书")


def test_a_system_cjk_font_is_left_alone(qapp: QApplication, restored_font: QFont,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "system_cjk_families", lambda: ["Microsoft YaHei"])
    assert application.ensure_cjk_font(qapp) is None
    assert qapp.font().families() == restored_font.families()


def test_qt_dialog_strings_follow_the_language(qapp: QApplication) -> None:
    from PySide6.QtCore import QCoreApplication

    from desktop.i18n import set_language

    assert application.install_qt_translations("zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    set_language("en")
    assert application.install_qt_translations("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    set_language("zh_CN")
    application.install_qt_translations("zh_CN")  # leave Qt as the other tests expect it
