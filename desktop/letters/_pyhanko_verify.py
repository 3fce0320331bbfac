"""The pyHanko side of verification; imported only when a letter is verified."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from desktop.letters._pyhanko_signing import to_asn1_certificate
from desktop.letters.keys import DEMO_LABEL


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback for every untrusted path; the result already says so."""
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
    keywords: str
    has_signature: bool
    intact: bool = False
    signature_ok: bool = False
    covers_whole_file: bool = False
    trusted: bool = False
    signer: str | None = None
    signed_at: str | None = None
    signer_is_demo: bool = False


def validate(pdf: bytes, trust_roots: list[x509.Certificate]) -> SignatureFacts:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        info: Any = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else None
        keywords = str(info.get("/Keywords", "")) if info is not None else ""
        signatures = reader.embedded_signatures
    except Exception as error:  # a damaged file fails in many pyHanko-specific ways
        raise UnreadablePdfError(str(error) or type(error).__name__) from error
    if not signatures:
        return SignatureFacts(keywords=keywords, has_signature=False)
    embedded = signatures[-1]
    context = ValidationContext(
        trust_roots=[to_asn1_certificate(c) for c in trust_roots],
        allow_fetching=False,  # sites verify offline; the site CA publishes no CRL
        revocation_mode="soft-fail",
    )
    try:
        with _quiet_pyhanko():
            status = validate_pdf_signature(embedded, signer_validation_context=context)
    except (ValueError, KeyError):  # pyHanko's validation errors derive from ValueError
        # A changed byte may break the CMS structure itself: that is tampering too.
        return SignatureFacts(keywords=keywords, has_signature=True)
    certificate = status.signing_cert
    subject = certificate.subject.native if certificate is not None else {}
    signed_at = status.signer_reported_dt
    return SignatureFacts(
        keywords=keywords,
        has_signature=True,
        intact=bool(status.intact),
        signature_ok=bool(status.valid),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted) and bool(trust_roots),
        signer=subject.get("common_name") if subject else None,
        signed_at=signed_at.isoformat() if signed_at is not None else None,
        signer_is_demo=subject.get("organizational_unit_name") == DEMO_LABEL if subject else False,
    )
