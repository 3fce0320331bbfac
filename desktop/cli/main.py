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
from desktop.i18n import N_, _

# Each command, the module that registers it and its one-line help. ``complaint-desk --help`` lists
# them from here without importing any command module (so no database or PDF code loads), and a
# command imports only its own module. tests/cli/test_cli_commands.py keeps this in step with
# what the modules register.
COMMANDS: dict[str, tuple[str, str]] = {
    "deadline": ("deadline_commands", N_("compute a deadline with its legal basis and trace")),
    "complaint": ("complaint_commands", N_("add, show and list complaints")),
    "import": ("transfer_commands", N_("import complaints from a CSV or XLSX file (all or nothing)")),
    "export": ("transfer_commands", N_("export complaints")),
    "demo-data": ("demo_commands", N_("add realistic demo complaints")),
    "bench": ("demo_commands", N_("measure the store against plain sqlite3")),
    "calendar": ("calendar_commands", N_("holiday calendars (official schedules)")),
    "site": ("site_commands", N_("settings shared by every seat of the site")),
    "law": ("law_commands", N_("law quick-reference: search statutes and suggest articles")),
    "letter": ("letter_commands", N_("outcome letters: render, sign, verify")),
    "keys": ("key_commands", N_("signing certificates: site CA, agent certificates, trust")),
    "stats": ("stats_commands", N_("complaint statistics for a period of receipt days")),
    "audit": ("audit_commands",
              N_("audit: personal data access, account changes, and proof the history was not rewritten")),
    "setup": ("user_commands", N_("set up a new store with its first administrator")),
    "passwd": ("user_commands", N_("choose a new password (required after a reset)")),
    "user": ("user_commands", N_("accounts (administrators)")),
    "db": ("db_commands", N_("database administration (PostgreSQL roles)")),
    "bundle": ("bundle_commands", N_("offline review bundles for supervisors")),
    "team": ("supervisor_commands", N_("the supervisor's view of the team")),
    "qa": ("supervisor_commands", N_("quality review (质检) of closed cases")),
}
COMMAND_MODULES = tuple(dict.fromkeys(f"desktop.cli.{module}" for module, _help in COMMANDS.values()))
_GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--user", "--password-file", "--lang")


class _Parser(argparse.ArgumentParser):
    """A usage mistake is one line too (``--help`` still shows the full usage)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def command_in(args: Sequence[str]) -> str | None:
    """The command word of a command line (the first argument that is no global option or its value)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``command`` (only its module is imported), or with every command listed
    (``--help``, a typo, no command: nothing is imported)."""
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
    if command in COMMANDS:
        importlib.import_module(f"desktop.cli.{COMMANDS[command][0]}").register(subparsers)
    else:
        for name, (_module, help_text) in COMMANDS.items():
            subparsers.add_parser(name, help=_(help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    raw_args = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in raw_args:
        from desktop.i18n import set_language

        position = raw_args.index("--lang")
        if position + 1 < len(raw_args) and raw_args[position + 1] in ("zh_CN", "en"):
            set_language(raw_args[position + 1])
    parser = build_parser(command_in(raw_args))
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
