"""GUI entry point: ``python -m desktop [--db URL] [--lang zh_CN|en] [--screenshot FILE.png --view …]``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.i18n import SUPPORTED_LANGUAGES, _, set_language

VIEWS = ("queue", "intake", "case", "law", "stats", "approvals", "team", "quality")
DEMO_ROWS = 300
SCREENSHOT_SIZE = (1440, 860)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m desktop", description=_("Complaint Desk agent desk."))
    parser.add_argument("--db", metavar="URL", help=_("SQLAlchemy database URL (default: the local SQLite store)"))
    parser.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=_("language of the interface"))
    parser.add_argument("--user", metavar="LOGIN", help=_("acting user (default: the signed-in OS user)"))
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path,
                        help=_("render a view with the current data to a PNG file and exit"))
    parser.add_argument("--view", choices=VIEWS, default="queue", help=_("the view to render with --screenshot"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window flashes up; works without a display
    # Imported after argument parsing so --help answers without loading Qt.
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.logs import configure_file_logging
    from desktop.services.app import AppServices
    from desktop.services.demo import generate
    from desktop.services.errors import ServiceError
    from desktop.services.queue import QueueFilter, QueueQuery
    from desktop.settings import Settings
    from desktop.store.db import DatabaseUrlError
    from desktop.ui.application import create_application
    from desktop.ui.failures import install_excepthook, report_startup_error
    from desktop.ui.main_window import MainWindow

    configure_file_logging()
    settings = Settings()
    set_language(args.lang or str(settings.get("language")) or "zh_CN")
    app = create_application([sys.argv[0]])
    try:
        services = AppServices.open(args.db, user_login=args.user or settings.get("user_login") or None,
                                    configured_url=settings.get("database_url") or None)
    except (DatabaseUrlError, SQLAlchemyError, ServiceError) as error:
        reason = getattr(error, "orig", None) or error  # the driver's own words, without SQLAlchemy's links
        report_startup_error(_("The database could not be opened: {reason}").format(reason=str(reason).strip()))
        return 2
    window: MainWindow | None = None
    install_excepthook(lambda: window)
    try:
        if services.queue.count(QueueQuery(filter=QueueFilter.ALL)) == 0:
            # A new user should meet a working desk, not an empty table.
            generate(services.sessions, services.complaints, services.users, services.actor, DEMO_ROWS)
        window = MainWindow(services, settings, background=not args.screenshot)
        if args.screenshot:
            return render_screenshot(window, args.view, args.screenshot)
        window.show()
        return app.exec()
    finally:
        services.close()


def render_screenshot(window: object, view: str, path: Path) -> int:
    from desktop.ui.main_screenshot import prepare_view
    from desktop.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    shown = prepare_view(window, view)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not shown.grab().save(str(path)):
        print(_("Could not write {path}.").format(path=path), file=sys.stderr)  # noqa: T201
        return 1
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
