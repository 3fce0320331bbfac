"""Check a signed letter: intact, who signed and when, chains to the site CA, which case.

A letter counts as valid only when its signature is cryptographically sound
and covers the whole file: anything appended after signing (even an
"allowed" incremental update) makes it not valid for a letter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography import x509

from desktop.i18n import _
from desktop.letters.metadata import LetterMetadata


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    intact: bool
    signer: str | None
    signed_at: str | None  # ISO 8601 with offset, as the signer stated it
    trusted: bool
    complaint: str | None
    revision: int | None
    fingerprint: str | None
    signer_is_demo: bool = False
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def verify_pdf(pdf: bytes, trust_roots: list[x509.Certificate] | None) -> VerificationResult:
    """Verify the last signature of ``pdf``; ``trust_roots`` are the CAs the signer may chain to."""
    from desktop.letters import _pyhanko_verify as hanko

    problems: list[str] = []
    try:
        facts = hanko.validate(pdf, trust_roots or [])
    except hanko.UnreadablePdfError as error:
        return VerificationResult(
            valid=False,
            intact=False,
            signer=None,
            signed_at=None,
            trusted=False,
            complaint=None,
            revision=None,
            fingerprint=None,
            problems=[_("The file cannot be read as a PDF: {error}").format(error=error.reason)],
        )
    metadata = LetterMetadata.from_keywords(facts.keywords)
    if metadata is None:
        problems.append(_("The PDF is not a Complaint Desk letter (no letter metadata)."))
    if not facts.has_signature:
        problems.append(_("The document has no signature."))
    else:
        if not facts.intact:
            problems.append(_("The signed content was changed after signing (tampered)."))
        if facts.intact and not facts.signature_ok:
            problems.append(_("The signature value does not match the signer's certificate."))
        if not facts.covers_whole_file:
            problems.append(_("Content was added to the file after it was signed."))
        if not trust_roots:
            problems.append(_("No site CA certificate was given, so trust was not checked."))
        elif not facts.trusted:
            problems.append(_("The signer's certificate does not chain to the site CA."))
        if facts.signer_is_demo:
            problems.append(_("Signed with a demo identity; not valid for real letters."))
    valid = facts.has_signature and facts.intact and facts.signature_ok and facts.covers_whole_file
    return VerificationResult(
        valid=valid,
        intact=facts.has_signature and facts.intact,
        signer=facts.signer,
        signed_at=facts.signed_at,
        trusted=facts.trusted,
        complaint=metadata.complaint if metadata else None,
        revision=metadata.revision if metadata else None,
        fingerprint=metadata.fingerprint if metadata else None,
        signer_is_demo=facts.signer_is_demo,
        problems=problems,
    )


def verify_file(path: str, trust_roots: list[x509.Certificate] | None) -> VerificationResult:
    with open(path, "rb") as handle:
        return verify_pdf(handle.read(), trust_roots)


__all__ = ["VerificationResult", "verify_file", "verify_pdf"]
