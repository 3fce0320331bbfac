"""``complaint-desk setup``, ``passwd``, ``user add|list|set-role|set-team|deactivate|activate|reset-password``
and ``audit``: accounts and sign-in."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.context import CliContext, CliError, read_secret_file
from desktop.i18n import _
from desktop.services.errors import ServiceError
from desktop.services.permissions import ROLES

if TYPE_CHECKING:
    from desktop.services.app import AppServices

NEW_PASSWORD_ENV = "COMPLAINT_DESK_NEW_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    setup = subparsers.add_parser("setup", help=_("set up a new store with its first administrator"))
    setup.add_argument("--admin", required=True, metavar="LOGIN", help=_("login of the first administrator"))
    setup.add_argument("--display-name", metavar="NAME", help=_("the administrator's name"))
    setup.add_argument("--password-file", dest="new_password_file", metavar="FILE", type=Path,
                       help=_("read the administrator's password from FILE (otherwise you are asked)"))
    setup.add_argument("--json", action="store_true", help=_("print JSON"))
    setup.set_defaults(handler=handle_setup)

    passwd = subparsers.add_parser("passwd", help=_("choose a new password (required after a reset)"))
    passwd.add_argument("--new-password-file", metavar="FILE", type=Path,
                        help=_("read the new password from FILE (or set $COMPLAINT_DESK_NEW_PASSWORD)"))
    passwd.set_defaults(handler=handle_passwd)

    users = subparsers.add_parser("user", help=_("accounts (administrators)"))
    commands = users.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = commands.add_parser("add", help=_("add an account; the user chooses a new password at first sign-in"))
    add.add_argument("login")
    add.add_argument("--name", required=True)
    add.add_argument("--role", default="agent", choices=ROLES)
    add.add_argument("--team")
    add.add_argument("--initial-password-file", metavar="FILE", type=Path,
                     help=_("read the initial password from FILE (or set $COMPLAINT_DESK_NEW_PASSWORD)"))
    add.add_argument("--db-password-file", metavar="FILE", type=Path,
                     help=_("PostgreSQL: read the password of the seat's own database login from FILE (without "
                            "it the login has none and signs in by single sign-on or certificate)"))
    add.add_argument("--json", action="store_true", help=_("print JSON"))
    add.set_defaults(handler=handle_add)
    listing = commands.add_parser("list", help=_("list accounts"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=handle_list)
    role = commands.add_parser("set-role", help=_("change an account's role"))
    role.add_argument("login")
    role.add_argument("role", choices=ROLES)
    role.add_argument("--json", action="store_true", help=_("print JSON"))
    role.set_defaults(handler=handle_set_role)
    team = commands.add_parser("set-team", help=_("set the home team and further teams a supervisor leads"))
    team.add_argument("login")
    team.add_argument("team", help=_("home team (empty text: none)"))
    team.add_argument("--also", action="append", default=[], metavar="TEAM", help=_("a further team (repeatable)"))
    team.add_argument("--json", action="store_true", help=_("print JSON"))
    team.set_defaults(handler=handle_set_team)
    for name, active, text in (("deactivate", False, _("stop an account from signing in")),
                               ("activate", True, _("let a deactivated account sign in again"))):
        toggle = commands.add_parser(name, help=text)
        toggle.add_argument("login")
        toggle.add_argument("--json", action="store_true", help=_("print JSON"))
        toggle.set_defaults(handler=handle_set_active, active=active)
    reset = commands.add_parser("reset-password", help=_("set a temporary password; it must be changed at sign-in"))
    reset.add_argument("login")
    reset.add_argument("--initial-password-file", metavar="FILE", type=Path,
                       help=_("read the temporary password from FILE (or set $COMPLAINT_DESK_NEW_PASSWORD)"))
    reset.add_argument("--db-password-file", metavar="FILE", type=Path,
                       help=_("PostgreSQL: also set the password of the seat's own database login, read from FILE"))
    reset.add_argument("--json", action="store_true", help=_("print JSON"))
    reset.set_defaults(handler=handle_reset)


def _new_password(path: Path | None, prompt: str) -> str:
    """A password being chosen: from a file, $COMPLAINT_DESK_NEW_PASSWORD, or typed twice on a terminal."""
    if path is not None:
        return read_secret_file(path)
    if NEW_PASSWORD_ENV in os.environ:
        return os.environ[NEW_PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise CliError(_("A new password is needed: use the password-file option or set {env}.").format(
            env=NEW_PASSWORD_ENV))
    first = getpass.getpass(prompt)
    if getpass.getpass(_("Type it again: ")) != first:
        raise CliError(_("The two passwords differ; nothing was changed."))
    return first


def handle_setup(args: argparse.Namespace, ctx: CliContext) -> int:
    identity = ctx.store().identity
    if identity.is_set_up():
        raise CliError(_("This store is already set up; an administrator adds further accounts with "
                         "“complaint-desk user add”."))
    password = _new_password(args.new_password_file, _("Password for {login}: ").format(login=args.admin))
    try:
        actor = identity.setup(args.admin, args.display_name or args.admin, password)
    except ServiceError as error:
        raise CliError(str(error)) from None
    ctx.emit({"login": actor.login, "name": actor.display_name, "role": actor.role},
             _("Set up: {login} is the administrator of this store.").format(login=actor.login))
    return 0


def handle_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    identity = ctx.store().identity
    login = ctx.login()
    current = ctx.password(login)
    new = _new_password(args.new_password_file, _("New password for {login}: ").format(login=login))
    try:
        identity.change_password(login, current, new)
    except ServiceError as error:
        raise CliError(str(error)) from None
    ctx.emit({"login": login, "changed": True}, _("Password changed."))
    return 0


def _account_line(payload: dict[str, object]) -> str:
    teams = ", ".join(str(t) for t in [payload.get("team"), *payload.get("other_teams", [])] if t)  # type: ignore[misc]
    flags = []
    if not payload.get("active", True):
        flags.append(_("deactivated"))
    if payload.get("locked_until"):
        flags.append(_("locked until {time}").format(time=payload["locked_until"]))
    if payload.get("must_change_password"):
        flags.append(_("must change password"))
    return "  ".join(str(x) for x in (payload["login"], payload["name"], payload["role"], teams, " ".join(flags)) if x)


def _emit_actor(ctx: CliContext, login: str, text: str) -> int:
    services = ctx.services()
    account = next(a for a in services.users.accounts(services.actor) if a.login == login)
    ctx.emit(account.to_json(), text + "\n" + _account_line(account.to_json()))
    return 0


def _check_db_password_file(args: argparse.Namespace, services: AppServices) -> bool:
    """Whether the store is PostgreSQL; a database password for a SQLite store is refused."""
    postgres = services.engine.dialect.name == "postgresql"
    if args.db_password_file is not None and not postgres:
        raise CliError(_("--db-password-file is for PostgreSQL logins; a SQLite store has no database logins."))
    return postgres


def handle_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.store.pg_roles import GROUPS

    services = ctx.services()
    postgres = _check_db_password_file(args, services)
    password = _new_password(args.initial_password_file, _("Initial password for {login}: ").format(login=args.login))
    db_password = read_secret_file(args.db_password_file) if args.db_password_file is not None else None
    user = services.users.add(services.actor, args.login, args.name, args.role, args.team, password=password,
                              db_password=db_password)
    text = _("Added {login}; they choose their own password at first sign-in.").format(login=user.login)
    if postgres:
        text += "\n" + _("Database login “{login}” created in {group}.").format(login=user.login,
                                                                               group=GROUPS[user.role])
        if db_password is None:
            text += " " + _("It has no database password: the seat signs in to PostgreSQL by single sign-on "
                            "or certificate (pg_hba.conf), or add one with --db-password-file.")
    return _emit_actor(ctx, user.login, text)


def handle_list(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    accounts = [a.to_json() for a in services.users.accounts(services.actor)]
    ctx.emit(accounts, "\n".join(_account_line(a) for a in accounts))
    return 0


def handle_set_role(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    user = services.users.set_role(services.actor, args.login, args.role)
    return _emit_actor(ctx, user.login, _("Role changed."))


def handle_set_team(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    user = services.users.set_teams(services.actor, args.login, args.team, tuple(args.also))
    return _emit_actor(ctx, user.login, _("Teams changed."))


def handle_set_active(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    user = services.users.set_active(services.actor, args.login, args.active)
    return _emit_actor(ctx, user.login, _("Account activated.") if args.active else _("Account deactivated."))


def handle_reset(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    _check_db_password_file(args, services)
    password = _new_password(args.initial_password_file,
                              _("Temporary password for {login}: ").format(login=args.login))
    db_password = read_secret_file(args.db_password_file) if args.db_password_file is not None else None
    user = services.users.reset_password(services.actor, args.login, password, db_password=db_password)
    text = _("Password reset; {login} must choose a new one at the next sign-in.").format(login=user.login)
    if db_password is not None:
        text += "\n" + _("The database password of “{login}” was changed too.").format(login=user.login)
    return _emit_actor(ctx, user.login, text)


def handle_account_audit(args: argparse.Namespace, ctx: CliContext) -> int:
    """``complaint-desk audit accounts``: who changed which account (registered by audit_commands)."""
    services = ctx.services()
    if args.limit < 1:
        raise CliError(_("--limit must be at least 1."))
    records = services.users.audit_log(services.actor, args.limit)
    ctx.emit([r.to_json() for r in records],
             "\n".join(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.actor_login}  {r.action}  {r.target or ''}  {r.host}"
                       for r in records))
    return 0
