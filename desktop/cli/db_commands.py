"""``complaint-desk db grant-setup``: least-privilege roles on an existing PostgreSQL server."""

from __future__ import annotations

import argparse

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = subparsers.add_parser("db", help=_("database administration (PostgreSQL roles)"))
    commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    setup = commands.add_parser(
        "grant-setup", help=_("create the agent/supervisor/admin group roles and their grants (run as the "
                              "schema owner with CREATEROLE, or a superuser)"))
    setup.add_argument("--json", action="store_true", help=_("print JSON"))
    setup.set_defaults(handler=handle_grant_setup)
    imports = commands.add_parser(
        "imports", help=_("finish imports cut off part-way (done at every open too) and list any still running"))
    imports.add_argument("--json", action="store_true", help=_("print JSON"))
    imports.set_defaults(handler=handle_imports)


def handle_imports(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.import_journal import pending_imports

    services = ctx.services()  # opening the store finishes or discards what dead imports left
    recovered = ctx.store().recovered_imports
    pending = pending_imports(services.sessions)
    lines = [_("{file}: completed ({rows} complaints), it had been cut off while adding them.").format(
                 file=r.file_name, rows=r.rows) if r.outcome == "published"
             else _("{file}: discarded, it had been cut off before any complaint was added.").format(file=r.file_name)
             for r in recovered]
    lines += [_("{file}: still running on {host} ({state}, {published} of {rows}).").format(
                  file=job.file_name, host=job.host, state=job.state, published=job.published, rows=job.row_count)
              for job in pending]
    ctx.emit({"recovered": [r.__dict__ for r in recovered],
              "running": [{"id": job.id, "file": job.file_name, "state": job.state, "host": job.host,
                           "pid": job.pid, "published": job.published, "rows": job.row_count} for job in pending]},
             "\n".join(lines) or _("No import was cut off; none is running."))
    return 0


def handle_grant_setup(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy.exc import DBAPIError

    from desktop.store import pg_roles
    from desktop.store.db import create_db_engine, resolve_url
    from desktop.store.migrate import upgrade_to_head

    engine = create_db_engine(resolve_url(ctx.db_url))
    try:
        if engine.dialect.name != "postgresql":
            raise CliError(_("Database roles exist only on PostgreSQL; a SQLite store is one person's file."))
        try:
            upgrade_to_head(engine)
            with engine.begin() as connection:
                if not pg_roles.can_create_roles(connection):
                    raise CliError(_("Connect as the schema owner with CREATEROLE (or a superuser) to set up "
                                     "roles."))
                done = pg_roles.apply_grants(connection)
        except DBAPIError as error:
            raise CliError(_("The server refused: {error}").format(error=str(error.orig).strip())) from error
    finally:
        engine.dispose()
    ctx.emit({"done": done, "groups": list(pg_roles.GROUPS.values())},
             _("Group roles and grants are set up: {groups}.").format(groups=", ".join(pg_roles.GROUPS.values())))
    return 0
