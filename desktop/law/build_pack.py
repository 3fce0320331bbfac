"""Generate the bundled statute pack from the official texts.

Usage::

    python -m desktop.law.build_pack /path/to/law-sources [--out DIR] [--pack-version YYYY-MM-DD]

Reads the hand-written ``catalog.json`` (metadata, secondary entries) from the
output folder, parses each source file, and writes ``statutes/<key>.json`` plus
the ``pack.json`` manifest with SHA-256 checksums. The hand-written
``guidance.json`` and ``cases.json`` are left untouched and only checksummed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.law.sources import parse_source
from desktop.law.structure import article_record

FORMAT_VERSION = 1
HAND_WRITTEN_FILES = ("guidance.json", "cases.json")
_STATUTE_FIELDS = (
    "key", "title", "short_names", "issuer", "doc_number", "doc_number_verified", "dates",
    "version_date", "status", "grade", "source", "notes",
)  # fmt: skip


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_statute(entry: dict[str, Any], sources_dir: Path) -> dict[str, Any]:
    record: dict[str, Any] = {"format_version": FORMAT_VERSION}
    record.update({name: entry[name] for name in _STATUTE_FIELDS})
    record["excerpt"] = bool(entry.get("excerpt", False))
    if "source_file" in entry:
        parsed = parse_source(sources_dir / entry["source_file"])
        record["articles"] = [
            article_record(article.number, article.lines, article.chapter)
            for article in parsed.articles
        ]
        record["appendix"] = parsed.appendix
    else:
        record["articles"] = [
            article_record(
                article["number"], article["lines"], article.get("chapter", ""), verbatim=False
            )
            for article in entry.get("articles", [])
        ]
        record["appendix"] = ""
    return record


def write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build_pack(sources_dir: Path, out_dir: Path, pack_version: str) -> Path:
    catalog = json.loads((out_dir / "catalog.json").read_text(encoding="utf-8"))
    files: dict[str, str] = {}
    statute_keys: list[str] = []
    for entry in catalog["statutes"]:
        relative = f"statutes/{entry['key']}.json"
        write_json(out_dir / relative, build_statute(entry, sources_dir))
        files[relative] = sha256_of(out_dir / relative)
        statute_keys.append(entry["key"])
    for name in HAND_WRITTEN_FILES:
        if (out_dir / name).exists():
            files[name] = sha256_of(out_dir / name)
    manifest = {
        "format_version": FORMAT_VERSION,
        "pack_version": pack_version,
        "statutes": statute_keys,
        "guidance": "guidance.json",
        "cases": "cases.json",
        "checksums": {"algorithm": "sha256", "files": files},
    }
    write_json(out_dir / "pack.json", manifest)
    return out_dir / "pack.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.law.build_pack", description=__doc__)
    parser.add_argument("sources", type=Path, help="folder holding the law-sources *.txt files")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[2] / "resources" / "law"
    )
    parser.add_argument("--pack-version", default=dt.date.today().isoformat())
    args = parser.parse_args(argv)
    manifest = build_pack(args.sources, args.out, args.pack_version)
    sys.stdout.write(f"wrote {manifest}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
