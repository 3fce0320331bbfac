"""Entry point of ``complaint-desk``.

Each ``*_commands`` module owns one group of sub-commands: it exposes
``register(subparsers)`` and sets ``handler=`` on its parsers; a handler takes
``(args, ctx)`` and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from desktop.cli.context import CliContext
from desktop.cli.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, expected_message, report_unexpected, say
from desktop.domain.masking import mask_text
from desktop.i18n import _

COMMAND_MODULES = (
    "desktop.cli.deadline_commands",
    "desktop.cli.complaint_commands",
    "desktop.cli.transfer_commands",
    "desktop.cli.demo_commands",
    "desktop.cli.calendar_commands",
    "desktop.cli.site_commands",
    "desktop.cli.law_commands",
    "desktop.cli.letter_commands",
    "desktop.cli.key_commands",
    "desktop.cli.stats_commands",
    "desktop.cli.audit_commands",
    "desktop.cli.user_commands",
    "desktop.cli.db_commands",
    "desktop.cli.bundle_commands",
    "desktop.cli.supervisor_commands",
)


class _Parser(argparse.ArgumentParser):
    """A usage mistake is one line too (``--help`` still shows the full usage)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="complaint-desk",
        description=_("Complaint Desk administration and integration commands."),
    )
    parser.add_argument("--db", metavar="URL", help=_("SQLAlchemy database URL (default: the local SQLite store)"))
    parser.add_argument("--user", metavar="LOGIN",
                        help=_("sign in as LOGIN (default: $COMPLAINT_DESK_USER, else the OS login)"))
    parser.add_argument("--password-file", metavar="FILE", type=Path,
                        help=_("read the sign-in password from FILE (or set $COMPLAINT_DESK_PASSWORD)"))
    parser.add_argument("--lang", choices=("zh_CN", "en"), help=_("language of messages"))
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # that command group is not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    raw_args = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in raw_args:
        from desktop.i18n import set_language

        position = raw_args.index("--lang")
        if position + 1 < len(raw_args) and raw_args[position + 1] in ("zh_CN", "en"):
            set_language(raw_args[position + 1])
    parser = build_parser()
    args = parser.parse_args(raw_args)
    ctx = CliContext(db_url=args.db, user_login=args.user, as_json=bool(getattr(args, "json", False)),
                     password_file=args.password_file)
    try:
        code: int = args.handler(args, ctx)
    except KeyboardInterrupt:
        sys.stderr.write("complaint-desk: " + _("interrupted") + "\n")
        code = 130
    except Exception as error:  # one line, never a traceback (desktop/cli/errors.py)
        code = _report(error)
    finally:
        try:
            ctx.close()
        except Exception as error:
            code = _report(error)
    return code


def _report(error: Exception) -> int:
    message = expected_message(error)
    if message is None:
        report_unexpected(error)
        return EXIT_INTERNAL
    say(f"complaint-desk: {mask_text(message)}")  # never a full phone or ID number on the terminal
    return EXIT_BAD_INPUT

if __name__ == "__main__":
    sys.exit(main())
