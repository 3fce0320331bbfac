"""``complaint-desk letter …``: render, sign, verify and benchmark outcome letters."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from desktop.cli.context import CliContext, CliError
from desktop.formatting import fmt_beijing
from desktop.i18n import _

if TYPE_CHECKING:
    from desktop.letters.content import LetterContent
    from desktop.letters.keys import SigningIdentity
    from desktop.services.letters import LetterRecord

PASSPHRASE_ENV = "COMPLAINT_DESK_KEY_PASSPHRASE"

MAX_VERIFY_BYTES = 50 * 1024 * 1024  # an outcome letter is well under 1 MB


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    letter = subparsers.add_parser("letter", help=_("outcome letters: render, sign, verify"))
    commands = letter.add_subparsers(dest="letter_command", required=True, metavar="ACTION")

    render = commands.add_parser("render", help=_("render the outcome letter of a complaint"))
    render.add_argument("number", help=_("complaint number"))
    render.add_argument("--new-revision", action="store_true",
                        help=_("render and archive a corrected revision instead of printing the archived one"))
    _add_render_options(render)
    render.set_defaults(handler=handle_render)

    sample = commands.add_parser("render-sample", help=_("render a sample letter (demo and tests)"))
    _add_render_options(sample)
    sample.add_argument("--revision", type=int, default=1, help=_("revision number of the letter"))
    sample.set_defaults(handler=handle_render_sample)

    verify = commands.add_parser("verify", help=_("check a signed letter"))
    verify.add_argument("file", type=Path, help=_("the signed PDF"))
    verify.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="CA.pem",
        help=_("also trust this CA certificate (repeatable)"),
    )
    verify.add_argument(
        "--require-trusted",
        action="store_true",
        help=_("kept for old scripts: every signer must chain to a trusted CA anyway"),
    )
    verify.add_argument(
        "--no-store",
        action="store_true",
        help=_("check only the signatures, without looking the letter up in the store"),
    )
    verify.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    verify.set_defaults(handler=handle_verify)

    bench = commands.add_parser("bench", help=_("measure render and sign against a raw baseline"))
    bench.add_argument("--repeats", type=int, default=9, help=_("timed runs per side"))
    bench.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))
    bench.set_defaults(handler=handle_bench)


def _add_render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, required=True, metavar="FILE.pdf", help=_("where to write the PDF")
    )
    parser.add_argument("--sign", action="store_true", help=_("sign with the agent's certificate"))
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help=_("read the key passphrase from this file"),
    )
    parser.add_argument(
        "--lang", dest="letter_lang", choices=("zh_CN", "en"), help=_("language of the letter")
    )
    parser.add_argument("--json", action="store_true", dest="json", help=_("print JSON"))


def handle_render(args: argparse.Namespace, ctx: CliContext) -> int:
    """Print the case's letter: the archived one again, or (first time, --new-revision) a new revision."""
    from desktop.services.errors import ServiceError

    services = ctx.services()
    language: Literal["zh_CN", "en"] = args.letter_lang or "zh_CN"
    try:
        stored = services.letters.latest(args.number)
        if stored is not None and not args.new_revision and stored.language == language and (
                stored.signed or not args.sign):
            return _write_stored(args, ctx, stored)
        content = services.letters.content(args.number, language)
    except ServiceError as error:
        raise CliError(str(error)) from None
    pdf, identity = _render_and_sign(args, content)
    services.letters.archive(services.actor, content.complaint_number, content.revision, content.language, pdf,
                             identity.agent_name if identity else None)
    return _emit_written(args, ctx, content.complaint_number, content.revision, content.language, pdf, identity)


def _write_stored(args: argparse.Namespace, ctx: CliContext, stored: LetterRecord) -> int:
    """Printing again gives the same document: the archived bytes, not a re-render."""
    _write_file(args.out, stored.pdf)
    digest = hashlib.sha256(stored.pdf).hexdigest()
    payload = {"path": str(args.out), "complaint": args.number.upper(), "revision": stored.revision,
               "language": stored.language, "sha256": digest, "signed": stored.signed, "signer": stored.signer,
               "reprinted": True}
    ctx.emit(payload, _("Wrote the archived revision {revision} to {path} (SHA-256 {digest}).").format(
        revision=stored.revision, path=args.out, digest=digest))
    return 0


def handle_render_sample(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.letters.sample import sample_content

    if args.revision < 1:
        raise CliError(_("The revision must be 1 or higher."))
    return _write_letter(
        args, ctx, sample_content(args.letter_lang or "zh_CN", revision=args.revision)
    )


def _write_letter(args: argparse.Namespace, ctx: CliContext, content: LetterContent) -> int:
    if args.letter_lang and args.letter_lang != content.language:
        content = dataclasses.replace(content, language=args.letter_lang)
    pdf, identity = _render_and_sign(args, content)
    return _emit_written(args, ctx, content.complaint_number, content.revision, content.language, pdf, identity)


def _render_and_sign(args: argparse.Namespace, content: LetterContent) -> tuple[bytes, SigningIdentity | None]:
    from desktop.letters.content import LetterError
    from desktop.letters.render import render_letter

    identity: SigningIdentity | None = None
    try:
        pdf = render_letter(content)
        if args.sign:
            pdf, identity = _sign(args, content, pdf)
    except LetterError as error:
        raise CliError(str(error)) from error
    return pdf, identity


def _write_file(path: Path, pdf: bytes) -> None:
    try:
        path.write_bytes(pdf)
    except OSError as error:
        raise CliError(_("Cannot write {path}: {error}").format(path=path, error=error)) from error


def _emit_written(args: argparse.Namespace, ctx: CliContext, number: str, revision: int, language: str,
                  pdf: bytes, identity: SigningIdentity | None) -> int:
    _write_file(args.out, pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    payload = {
        "path": str(args.out),
        "complaint": number,
        "revision": revision,
        "language": language,
        "sha256": digest,
        "signed": identity is not None,
        "signer": identity.agent_name if identity else None,
        "demo_identity": identity.is_demo if identity else None,
    }
    text = _("Wrote {path} (SHA-256 {digest}).").format(path=args.out, digest=digest)
    if identity is not None:
        text += "\n" + _("Signed by {signer}.").format(signer=identity.agent_name)
        if identity.is_demo:
            text += " " + _("This is a demo identity; replace it with the site's own in settings.")
    ctx.emit(payload, text)
    return 0


def _sign(
    args: argparse.Namespace, content: LetterContent, pdf: bytes
) -> tuple[bytes, SigningIdentity]:
    from desktop.letters.keys import ensure_demo_identity, find_identity
    from desktop.letters.sign import sign_pdf

    passphrase = read_passphrase(args.passphrase_file)
    identity = find_identity(content.agent_name) or ensure_demo_identity(
        content.agent_name, passphrase
    )
    reason = "处理结果告知书" if content.language == "zh_CN" else "Complaint outcome letter"
    return sign_pdf(pdf, identity, passphrase, reason=reason, location=content.site_name), identity


def read_passphrase(passphrase_file: Path | None) -> bytes:
    """From the file, else the environment, else a prompt; never a prompt without a terminal."""
    if passphrase_file is not None:
        try:
            data = passphrase_file.read_bytes()
        except OSError as error:
            raise CliError(
                _("Cannot read the passphrase file {path}: {error}").format(
                    path=passphrase_file, error=error
                )
            ) from error
        passphrase = data.rstrip(b"\r\n")
    elif os.environ.get(PASSPHRASE_ENV):
        passphrase = os.environ[PASSPHRASE_ENV].encode("utf-8")
    elif sys.stdin is not None and sys.stdin.isatty():
        passphrase = getpass.getpass(_("Key passphrase: ")).encode("utf-8")
    else:
        raise CliError(
            _("Signing needs the key passphrase: use --passphrase-file or set {env}.").format(
                env=PASSPHRASE_ENV
            )
        )
    if not passphrase:
        raise CliError(_("The key passphrase is empty."))
    return passphrase


def handle_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    """Exit 0 only for a valid letter (every signature, trusted, known to the store); 1 otherwise."""
    from pyhanko.pdf_utils.misc import PdfError

    from desktop.letters.content import LetterError
    from desktop.letters.keys import load_certificates
    from desktop.letters.verify import read_letter_file
    from desktop.services.letter_check import check_letter

    try:
        pdf = read_letter_file(args.file)  # refuses a file over the size limit before reading it
        roots = [cert for path in args.trust for cert in load_certificates(path)]
    except (OSError, LetterError) as error:
        raise CliError(str(error)) from error
    try:
        result = check_letter(pdf, None if args.no_store else ctx.services().sessions, roots)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as error:
        # A damaged file fails in many shapes inside pyHanko (PdfReadError, a bad signing date, …).
        raise CliError(_("{path} cannot be read as a signed PDF ({kind}: {detail}).").format(
            path=args.file, kind=type(error).__name__, detail=str(error)[:200])) from None
    ctx.emit(result.to_json(), _verification_text(result))
    return 0 if result.valid else 1


def _verification_text(result: object) -> str:
    from desktop.letters.verify import VerificationResult

    assert isinstance(result, VerificationResult)
    yes, no = _("yes"), _("no")
    lines = [
        _("Valid: {value}").format(value=yes if result.valid else no),
        _("Intact: {value}").format(value=yes if result.intact else no),
        _("Signer: {value}").format(value=result.signer or "—"),
        _("Signed at: {value}").format(value=fmt_beijing(result.signed_at)),
        _("Chains to the site CA: {value}").format(value=yes if result.trusted else no),
        _("Complaint: {value}").format(value=result.complaint or "—"),
        _("Revision: {value}").format(value=result.revision or "—"),
        _("Archived in the store: {value}").format(
            value=_("not checked") if result.known is None else yes if result.known else no),
    ]
    lines += [_("Problem: {text}").format(text=problem) for problem in result.problems]
    return "\n".join(lines)


def handle_bench(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.letters.bench import run_benchmark

    if args.repeats < 1:
        raise CliError(_("--repeats must be at least 1."))
    figures = run_benchmark(args.repeats)
    payload = {"figures": [figure.to_json() for figure in figures]}
    text = "\n".join(
        _("{name}: app {app:.1f} ms, raw {raw:.1f} ms, ratio {ratio:.2f}").format(
            name=f.name, app=f.app_ms, raw=f.raw_ms, ratio=f.ratio
        )
        for f in figures
    )
    ctx.emit(payload, text)
    return 0
