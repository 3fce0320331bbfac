"""GUI entry point: ``python -m desktop [--db URL] [--lang zh_CN|en] [--screenshot FILE.png --view …]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop.i18n import SUPPORTED_LANGUAGES, _, set_language

log = logging.getLogger("desktop.main")
VIEWS = ("queue", "intake", "case", "law", "stats", "approvals", "team", "quality")
SCREENSHOT_SIZE = (1366, 768)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m desktop", description=_("Complaint Desk agent desk."))
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--db", metavar="URL", help=_("SQLAlchemy database URL (default: the local SQLite store)"))
    store.add_argument("--demo", action="store_true",
                       help=_("open the separate demo store (filled with sample complaints), never the real one"))
    parser.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=_("language of the interface"))
    parser.add_argument("--user", metavar="LOGIN", help=_("login to offer in the sign-in dialog"))
    parser.add_argument("--screenshot", metavar="FILE.png", type=Path,
                        help=_("render a view with the current data to a PNG file and exit"))
    parser.add_argument("--view", choices=VIEWS, default="queue", help=_("the view to render with --screenshot"))
    parser.add_argument("--verify", metavar="FILE.pdf", type=Path,
                        help=_("verify a signed letter (handed to the desk already running, if any)"))
    parser.add_argument("--bundle", metavar="FILE.cdbundle", type=Path,
                        help=_("review an exported bundle offline, without a database connection"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window flashes up; works without a display
    # Imported after argument parsing so --help answers without loading Qt.
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.demo_store import DEMO_ROWS, demo_store_url
    from desktop.logs import configure_file_logging
    from desktop.services.app import AppServices, Store
    from desktop.services.demo import DEMO_LOGIN, demo_password, ensure_demo_accounts, generate
    from desktop.services.errors import ServiceError
    from desktop.services.users import default_login
    from desktop.settings import Settings
    from desktop.store.db import DatabaseUrlError
    from desktop.ui.application import create_application
    from desktop.ui.failures import install_excepthook, report_startup_error
    from desktop.ui.main_window import MainWindow
    from desktop.ui.sign_in import SignInDialog

    configure_file_logging()
    settings = Settings()
    set_language(args.lang or str(settings.get("language")) or "zh_CN")
    app = create_application([sys.argv[0]])
    if args.bundle:
        return review_offline(args, settings)
    from desktop.ui.qt_log import install_qt_message_log
    from desktop.ui.single_instance import InstanceServer, act_on, hand_over, verify_file

    install_qt_message_log()
    instance: InstanceServer | None = None
    if not args.screenshot:
        # One desk per user: a second launch brings the first to the front (with the PDF to verify).
        message = {"verify": str(args.verify.resolve())} if args.verify else {"raise": True}
        if hand_over(message):
            print(_("Complaint Desk is already running; it has taken over."))  # noqa: T201
            return 0
        instance = InstanceServer()
        if not instance.start():
            log.warning("could not listen for second launches on %s", instance.name)
    try:
        url = demo_store_url() if args.demo else args.db
        store = Store.open(url, configured_url=None if args.demo else settings.get("database_url") or None)
    except (DatabaseUrlError, SQLAlchemyError, ServiceError) as error:
        reason = getattr(error, "orig", None) or error  # the driver's own words, without SQLAlchemy's links
        report_startup_error(_("The database could not be opened: {reason}").format(reason=str(reason).strip()))
        return 2
    window: MainWindow | None = None
    install_excepthook(lambda: window)
    services: AppServices | None = None
    try:
        if args.demo:
            # The separate demo store, and only it, gets the documented demo accounts and sample
            # complaints; a real store (SQLite or PostgreSQL) that happens to be empty stays empty.
            ensure_demo_accounts(store.sessions)
            login = args.user or DEMO_LOGIN
            services = store.sign_in(login, demo_password(login))
            if services.complaints.count() == 0:
                generate(services.sessions, services.complaints, services.actor, DEMO_ROWS)
        elif not store.identity.is_set_up():
            report_startup_error(_("Nobody can sign in to this database yet: an administrator first runs "
                                   "“complaint-desk setup --admin LOGIN”. (For a demonstration, start the desk "
                                   "with --demo: a separate demo store.)"))
            return 2
        elif args.screenshot:
            report_startup_error(_("Screenshots are taken of the demo store only: add --demo."))
            return 2
        else:
            login = args.user or str(settings.get("user_login") or "") or default_login()
            services = SignInDialog.run(store, login)
            if services is None:
                return 0
            settings.set("user_login", services.actor.login)
        window = MainWindow(services, settings, background=not args.screenshot, demo=args.demo)
        if args.screenshot:
            return render_screenshot(window, args.view, args.screenshot)
        window.show()
        # The pickers' pinyin keys (the build's table) load on a thread once the queue is on screen.
        # The law suggestions' word segmenter (76 MB) waits until suggestions are first shown.
        window.after_first_paint.call(warm_up_dictionaries)
        if instance is not None:
            instance.message_received.connect(lambda message: act_on(window, message) if window else None)
        log.info("desk ready; second launches reach it at %s", instance.name if instance else "-")
        if args.verify:
            verify_file(window, args.verify)
        return app.exec()
    except ServiceError as error:
        report_startup_error(str(error))
        return 2
    finally:
        store.close()


def warm_up_dictionaries() -> None:
    import threading

    from desktop.domain import pick_match

    def load() -> None:
        pick_match.warm_up()

    threading.Thread(target=load, name="dictionaries-warm-up", daemon=True).start()


def review_offline(args: argparse.Namespace, settings: object) -> int:
    """``--bundle``: the review window on a bundle; no database is opened."""
    from PySide6.QtWidgets import QApplication

    from desktop.services.users import default_login
    from desktop.ui.review.desk import open_review_window

    login = args.user or getattr(settings, "get", lambda _key: None)("user_login") or default_login()
    window = open_review_window(None, str(login), args.bundle)
    if window is None:
        return 2
    if args.screenshot:
        window.resize(1366, 768)
        QApplication.processEvents()
        return 0 if window.grab().save(str(args.screenshot)) else 1
    return QApplication.instance().exec()  # type: ignore[union-attr]


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
