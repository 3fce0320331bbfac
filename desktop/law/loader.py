"""Read and validate a statute pack folder (``pack.json`` + statute files)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.domain.codes import Category
from desktop.domain.work_limit import WorkDeadline
from desktop.i18n import _
from desktop.law.model import (
    Article,
    CaseExample,
    CaseReference,
    Grade,
    Guidance,
    Item,
    LawPack,
    Statute,
    StatuteDates,
    StatuteStatus,
)
from desktop.law.signing import (
    MANIFEST_FILE,
    OPTIONAL_FILES,
    SIGNATURE_FILE,
    PackSignatureError,
    PackSigner,
    check_pack_files,
    expected_files,
    read_manifest_bytes,
    verify_pack_signature,
)
from desktop.paths import resource_path

if TYPE_CHECKING:
    from cryptography import x509

SUPPORTED_FORMAT_VERSIONS = (1,)


class PackValidationError(ValueError):
    """The pack is unusable; ``problems`` lists every reason, translated."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def bundled_pack_dir() -> Path:
    return resource_path("law")


MAX_PACK_FILE_BYTES = 32 * 1024 * 1024  # the largest statute file is well under 1 MB


def _read_json(path: Path, problems: list[str]) -> Any:
    try:
        if path.stat().st_size > MAX_PACK_FILE_BYTES:
            problems.append(_("{path} is larger than {limit} MB").format(
                path=path.name, limit=MAX_PACK_FILE_BYTES // 2**20))
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(_("Missing file: {path}").format(path=path.name))
    except RecursionError:
        problems.append(_("{path} is nested too deeply to be read").format(path=path.name))
    except (OSError, ValueError) as error:
        problems.append(
            _("{path} is not valid UTF-8 JSON: {error}").format(path=path.name, error=error)
        )
    return None


def _check_date(value: Any, where: str, problems: list[str]) -> None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(
            _("{where}: {value!r} is not a date (YYYY-MM-DD)").format(where=where, value=value)
        )


def _check_checksums(folder: Path, manifest: dict[str, Any], expected_names: set[str],
                     problems: list[str], check: Callable[[], None]) -> None:
    checksums = manifest.get("checksums", {})
    files = checksums.get("files", {}) if isinstance(checksums, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        problems.append(_("pack.json: “checksums” must map file names to SHA-256 digests"))
        return
    # The signature covers pack.json only: every file the loader reads must be checksummed in it.
    unchecked = sorted(expected_names - set(files) - {MANIFEST_FILE, SIGNATURE_FILE, *OPTIONAL_FILES})
    if unchecked:
        problems.append(_("pack.json has no checksum for: {names}").format(names=", ".join(unchecked)))
    for relative, expected in files.items():
        check()
        if relative not in expected_names or relative in (MANIFEST_FILE, SIGNATURE_FILE):
            problems.append(_("pack.json lists a checksum for an unexpected file: {path}").format(path=relative))
            continue
        path = folder / relative
        if not path.resolve().is_relative_to(folder.resolve()):
            problems.append(_("pack.json names a file outside the pack: {path}").format(path=relative))
            continue
        if not path.is_file():
            problems.append(_("Missing file: {path}").format(path=relative))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            problems.append(
                _(
                    "Checksum mismatch for {path}: the file was changed after the pack was built"
                ).format(path=relative)
            )


def _build_article(key: str, record: dict[str, Any], guidance: Guidance | None) -> Article:
    items = tuple(Item(i["paragraph"], i["number"], i["text"]) for i in record.get("items", []))
    return Article(
        statute_key=key,
        number=int(record["number"]),
        text=record["text"],
        paragraphs=tuple(record["paragraphs"]),
        items=items,
        chapter=record.get("chapter", ""),
        verbatim=bool(record.get("verbatim", True)),
        guidance=guidance,
    )


def _check_articles(key: str, record: dict[str, Any], problems: list[str]) -> None:
    articles = record.get("articles", [])
    numbers = [a.get("number") for a in articles]
    seen: set[int] = set()
    for number in numbers:
        if number in seen:
            problems.append(
                _("{statute}: article {number} appears twice").format(statute=key, number=number)
            )
        seen.add(number)
    if numbers != sorted(numbers):
        problems.append(_("{statute}: articles are out of order").format(statute=key))
    grade = record.get("grade")
    if grade == Grade.VERIFIED and not articles:
        problems.append(
            _("{statute}: a verified statute must hold its articles").format(statute=key)
        )
    if grade != Grade.SECONDARY and not record.get("excerpt") and numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - seen)
        if missing:
            problems.append(
                _("{statute}: articles missing: {numbers}").format(
                    statute=key, numbers=", ".join(map(str, missing))
                )
            )
    for article in articles:
        lines = article.get("text", "").split("\n")
        structured = list(article.get("paragraphs", [])) + [
            i["text"] for i in article.get("items", [])
        ]
        if not article.get("text") or sorted(lines) != sorted(structured):
            problems.append(
                _(
                    "{statute}: article {number} text does not match its paragraphs and items"
                ).format(statute=key, number=article.get("number"))
            )
        if (grade == Grade.SECONDARY) == bool(article.get("verbatim", True)):
            problems.append(
                _("{statute}: article {number} verbatim flag contradicts the grade").format(
                    statute=key, number=article.get("number")
                )
            )


def _check_statute(key: str, record: dict[str, Any], problems: list[str]) -> None:
    required = (
        "key",
        "title",
        "short_names",
        "issuer",
        "doc_number",
        "dates",
        "version_date",
        "status",
        "grade",
        "source",
    )
    for name in required:
        if name not in record:
            problems.append(
                _("{statute}: field {field} is missing").format(statute=key, field=name)
            )
    if record.get("key") != key:
        problems.append(_("{statute}: the file names a different key").format(statute=key))
    if record.get("grade") not in tuple(Grade):
        problems.append(
            _("{statute}: unknown grade {grade!r}").format(statute=key, grade=record.get("grade"))
        )
    if record.get("status") not in tuple(StatuteStatus):
        problems.append(
            _("{statute}: unknown status {status!r}").format(
                statute=key, status=record.get("status")
            )
        )
    _check_date(record.get("version_date"), key, problems)
    dates = record.get("dates", {})
    for name in ("adopted", "effective"):
        _check_date(dates.get(name), key, problems)
    _check_articles(key, record, problems)


def _guidance_map(raw: Any) -> dict[tuple[str, int], Guidance]:
    result: dict[tuple[str, int], Guidance] = {}
    for statute_key, articles in (raw or {}).items():
        if statute_key.startswith("_"):
            continue
        for number, entry in articles.items():
            result[(statute_key, int(number))] = Guidance(
                summary=entry.get("summary", ""),
                keywords=tuple(entry.get("keywords", [])),
                categories=tuple(entry.get("categories", [])),
                reply_phrasing=entry.get("reply_phrasing"),
            )
    return result


def _cases(raw: Any) -> tuple[CaseExample, ...]:
    return tuple(
        CaseExample(
            key=case["key"],
            title=case["title"],
            category=case["category"],
            facts=case["facts"],
            handling=case["handling"],
            references=tuple(
                CaseReference(ref["statute"], ref["article"], ref.get("paragraph"), ref.get("item"))
                for ref in case["references"]
            ),
        )
        for case in (raw or [])
    )


def _check_cross_references(
    pack: LawPack, guidance: dict[tuple[str, int], Guidance], problems: list[str]
) -> None:
    known = {(s.key, a.number) for s, a in pack.all_articles()}
    codes = {c.value for c in Category}
    for (key, number), entry in guidance.items():
        if (key, number) not in known:
            problems.append(
                _("Guidance refers to a missing article: {statute} {number}").format(
                    statute=key, number=number
                )
            )
        for code in entry.categories:
            if code not in codes:
                problems.append(
                    _("Guidance uses an unknown category code {code!r}").format(code=code)
                )
    for case in pack.cases:
        for ref in case.references:
            if (ref.statute_key, ref.article) not in known:
                problems.append(
                    _("Case {case} refers to a missing article: {statute} {number}").format(
                        case=case.key, statute=ref.statute_key, number=ref.article
                    )
                )


def site_pack_roots() -> list[x509.Certificate]:
    """The CAs that may sign a site's own pack: the site CA and trusted CAs, never a demo CA."""
    from desktop.letters.keys import is_demo_certificate, site_trust_roots

    return [root for root in site_trust_roots() if not is_demo_certificate(root)]


def load_pack(path: Path | None = None, *, site_roots: Sequence[x509.Certificate] | None = None) -> LawPack:
    """Load, verify and validate the pack in ``path`` (default: the bundled ``resources/law``)."""
    return verify_pack(path, site_roots=site_roots)[0]


def verify_pack(path: Path | None = None, *, site_roots: Sequence[x509.Certificate] | None = None,
                deadline: WorkDeadline | None = None) -> tuple[LawPack, PackSigner | None]:
    """The pack and who signed it. The bundled pack must carry the publisher's signature; any other
    folder the publisher's or a trusted (non-demo) site CA's. Raises PackValidationError otherwise.

    Any folder but the bundled one is read within ``deadline`` (default: the law pack limit;
    ``WorkTimeoutError`` past it): a pack of thousands of tiny statutes is small but slow.
    """
    folder = path or bundled_pack_dir()
    bundled = path is None or _same_folder(folder, bundled_pack_dir())
    if deadline is None and not bundled:
        deadline = WorkDeadline("law_pack")
    try:
        return _verify_pack(folder, bundled, site_roots, deadline)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as error:
        if isinstance(error, PackValidationError):
            raise
        # A field of the wrong type (a number where a list belongs, …): name the defect, never crash.
        raise PackValidationError(
            [_("The pack has a field of the wrong type or shape ({kind}: {detail})").format(
                kind=type(error).__name__, detail=str(error)[:200])]
        ) from None


def _verify_pack(folder: Path, bundled: bool, site_roots: Sequence[x509.Certificate] | None,
                 deadline: WorkDeadline | None) -> tuple[LawPack, PackSigner | None]:
    def check() -> None:
        if deadline is not None:
            deadline.check()

    problems: list[str] = []
    try:
        manifest_bytes = read_manifest_bytes(folder)
    except PackSignatureError as error:
        raise PackValidationError([str(error)]) from None
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PackValidationError(
            [_("{path} is not valid UTF-8 JSON: {error}").format(path=MANIFEST_FILE, error=error)]) from None
    if not isinstance(manifest, dict):
        raise PackValidationError([_("pack.json must hold an object")])
    try:
        check_pack_files(folder, manifest)
        expected_names = expected_files(manifest)
    except PackSignatureError as error:  # symlinks, stray files, oversized: nothing is read
        raise PackValidationError([str(error)]) from None
    signer: PackSigner | None = None
    unsigned: list[str] = []  # kept apart so content problems are still listed in full
    try:
        roots = site_pack_roots() if site_roots is None and not bundled else list(site_roots or [])
        signer = verify_pack_signature(folder, manifest_bytes, allow_site=not bundled, site_roots=roots)
    except PackSignatureError as error:
        unsigned.append(str(error))
    if manifest.get("format_version") not in SUPPORTED_FORMAT_VERSIONS:
        raise PackValidationError(
            [
                *unsigned,
                _("Unsupported pack format version {version}").format(
                    version=manifest.get("format_version")
                ),
            ]
        )
    _check_date(manifest.get("pack_version"), "pack.json", problems)
    _check_checksums(folder, manifest, expected_names, problems, check)
    guidance = _guidance_map(
        _read_json(folder / manifest.get("guidance", "guidance.json"), problems)
    )
    cases_raw = _read_json(folder / manifest.get("cases", "cases.json"), problems)
    statutes: list[Statute] = []
    names_seen: dict[str, str] = {}
    statute_keys = manifest.get("statutes", [])
    if not isinstance(statute_keys, list) or not all(
        isinstance(k, str) and k and "/" not in k and "\\" not in k and not k.startswith(".") for k in statute_keys
    ):
        raise PackValidationError(
            [*problems, _("pack.json: “statutes” must be a list of statute keys (file names without .json)")]
        )
    for key in statute_keys:
        check()
        record = _read_json(folder / "statutes" / f"{key}.json", problems)
        if not isinstance(record, dict):
            continue
        _check_statute(key, record, problems)
        for name in [record.get("title", ""), *record.get("short_names", [])]:
            if name in names_seen and names_seen[name] != key:
                problems.append(_("The name {name} is used by two statutes").format(name=name))
            names_seen[name] = key
        if problems:
            continue
        statutes.append(_statute_from_record(record, guidance))
    if problems:
        raise PackValidationError(unsigned + problems)
    pack = LawPack(
        int(manifest["format_version"]),
        str(manifest["pack_version"]),
        tuple(statutes),
        _cases(cases_raw),
    )
    check()
    _check_cross_references(pack, guidance, problems)
    check()
    if problems or unsigned:
        raise PackValidationError(unsigned + problems)
    return pack, signer


def _same_folder(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return False


def _statute_from_record(
    record: dict[str, Any], guidance: dict[tuple[str, int], Guidance]
) -> Statute:
    key = record["key"]
    dates = record["dates"]
    return Statute(
        key=key,
        title=record["title"],
        short_names=tuple(record["short_names"]),
        issuer=record["issuer"],
        doc_number=record["doc_number"],
        doc_number_verified=bool(record.get("doc_number_verified", False)),
        dates=StatuteDates(dates["adopted"], dates["effective"], tuple(dates.get("revised", []))),
        version_date=record["version_date"],
        status=StatuteStatus(record["status"]),
        grade=Grade(record["grade"]),
        source=record["source"],
        notes=tuple(record.get("notes", [])),
        excerpt=bool(record.get("excerpt", False)),
        articles=tuple(
            _build_article(key, a, guidance.get((key, int(a["number"]))))
            for a in record["articles"]
        ),
        appendix=record.get("appendix", ""),
    )


def validate_pack(path: Path) -> LawPack:
    """Validate the pack folder at ``path``; raise PackValidationError listing all problems."""
    return load_pack(path)
