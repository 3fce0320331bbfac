"""``complaint-desk law``: search, suggest, show, validate and import statute packs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.context import CliContext, CliError
from desktop.domain.codes import Category
from desktop.i18n import _
from desktop.law import (
    Article,
    Grade,
    LawIndex,
    LawPack,
    PackValidationError,
    Statute,
    grade_label,
    import_pack,
    load_active_pack,
    load_pack,
    status_label,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    law = subparsers.add_parser(
        "law", help=_("law quick-reference: search statutes and suggest articles")
    )
    commands = law.add_subparsers(dest="law_command", required=True, metavar="SUBCOMMAND")

    search = commands.add_parser("search", help=_("search articles by reference, text or keyword"))
    search.add_argument("query", help=_("for example: 电信条例 34, 消保法55, 巨额费用"))
    _common(search)
    search.set_defaults(handler=handle_search)

    suggest = commands.add_parser("suggest", help=_("suggest articles for a complaint description"))
    suggest.add_argument("--text", required=True, help=_("the complaint description"))
    suggest.add_argument(
        "--category", choices=[c.value for c in Category], help=_("complaint category code")
    )
    _common(suggest, default_limit=5)
    suggest.set_defaults(handler=handle_suggest)

    show = commands.add_parser("show", help=_("print one article"))
    show.add_argument("statute", help=_("full title or short name, e.g. 电信条例"))
    show.add_argument("article", help=_("article number: 39 or 第三十九条"))
    _common(show, with_limit=False)
    show.set_defaults(handler=handle_show)

    validate = commands.add_parser("validate", help=_("validate a statute pack folder"))
    validate.add_argument("path", type=Path, help=_("folder holding pack.json"))
    validate.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    validate.set_defaults(handler=handle_validate)

    importer = commands.add_parser("import", help=_("import a newer statute pack (supervisor)"))
    importer.add_argument("path", type=Path, help=_("folder holding pack.json"))
    importer.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)


def _common(
    parser: argparse.ArgumentParser, *, with_limit: bool = True, default_limit: int = 20
) -> None:
    parser.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    parser.add_argument(
        "--pack", type=Path, help=_("use the pack in this folder instead of the installed one")
    )
    if with_limit:
        parser.add_argument(
            "--limit", type=int, default=default_limit, help=_("maximum number of results")
        )


def _pack(args: argparse.Namespace, ctx: CliContext) -> LawPack:
    try:
        return load_pack(args.pack) if args.pack else _shared_pack(ctx)
    except PackValidationError as error:
        raise CliError(
            _("The law pack is invalid: {problems}").format(problems="; ".join(error.problems))
        ) from None


def article_payload(statute: Statute, article: Article) -> dict[str, Any]:
    return {
        "statute": statute.title,
        "statute_key": statute.key,
        "short_name": statute.display_name,
        "article": article.number,
        "label": article.label,
        "text": article.text,
        "paragraphs": list(article.paragraphs),
        "status": statute.status.value,
        "grade": statute.grade.value,
        "verbatim": article.verbatim,
        "version_date": statute.version_date,
    }


def _flag(statute: Statute) -> str:
    flag = f"[{status_label(statute.status)} | {grade_label(statute.grade)}]"
    return ("⚠ " + flag) if statute.grade is Grade.SECONDARY else flag


def _result_lines(results: list[Any]) -> str:
    if not results:
        return _("No matching articles.")
    lines = []
    for rank, result in enumerate(results, start=1):
        first_line = result.article.text.split("\n", 1)[0]
        lines.append(
            f"{rank}. {result.statute.display_name} {result.article.label} "
            f"({result.score:.2f}) {_flag(result.statute)}"
        )
        lines.append(f"   {first_line[:80]}")
        if result.reasons:
            lines.append("   " + "；".join(result.reasons))
    return "\n".join(lines)


def _results_payload(results: list[Any]) -> list[dict[str, Any]]:
    payload = []
    for result in results:
        entry = article_payload(result.statute, result.article)
        entry.update(
            {
                "score": round(result.score, 4),
                "reasons": result.reasons,
                "highlights": result.highlights,
            }
        )
        payload.append(entry)
    return payload


def _shared_pack(ctx: CliContext) -> LawPack:
    """The pack every seat uses (stored in the database); this PC's own packs when the store is unreachable."""
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.services.errors import ServiceError
    from desktop.store.db import DatabaseUrlError

    try:
        return ctx.services().law_pack
    except (SQLAlchemyError, ServiceError, DatabaseUrlError):
        return load_active_pack()


def handle_search(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.query.strip():
        raise CliError(_("Enter a search query."))
    results = LawIndex(_pack(args, ctx)).search(args.query, limit=args.limit)
    ctx.emit(_results_payload(results), _result_lines(results))
    return 0


def handle_suggest(args: argparse.Namespace, ctx: CliContext) -> int:
    if not args.text.strip():
        raise CliError(_("Enter a complaint description."))
    results = LawIndex(_pack(args, ctx)).suggest(args.text, args.category, limit=args.limit)
    ctx.emit(_results_payload(results), _result_lines(results))
    return 0


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.law.numerals import from_chinese

    pack = _pack(args, ctx)
    try:
        statute = pack.find_statute(args.statute)
    except KeyError:
        message = _("No statute called {name} in the law pack").format(name=args.statute)
        if "电信法" in args.statute:
            message += " " + _("China has no 电信法 (Telecommunications Law); cite 电信条例.")
        raise CliError(message) from None
    raw_number = args.article.strip().removeprefix("第").removesuffix("条")
    try:
        number = from_chinese(raw_number)
    except ValueError:
        raise CliError(_("{value} is not an article number").format(value=args.article)) from None
    if not statute.has_article(number):
        raise CliError(
            _("{statute} has no article {number} in this pack").format(
                statute=statute.title, number=number
            )
        )
    article = statute.article(number)
    text = f"《{statute.title}》{article.label}  {_flag(statute)}\n{article.text}"
    ctx.emit(article_payload(statute, article), text)
    return 0


def handle_validate(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        pack = load_pack(args.path)
    except PackValidationError as error:
        ctx.emit(
            {"valid": False, "problems": error.problems},
            _("Invalid pack:") + "\n" + "\n".join(error.problems),
        )
        return 1
    articles = sum(len(s.articles) for s in pack.statutes)
    ctx.emit(
        {
            "valid": True,
            "pack_version": pack.pack_version,
            "statutes": len(pack.statutes),
            "articles": articles,
        },
        _("Valid pack {version}: {statutes} statutes, {articles} articles").format(
            version=pack.pack_version, statutes=len(pack.statutes), articles=articles
        ),
    )
    return 0


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import PermissionDeniedError
    from desktop.services.users import require_supervisor

    try:
        require_supervisor(ctx.services().actor)
    except PermissionDeniedError as error:
        raise CliError(str(error)) from None
    try:
        pack, diff = import_pack(args.path)
        ctx.services().share_law_pack(args.path)  # stored in the database: every seat uses it
    except PackValidationError as error:
        raise CliError(
            _("The law pack is invalid: {problems}").format(problems="; ".join(error.problems))
        ) from None
    payload = {
        "pack_version": pack.pack_version,
        "previous_version": diff.old_version,
        "added": [(c.statute_key, c.article) for c in diff.added],
        "removed": [(c.statute_key, c.article) for c in diff.removed],
        "changed": [(c.statute_key, c.article) for c in diff.changed],
    }
    text = _(
        "Imported pack {version}: {added} added, {removed} removed, {changed} changed articles"
    ).format(
        version=pack.pack_version,
        added=len(diff.added),
        removed=len(diff.removed),
        changed=len(diff.changed),
    )
    ctx.emit(payload, text)
    return 0
