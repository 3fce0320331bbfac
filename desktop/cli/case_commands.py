"""``complaint update|link|cite``: what the desk does to an open case, from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _
from desktop.services.complaints import INTAKE_FIELDS

# ``--set`` keys: the intake fields and the work fields the case view edits; ``agent`` takes a login.
WORK_KEYS = ("investigation_notes", "resolution", "compensation", "followup_comment", "agent")
SET_KEYS = (*INTAKE_FIELDS, *WORK_KEYS)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    update = commands.add_parser("update", help=_("edit a complaint (same checks as the desk)"))
    update.add_argument("number")
    update.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", dest="assignments",
                        help=_("e.g. investigation_notes=…, resolution=…, compensation=20, agent=LOGIN; "
                               "an empty value clears an optional field"))
    update.add_argument("--expected-version", type=int, metavar="V",
                        help=_("refuse if the case is no longer at this version (as the desk does)"))
    update.add_argument("--json", action="store_true", help=_("print JSON"))
    update.set_defaults(handler=handle_update)

    link = commands.add_parser("link", help=_("link an earlier complaint from the same number"))
    link.add_argument("number")
    link.add_argument("earlier")
    link.add_argument("--json", action="store_true", help=_("print JSON"))
    link.set_defaults(handler=handle_link)

    cite = commands.add_parser("cite", help=_("cite a statute article on a complaint"))
    cite.add_argument("number")
    cite.add_argument("statute", help=_("statute name, e.g. 电信条例"))
    cite.add_argument("article", help=_("article number, e.g. 34 or 第三十四条"))
    cite.add_argument("--paragraph", type=int)
    cite.add_argument("--confirm", action="store_true", help=_("confirm the wording of a secondary-source text"))
    cite.add_argument("--json", action="store_true", help=_("print JSON"))
    cite.set_defaults(handler=handle_cite)


def parse_assignments(pairs: list[str], allowed: tuple[str, ...], option: str) -> dict[str, str]:
    """``KEY=VALUE`` pairs; an unknown or repeated key is refused by name."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise CliError(_("{option} takes KEY=VALUE, got “{value}”.").format(option=option, value=pair))
        if not allowed:
            raise CliError(_("{option}: this step takes no details (got “{key}”); edit the case with "
                             "“complaint update NUMBER --set FIELD=VALUE”.").format(option=option, key=key))
        if key not in allowed:
            raise CliError(_("{option}: unknown field “{key}”; choose from: {allowed}.").format(
                option=option, key=key, allowed=", ".join(allowed)))
        if key in result:
            raise CliError(_("{option}: the field “{key}” is given twice.").format(option=option, key=key))
        result[key] = value
    return result


def _agent_id(ctx: CliContext, name: str) -> int | None:
    if not name.strip():
        return None
    from sqlalchemy import or_, select

    from desktop.store.models import User

    wanted = name.strip()
    # Only a name to an id here; whether the hand-over is allowed is the service's call.
    with ctx.services().sessions() as session:
        found = session.execute(select(User.id).where(or_(User.login == wanted, User.display_name == wanted))
                                .order_by(User.id)).scalars().first()
    if found is not None:
        return int(found)
    raise CliError(_("No user “{name}”; see “complaint-desk user list”.").format(name=name))


def handle_update(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.complaint_commands import emit_record

    assignments = parse_assignments(args.assignments, SET_KEYS, "--set")
    if not assignments:
        raise CliError(_("Nothing to change: give at least one --set FIELD=VALUE."))
    changes: dict[str, Any] = {k: (v if v != "" else None) for k, v in assignments.items() if k != "agent"}
    if "agent" in assignments:
        changes["assigned_agent_id"] = _agent_id(ctx, assignments["agent"])
    services = ctx.services()
    version = args.expected_version
    if version is None:
        version = services.complaints.get(args.number).version
    record = services.complaints.update(services.actor, args.number, changes, expected_version=version)
    emit_record(ctx, record)
    return 0


def handle_link(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.complaint_commands import emit_record

    services = ctx.services()
    services.complaints.link(services.actor, args.number, args.earlier)
    emit_record(ctx, services.complaints.get(args.number))
    return 0


def handle_cite(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.law_commands import find_article
    from desktop.law.citation import Citation

    services = ctx.services()
    # The pack every seat uses (stored in the database when an administrator imported one), the
    # same one the citation service stamps its version from: never this PC's own folder.
    statute, number = find_article(services.law_pack, args.statute, args.article)
    article = statute.article(number)
    if args.paragraph is not None and not 1 <= args.paragraph <= len(article.paragraphs):
        raise CliError(_("Article {number} has no paragraph {paragraph}.").format(number=number,
                                                                                 paragraph=args.paragraph))
    stored = services.citations.add(services.actor, args.number, Citation.of(statute, article, args.paragraph),
                                    confirmed=args.confirm)
    ctx.emit({"number": args.number, "citation": stored.citation.format()}, stored.citation.format())
    return 0
