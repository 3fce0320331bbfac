"""``complaint-desk site show|set``: settings every seat of a site shares (kept in the database)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desktop.cli.context import CliContext, CliError
from desktop.cli.supervisor_commands import SITE_KEYS as SUPERVISOR_KEYS
from desktop.cli.supervisor_commands import parse_site_value
from desktop.domain.deadlines import DEFAULT_RULES, build_rules
from desktop.i18n import _
from desktop.services.complaints import RULES_CHANGED_NOTE
from desktop.services.errors import ServiceError
from desktop.services.site import SITE_DEFAULTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("site", help=_("settings shared by every seat of the site"))
    commands = parser.add_subparsers(dest="site_command", required=True, metavar="ACTION")
    show = commands.add_parser("show", help=_("show the site's settings and deadline rules"))
    show.add_argument("--json", action="store_true", help=_("print JSON"))
    show.set_defaults(handler=handle_show)
    change = commands.add_parser("set", help=_("change one setting (administrators only)"))
    change.add_argument("key", choices=sorted(SITE_DEFAULTS))
    change.add_argument("value", help=_('text, or for deadline_rules a JSON object such as {"regulator": 7}'))
    change.add_argument("--json", action="store_true", help=_("print JSON"))
    change.set_defaults(handler=handle_set)


def _rules_payload(rules: dict[str, Any]) -> dict[str, Any]:
    built = build_rules(rules)
    return {code: {"kind": str(rule.kind), "amount": rule.amount, "default": DEFAULT_RULES[code].amount}
            for code, rule in built.items()}


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    site = ctx.services().site
    values = {key: site.get(key) for key in SITE_DEFAULTS}
    payload = {**values, "deadline_rules": _rules_payload(values["deadline_rules"])}
    lines = [f"{key}: {value}" for key, value in values.items() if key != "deadline_rules"]
    lines += [_("{rule}: {amount} ({kind}; default {default})").format(rule=code, **rule)
              for code, rule in payload["deadline_rules"].items()]
    ctx.emit(payload, "\n".join(lines))
    return 0


def _parse_value(key: str, raw: str) -> Any:
    if key == "law_learning":
        switch = raw.strip().lower()
        if switch not in ("on", "off", "true", "false", "1", "0"):
            raise CliError(_("law_learning takes on or off."))
        return switch in ("on", "true", "1")
    if key == "idle_lock_minutes":
        try:
            return int(raw.strip())
        except ValueError:
            raise CliError(_("idle_lock_minutes takes a whole number of minutes, e.g. 10.")) from None
    if key in SUPERVISOR_KEYS:
        return parse_site_value(key, raw)
    if key != "deadline_rules":
        text = raw.strip()
        if not text and key != "site_address":
            raise CliError(_("{key} cannot be empty.").format(key=key))
        return text
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise CliError(_('deadline_rules takes a JSON object, e.g. {"regulator": 7}.')) from None
    if not isinstance(value, dict):
        raise CliError(_('deadline_rules takes a JSON object, e.g. {"regulator": 7}.'))
    try:
        build_rules(value)  # refuses unknown rules, non-numbers and periods longer than the law allows
    except ValueError as error:
        raise CliError(str(error)) from None
    return value


def handle_set(args: argparse.Namespace, ctx: CliContext) -> int:
    services = ctx.services()
    value = _parse_value(args.key, args.value)
    try:
        services.site.set(services.actor, args.key, value)
    except ServiceError as error:
        raise CliError(str(error)) from None
    payload: dict[str, Any] = {"key": args.key, "value": value}
    text = _("{key} saved.").format(key=args.key)
    if args.key == "deadline_rules":
        services.reload_clock()
        changed = services.complaints.recompute_deadlines(services.actor, note=RULES_CHANGED_NOTE)
        payload["recomputed"] = changed
        text += " " + _("{count} open complaint deadline(s) changed.").format(count=changed)
    ctx.emit(payload, text)
    return 0
