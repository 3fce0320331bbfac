"""Check a signed letter: every signature, the whole document, who signed and when, the site CA.

A letter is valid only when ALL of this holds:

* the file is a readable PDF no larger than :data:`MAX_PDF_BYTES`, and one of our letters;
* it has at least one signature and every signature is intact, its value matches the
  signer's certificate, and the certificate chains to a CA the site trusts;
* every signature carries a signing date, inside its certificate's validity and not in
  the future, and later signatures are not dated before earlier ones;
* after each signature but the last, the document changed only by later signatures
  (or a DSS/timestamp update) — pyHanko's modification analysis — never in its content;
* the last signature covers the whole file (nothing appended after it).

The store check (is this letter one the site archived?) is added by
``desktop.services.letter_check``, which the CLI and the in-app dialog both call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from desktop.domain.work_limit import WorkDeadline
from desktop.i18n import _
from desktop.letters.content import LetterError
from desktop.letters.metadata import LetterMetadata

MAX_PDF_BYTES = 50 * 1024 * 1024
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str | None
    signed_at: str | None
    intact: bool
    trusted: bool
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    intact: bool  # every signature intact (False when there is none)
    signer: str | None  # the first signature's signer: the agent who issued the letter
    signed_at: str | None  # ISO 8601 with offset, as that signer stated it
    trusted: bool  # every signer chains to a trusted site CA
    complaint: str | None
    revision: int | None
    fingerprint: str | None
    signer_is_demo: bool = False
    problems: list[str] = field(default_factory=list)
    signatures: list[SignatureReport] = field(default_factory=list)
    known: bool | None = None  # in the site's store: None when no store was consulted

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _unreadable(reason: str) -> VerificationResult:
    return VerificationResult(valid=False, intact=False, signer=None, signed_at=None, trusted=False,
                              complaint=None, revision=None, fingerprint=None, problems=[reason])


def verify_pdf(pdf: bytes, trust_roots: list[x509.Certificate] | None,
               now: dt.datetime | None = None, deadline: WorkDeadline | None = None) -> VerificationResult:
    """Verify every signature of ``pdf``; ``trust_roots`` are the CAs a signer may chain to.

    Raises ``WorkTimeoutError`` past ``deadline`` (default: the PDF limit): a small file can be
    built so that parsing or the modification analysis runs for minutes.
    """
    from desktop.letters import _pyhanko_verify as hanko

    if len(pdf) > MAX_PDF_BYTES:
        return _unreadable(_too_large(len(pdf)))
    try:
        facts = hanko.validate(pdf, trust_roots or [], deadline or WorkDeadline("pdf"))
    except hanko.UnreadablePdfError as error:
        return _unreadable(_("The file cannot be read as a PDF: {error}").format(error=error.reason))
    blocking: list[str] = []
    metadata = LetterMetadata.from_keywords(facts.keywords)
    if metadata is None:
        blocking.append(_("The PDF is not a Complaint Desk letter (no letter metadata)."))
    if facts.too_many_signatures:
        blocking.append(_("The PDF has more than {count} signatures; it is not checked.").format(
            count=hanko.MAX_SIGNATURES))
    elif not facts.signatures:
        blocking.append(_("The document has no signature."))
    elif not trust_roots:
        blocking.append(_("No site CA certificate was given, so trust was not checked."))
    reports = _signature_reports(facts, bool(trust_roots), now or dt.datetime.now(dt.UTC))
    for report in reports:
        blocking.extend(report.problems)
    first = facts.signatures[0] if facts.signatures else None
    demo = any(s.signer_is_demo for s in facts.signatures)
    notes = [_("Signed with a demo identity; not valid for real letters.")] if demo else []
    return VerificationResult(
        valid=not blocking,
        intact=bool(reports) and all(r.intact for r in reports),
        signer=first.signer if first else None,
        signed_at=reports[0].signed_at if reports else None,
        trusted=bool(reports) and all(r.trusted for r in reports),
        complaint=metadata.complaint if metadata else None,
        revision=metadata.revision if metadata else None,
        fingerprint=metadata.fingerprint if metadata else None,
        signer_is_demo=demo,
        problems=blocking + notes,
        signatures=reports,
    )


def _signature_reports(facts: Any, have_roots: bool, now: dt.datetime) -> list[SignatureReport]:
    reports: list[SignatureReport] = []
    previous: dt.datetime | None = None
    count = len(facts.signatures)
    for number, signature in enumerate(facts.signatures, start=1):
        who = _("Signature {number} ({signer})").format(number=number, signer=signature.signer or "?")
        problems: list[str] = []
        if not signature.checked:
            problems.append(_("{who} is broken and cannot be checked: {error}").format(
                who=who, error=signature.error))
        else:
            if not signature.intact:
                problems.append(_("{who}: the signed content was changed after signing (tampered).").format(who=who))
            elif not signature.signature_ok:
                problems.append(_("{who}: the signature value does not match the signer's certificate.").format(
                    who=who))
            if have_roots and not signature.trusted:
                problems.append(_("{who}: the signer's certificate does not chain to the site CA.").format(who=who))
            problems += _date_problems(who, signature, previous, now)
            if number == count and not signature.covers_whole_file:
                problems.append(_("Content was added to the file after it was signed."))
            if number < count and not (signature.covers_whole_revision and signature.later_changes_allowed
                                       and not facts.other_form_fields):
                problems.append(_("{who}: the document was changed after this signature ({change}); a later "
                                  "signature does not make that change valid.").format(
                    who=who, change=_change_label(signature.later_changes, facts.other_form_fields)))
        if signature.signed_at is not None:
            previous = signature.signed_at
        reports.append(SignatureReport(
            field_name=signature.field_name, signer=signature.signer,
            signed_at=signature.signed_at.isoformat() if signature.signed_at else None,
            intact=signature.checked and signature.intact, trusted=signature.checked and signature.trusted,
            problems=problems))
    return reports


def _change_label(level: str | None, other_fields: bool) -> str:
    """pyHanko's modification level, in the user's words."""
    if other_fields and level in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
        return _("form fields other than signatures")
    labels = {"ANNOTATIONS": _("annotations were added"), "OTHER": _("the content was edited"),
              "FORM_FILLING": _("form fields were filled"), "LTA_UPDATES": _("validation data was added")}
    return labels.get(level or "", _("unexplained changes"))


def _date_problems(who: str, signature: Any, previous: dt.datetime | None, now: dt.datetime) -> list[str]:
    signed_at: dt.datetime | None = signature.signed_at
    if signed_at is None:
        return [_("{who} carries no signing date.").format(who=who)]
    if signed_at.tzinfo is None:
        return [_("{who}: the signing date {date} has no time zone.").format(who=who, date=signed_at.isoformat())]
    problems = []
    valid_from, valid_until = signature.certificate_valid_from, signature.certificate_valid_until
    if signed_at > now + CLOCK_SKEW:
        problems.append(_("{who}: the signing date {date} is in the future.").format(
            who=who, date=signed_at.isoformat()))
    if (valid_from is not None and signed_at < valid_from) or (valid_until is not None and signed_at > valid_until):
        problems.append(_("{who}: the signing date {date} is outside the certificate's validity.").format(
            who=who, date=signed_at.isoformat()))
    if previous is not None and signed_at < previous - CLOCK_SKEW:
        problems.append(_("{who}: the signing date {date} is before the earlier signature's.").format(
            who=who, date=signed_at.isoformat()))
    return problems


def _too_large(size: int) -> str:
    return _("The file is {size} MB; letters larger than {limit} MB are not checked.").format(
        size=size // (1024 * 1024), limit=MAX_PDF_BYTES // (1024 * 1024))


def read_letter_file(path: Path) -> bytes:
    """The bytes of a PDF to verify, refusing an oversized file before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_PDF_BYTES:
            raise LetterError(_too_large(size))
        with path.open("rb") as handle:
            data = handle.read(MAX_PDF_BYTES + 1)
    except OSError as error:
        raise LetterError(_("Cannot read {path}: {error}").format(path=path, error=error)) from error
    if len(data) > MAX_PDF_BYTES:
        raise LetterError(_too_large(len(data)))
    return data


def verify_file(path: str, trust_roots: list[x509.Certificate] | None) -> VerificationResult:
    return verify_pdf(read_letter_file(Path(path)), trust_roots)


__all__ = ["MAX_PDF_BYTES", "SignatureReport", "VerificationResult", "read_letter_file", "verify_file",
           "verify_pdf"]
