"""``complaint-desk complaint uncite NUMBER REF``: take a wrongly attached citation off a case."""

from __future__ import annotations

import argparse

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _
from desktop.services.errors import ServiceError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    uncite = commands.add_parser("uncite", help=_("remove a citation from a case (kept in its history)"))
    uncite.add_argument("number")
    uncite.add_argument("ref", help=_("the citation's id or its text as shown, e.g. 《电信条例》第三十一条"))
    uncite.add_argument("--json", action="store_true", help=_("print JSON"))
    uncite.set_defaults(handler=handle_uncite)


def handle_uncite(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    try:
        removed = services.citations.remove(services.actor, args.number, args.ref)
    except ServiceError as error:
        raise CliError(str(error)) from None
    payload = {"number": args.number, "removed": removed.citation.format(), "id": removed.id}
    ctx.emit(payload, _("Removed {citation} from {number}.").format(citation=removed.citation.format(),
                                                                    number=args.number))
    return 0
