"""The pyHanko side of verification; imported only when a letter is verified.

Every embedded signature is validated, in file order, with pyHanko's modification analysis:
for each earlier signature it reports how the later revisions changed the document
(``modification_level``, ``docmdp_ok``), which is how a text edit hidden under a later
counter-signature is caught.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from desktop.domain.work_limit import WorkDeadline, WorkTimeoutError
from desktop.letters._pyhanko_signing import to_asn1_certificate
from desktop.letters.keys import DEMO_LABEL

MAX_SIGNATURES = 20  # a letter has one or two; more is a file built to make validation slow


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback for every untrusted path or suspicious diff; the result already says so."""
    logger = logging.getLogger("pyhanko")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


class UnreadablePdfError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignatureFacts:
    field_name: str
    checked: bool = False  # False: the signature could not be validated at all (broken CMS, …)
    error: str | None = None
    intact: bool = False
    signature_ok: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    covers_whole_revision: bool = False
    # How the revisions after this signature changed the document (None for the last one).
    later_changes_allowed: bool = True
    later_changes: str | None = None
    signer: str | None = None
    signer_is_demo: bool = False
    signed_at: datetime | None = None
    certificate_valid_from: datetime | None = None
    certificate_valid_until: datetime | None = None


@dataclass(frozen=True)
class DocumentFacts:
    keywords: str
    signatures: list[SignatureFacts] = field(default_factory=list)
    too_many_signatures: bool = False
    other_form_fields: bool = False  # fields other than signatures: "form filling" could change text


class _BoundedReader(PdfFileReader):
    """A reader that checks the deadline on every object it resolves.

    pyHanko resolves each indirect object through ``get_object`` — parsing the file, walking the
    signature fields, the modification analysis of every revision — so a file built to make
    those walks long is stopped inside them, not only between our own steps.
    """

    def __init__(self, stream: Any, deadline: WorkDeadline) -> None:
        self._deadline = deadline  # before super().__init__: it already resolves objects
        super().__init__(stream, strict=False)

    def get_object(self, ref: Any, *args: Any, **kwargs: Any) -> Any:
        self._deadline.check()
        return super().get_object(ref, *args, **kwargs)  # type: ignore[no-untyped-call]


def validate(pdf: bytes, trust_roots: list[x509.Certificate], deadline: WorkDeadline) -> DocumentFacts:
    try:
        reader = _BoundedReader(io.BytesIO(pdf), deadline)
        info: Any = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else None
        keywords = str(info.get("/Keywords", "")) if info is not None else ""
        embedded = reader.embedded_signatures
        other_fields = _has_non_signature_fields(reader, deadline)
    except WorkTimeoutError:
        raise
    except Exception as error:  # a damaged file fails in many pyHanko-specific ways
        raise UnreadablePdfError(str(error) or type(error).__name__) from error
    if len(embedded) > MAX_SIGNATURES:
        return DocumentFacts(keywords=keywords, too_many_signatures=True)
    context = ValidationContext(
        trust_roots=[to_asn1_certificate(c) for c in trust_roots],
        allow_fetching=False,  # sites verify offline; the site CA publishes no CRL
        revocation_mode="soft-fail",
    )
    facts = []
    for index, signature in enumerate(embedded):
        facts.append(_one(signature, context, bool(trust_roots), last=index == len(embedded) - 1))
        # pyHanko may swallow the timeout inside its own error handling: ask again after each one.
        deadline.check()
    return DocumentFacts(keywords=keywords, signatures=facts, other_form_fields=other_fields)


def _one(embedded: Any, context: ValidationContext, have_roots: bool, *, last: bool) -> SignatureFacts:
    name = str(embedded.field_name)
    try:
        with _quiet_pyhanko():
            status = validate_pdf_signature(embedded, signer_validation_context=context)
    except WorkTimeoutError:
        raise
    except Exception as error:  # pyHanko's validation errors: a changed byte may break the CMS itself
        return SignatureFacts(field_name=name, error=str(error) or type(error).__name__)
    certificate = status.signing_cert
    subject = certificate.subject.native if certificate is not None else {}
    level = status.modification_level
    later_ok = True
    later: str | None = None
    if not last:
        # A later signature fills a signature field (FORM_FILLING); a DSS/timestamp update is
        # LTA_UPDATES. Anything more (OTHER, ANNOTATIONS) or a failed diff changes the content.
        later_ok = (bool(status.docmdp_ok) and level is not None
                    and level <= ModificationLevel.FORM_FILLING)
        later = level.name if level is not None else type(status.diff_result).__name__
    validity = certificate["tbs_certificate"]["validity"] if certificate is not None else None
    return SignatureFacts(
        field_name=name,
        checked=True,
        intact=bool(status.intact),
        signature_ok=bool(status.valid),
        trusted=bool(status.trusted) and have_roots,
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        covers_whole_revision=status.coverage is not None
        and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION,
        later_changes_allowed=later_ok,
        later_changes=later,
        signer=subject.get("common_name") if subject else None,
        signer_is_demo=subject.get("organizational_unit_name") == DEMO_LABEL if subject else False,
        signed_at=status.signer_reported_dt,
        certificate_valid_from=validity["not_before"].native if validity is not None else None,
        certificate_valid_until=validity["not_after"].native if validity is not None else None,
    )


def _has_non_signature_fields(reader: PdfFileReader, deadline: WorkDeadline) -> bool:
    form: Any = reader.root.get("/AcroForm")
    if form is None:
        return False
    pending = list(form.get_object().get("/Fields", []))
    seen = 0
    while pending and seen < 10_000:
        deadline.check()
        seen += 1
        item = pending.pop().get_object()
        kids = item.get("/Kids")
        if kids is not None and "/FT" not in item:
            pending.extend(kids)
        elif item.get("/FT") != "/Sig":
            return True
    return False
