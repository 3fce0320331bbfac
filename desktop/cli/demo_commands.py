"""``complaint-desk demo-data`` and ``complaint-desk bench``."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from desktop.cli.context import CliContext, CliError
from desktop.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = subparsers.add_parser("demo-data", help=_("add realistic demo complaints"))
    demo.add_argument("--count", type=int, required=True)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--json", action="store_true", help=_("print JSON"))
    demo.set_defaults(handler=handle_demo)

    bench = subparsers.add_parser("bench", help=_("measure the store against plain sqlite3"))
    bench.add_argument("--rows", type=int, default=100_000)
    bench.add_argument("--repeat", type=int, default=30, help=_("runs per figure (the median is reported)"))
    bench.add_argument("--export", action="store_true",
                       help=_("also export every complaint as CSV and XLSX (time, size, peak memory; slow)"))
    bench.add_argument("--import-rows", type=int, default=0, metavar="N",
                       help=_("also import N new demo complaints from a CSV file (time, longest write; kept)"))
    bench.add_argument("--json", action="store_true", help=_("print JSON"))
    bench.set_defaults(handler=handle_bench)


def _progress(total: int) -> object:
    started = time.perf_counter()

    def report(done: int) -> None:
        if sys.stderr.isatty() or done == total or done % 100_000 == 0:
            rate = done / max(time.perf_counter() - started, 1e-9)
            sys.stderr.write(f"\r{done}/{total} ({rate:,.0f}/s)")
            if done == total:
                sys.stderr.write("\n")

    return report


def handle_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.demo import generate
    from desktop.store.maintenance import analyze

    if args.count < 1:
        raise CliError(_("--count must be at least 1."))
    from desktop.services.permissions import require

    services = ctx.services()
    require(services.actor, "demo.generate")  # bulk rows bypass the case services
    started = time.perf_counter()
    added = generate(services.sessions, services.complaints, services.actor, args.count,
                     seed=args.seed, progress=_progress(args.count))  # type: ignore[arg-type]
    analyze(services.engine)  # a bulk change: the planner's statistics are taken again at once
    seconds = time.perf_counter() - started
    ctx.emit({"added": added, "seconds": round(seconds, 1), "total": services.complaints.count()},
             _("Added {count} demo complaints in {seconds:.1f} s.").format(count=added, seconds=seconds))
    return 0


def handle_bench(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.services.bench import run_bench

    if args.rows < 1:
        raise CliError(_("--rows must be at least 1."))
    if args.import_rows < 0:
        raise CliError(_("--import-rows cannot be negative."))
    url = ctx.db_url or f"sqlite:///{Path('bench-data').resolve().as_posix()}/bench-{args.rows}.sqlite3"
    if not url.startswith(("sqlite:///", "postgresql")):
        raise CliError(_("The benchmark runs on a SQLite file or a PostgreSQL database."))
    with tempfile.TemporaryDirectory(prefix="complaint-desk-bench-") as folder:
        result = run_bench(url, args.rows, repeat=args.repeat, progress=_progress(args.rows),  # type: ignore[arg-type]
                           export_to=Path(folder) if args.export else None, import_rows=args.import_rows)
    lines = [f"{result['dialect']}, rows: {result['rows']}, peak RSS {result['peak_rss_mb']} MB",
             *(f"maintenance: {step}" for step in result["maintenance"])]
    for figure in result["figures"]:
        raw = "" if figure["raw_ms"] is None else f"   raw {figure['raw_ms']:9.3f} ms   ratio {figure['ratio']:.2f}"
        flag = "" if figure["within_target"] in (None, True) else "   OVER TARGET"
        lines.append(f"{figure['name']:<26} app {figure['app_ms']:9.3f} ms{raw}{flag}")
        if "file_mb" in figure:  # an export: how big, and what it cost in memory
            lines.append(f"{'':<26} {figure['rows']} rows, {figure['file_mb']} MB, "
                         f"RSS {figure['rss_before_mb']} MB before, peak {figure['peak_rss_mb']} MB")
    ctx.emit(result, "\n".join(lines))
    return 0
