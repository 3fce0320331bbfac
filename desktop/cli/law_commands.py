"""``complaint-desk law``: search, suggest, show, validate and import statute packs."""

from __future__ import annotations

import argparse
import statistics
import time
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

    evaluate = commands.add_parser(
        "evaluate", help=_("measure the suggestions on a file of complaint notes and expected articles"))
    evaluate.add_argument("path", type=Path, help=_("tab-separated file: description, category, expected"))
    evaluate.add_argument("--limit", type=int, default=5, help=_("suggestions per note"))
    evaluate.add_argument("--site", action="store_true",
                          help=_("include what similar cases at this site cited (opens the store)"))
    _common(evaluate, with_limit=False)
    evaluate.set_defaults(handler=handle_evaluate)

    importer = commands.add_parser("import", help=_("import a newer signed statute pack (administrators only)"))
    importer.add_argument("path", type=Path, help=_("folder holding pack.json"))
    importer.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    importer.set_defaults(handler=handle_import)

    signer = commands.add_parser("sign-pack", help=_("sign a site's statute pack with the site CA "
                                                      "(administrators only)"))
    signer.add_argument("path", type=Path, help=_("folder holding pack.json"))
    signer.add_argument("--ca-passphrase-file", type=Path, metavar="FILE",
                        help=_("read the site CA's passphrase from this file"))
    signer.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    signer.set_defaults(handler=handle_sign_pack)


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
    import sys

    from desktop.law.store import active_pack_report

    try:
        if args.pack:
            return load_pack(args.pack)
        shared = _shared_pack(ctx)
        if shared is not None:
            return shared
        pack, refused = active_pack_report()
        for message in refused:  # the previous pack is used; say why the newer one is not
            sys.stderr.write(message + "\n")
        return pack
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


def _shared_pack(ctx: CliContext) -> LawPack | None:
    """The pack every seat uses, when a database is named (``--db`` or ``COMPLAINT_DESK_DB``) and holds
    one. Statutes are public: reading them needs no sign-in. ``None``: use this PC's packs."""
    import os

    from sqlalchemy.exc import SQLAlchemyError

    from desktop.services.app import Store
    from desktop.services.errors import ServiceError
    from desktop.services.shared_state import newest_pack
    from desktop.store.db import DB_ENV_VAR, DatabaseUrlError

    if not (ctx.db_url or os.environ.get(DB_ENV_VAR)):
        return None
    try:
        store = Store.open(ctx.db_url)
    except (SQLAlchemyError, ServiceError, DatabaseUrlError):
        return None  # unreachable: the statutes on this PC still answer
    try:
        return newest_pack(store.sessions)
    finally:
        store.close()


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


def find_article(pack: LawPack, statute_name: str, article_text: str) -> tuple[Statute, int]:
    """The statute named ``statute_name`` and the number of its article ``article_text`` (第三十九条,
    三十九 or 39), or one ``CliError`` line saying which is missing."""
    from desktop.law.numerals import from_chinese

    try:
        statute = pack.find_statute(statute_name)
    except KeyError:
        message = _("No statute called {name} in the law pack").format(name=statute_name)
        if "电信法" in statute_name:
            message += " " + _("China has no 电信法 (Telecommunications Law); cite 电信条例.")
        raise CliError(message) from None
    raw_number = article_text.strip().removeprefix("第").removesuffix("条")
    try:
        number = from_chinese(raw_number)
    except ValueError:
        raise CliError(_("{value} is not an article number").format(value=article_text)) from None
    if not statute.has_article(number):
        raise CliError(
            _("{statute} has no article {number} in this pack").format(
                statute=statute.title, number=number
            )
        )
    return statute, number


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    statute, number = find_article(_pack(args, ctx), args.statute, args.article)
    article = statute.article(number)
    text = f"《{statute.title}》{article.label}  {_flag(statute)}\n{article.text}"
    ctx.emit(article_payload(statute, article), text)
    return 0


def handle_validate(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.law.loader import verify_pack

    try:
        pack, signer = verify_pack(args.path)
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
            "signer": signer.kind if signer else None,
            "signer_name": signer.name if signer else None,
        },
        _("Valid pack {version}: {statutes} statutes, {articles} articles").format(
            version=pack.pack_version, statutes=len(pack.statutes), articles=articles
        )
        + "\n"
        + _("Signed by: {signer}").format(signer=signer.name if signer else "—"),
    )
    return 0


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.errors import ServiceError
    from desktop.services.law_packs import import_site_pack

    services = ctx.services()
    try:
        pack, diff = import_site_pack(services.keys, services.actor, args.path)
    except ServiceError as error:
        raise CliError(str(error)) from None
    try:
        services.share_law_pack(args.path)  # stored in the database: every seat's next operation uses it
    except (ServiceError, PackValidationError) as error:
        raise CliError(str(error)) from None
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


def handle_evaluate(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.law.evaluate import EvaluationFileError, evaluate, read_cases, summary

    pack = _pack(args, ctx)
    index = LawIndex(pack)
    try:
        cases = read_cases(args.path, pack)
    except OSError as error:
        raise CliError(_("Cannot read {path}: {reason}").format(path=args.path, reason=error.strerror)) from None
    except EvaluationFileError as error:
        raise CliError(str(error)) from None

    learning = ctx.services().law_learning if args.site else None
    index.suggest("", None)  # build the ranker (segmenter, BM25) before the clock starts
    timings: list[float] = []

    def suggest(text: str, category: str | None) -> list[tuple[str, int]]:
        started = time.perf_counter()
        site = learning.evidence(text, category) if learning is not None else None
        found = index.suggest(text, category, limit=args.limit, site=site)
        timings.append((time.perf_counter() - started) * 1000)
        return [(s.statute.key, s.article.number) for s in found]

    result = summary(evaluate(cases, suggest))
    result["median_ms"] = round(statistics.median(timings), 2)
    result["site_evidence"] = learning is not None
    lines = [_("{cases} cases: top-1 {top1:.1%}, top-3 {top3:.1%}, top-5 {top5:.1%}").format(
        cases=result["cases"], top1=result["top1"]["rate"], top3=result["top3"]["rate"],
        top5=result["top5"]["rate"]) + f"  ({result['median_ms']} ms)"]
    for category, figures in result["by_category"].items():
        lines.append(f"  {category or '-':<14} {figures['cases']:>3}  top-1 {figures['top1']['rate']:.0%}  "
                     f"top-5 {figures['top5']['rate']:.0%}")
    short = {statute.key: statute.display_name for statute in pack.statutes}

    def readable(refs: list[str]) -> str:
        return "、".join(f"{short.get(key, key)}{number}" for key, number in (r.rsplit(" ", 1) for r in refs)) or "—"

    for miss in result["misses"]:
        lines.append(_("miss {id}: expected {expected}; got {returned}").format(
            id=miss["id"], expected=readable(miss["expected"]), returned=readable(miss["returned"])))
    ctx.emit(result, "\n".join(lines))
    return 0


def handle_sign_pack(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.cli.letter_commands import read_passphrase
    from desktop.services.errors import ServiceError
    from desktop.services.law_packs import sign_site_pack
    from desktop.services.permissions import require

    services = ctx.services()
    try:
        require(services.actor, "lawpack.import")  # before asking for the passphrase
        passphrase = read_passphrase(args.ca_passphrase_file)
        pack, signer = sign_site_pack(services.keys, services.actor, args.path, passphrase)
    except ServiceError as error:
        raise CliError(str(error)) from None
    ctx.emit({"pack_version": pack.pack_version, "signer": signer.name, "fingerprint": signer.fingerprint},
             _("Signed the law pack {version} with {signer}.").format(version=pack.pack_version,
                                                                      signer=signer.name))
    return 0
