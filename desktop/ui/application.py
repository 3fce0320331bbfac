"""QApplication setup: name, high-DPI, a Chinese font that always renders, Qt's own translations.

The bundled CJK font is registered only when the system has no Simplified Chinese font (a bare
Windows image or a container); a PC with 微软雅黑 keeps its native look. The system font size is
left alone so an agent's accessibility setting carries over.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSize, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from desktop.fonts import CJK_FONT_FAMILY, cjk_font_path
from desktop.i18n import add_language_listener, current_language
from desktop.paths import APP_NAME, resource_path

log = logging.getLogger(__name__)

_qt_translator: QTranslator | None = None
_listening = False


def system_cjk_families() -> list[str]:
    """Installed families that can draw Simplified Chinese (application fonts excluded)."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    return [f for f in families if f != CJK_FONT_FAMILY]


def ensure_cjk_font(app: QGuiApplication) -> str | None:
    """Register the bundled font as a fallback when nothing installed can show Chinese.

    Returns the family added, or ``None`` when a system font already covers Chinese.
    """
    if system_cjk_families():
        return None
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    if font_id < 0:
        log.warning("could not register the bundled CJK font %s", cjk_font_path())
        return None
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    base = app.font()
    # Latin text keeps the system face; anything it lacks (all of Chinese) falls back to ours.
    base.setFamilies([base.family(), family])
    app.setFont(base)
    QFont.insertSubstitutions(base.family(), [family])
    return family


def install_qt_translations(language: str) -> bool:
    """Qt's own strings (standard buttons, context menus) in the desk's language."""
    global _qt_translator
    app = QCoreApplication.instance()
    if app is None:
        return False
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China) if language == "zh_CN"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    if language == "en":
        return True
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        log.info("no Qt translation qtbase_%s in %s", language, folder)
        return False
    app.installTranslator(translator)
    _qt_translator = translator
    return True


def _follow_language(language: str) -> None:
    install_qt_translations(language)


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The desk's icon (resources/icons, rendered from the SVG by packaging/make_icons.py)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resource_path(f"icons/complaint-desk-{size}.png")), QSize(size, size))
    return icon


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The one QApplication of the desk (reused when one exists, e.g. under pytest-qt)."""
    global _listening
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(app_icon())
    ensure_cjk_font(app)
    install_qt_translations(current_language())
    if not _listening:
        add_language_listener(_follow_language)
        _listening = True
    return app
