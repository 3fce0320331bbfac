"""Verify a letter the way the site does: every signature, the site's trusted CAs, and the store.

``complaint-desk letter verify`` and the desk's "Verify a letter" dialog both call
:func:`check_letter`, so they always agree. With a store, a letter counts only if the
site archived it: the exact bytes, or the archived bytes followed by later signatures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop.i18n import _
from desktop.letters.keys import site_trust_roots
from desktop.letters.verify import VerificationResult, verify_pdf
from desktop.store.models import Complaint, Letter


def check_letter(pdf: bytes, sessions: sessionmaker[Session] | None,
                 extra_roots: Sequence[x509.Certificate] = ()) -> VerificationResult:
    """Verify ``pdf`` against the site CA (and ``extra_roots``); with ``sessions``, also against the store."""
    result = verify_pdf(pdf, [*extra_roots, *site_trust_roots()])
    if sessions is None or result.complaint is None:
        return result
    problem = _store_problem(sessions, pdf, result.complaint, result.revision)
    if problem is None:
        return dataclasses.replace(result, known=True)
    return dataclasses.replace(result, known=False, valid=False, problems=[*result.problems, problem])


def _store_problem(sessions: sessionmaker[Session], pdf: bytes, number: str, revision: int | None) -> str | None:
    import hashlib

    digest = hashlib.sha256(pdf).hexdigest()
    with sessions() as session:
        rows = session.execute(
            select(Letter.sha256, Letter.pdf, Letter.revision)
            .join(Complaint, Complaint.id == Letter.complaint_id)
            .where(Complaint.number == number.upper(), Letter.revision == (revision or 0))
        ).all()
    for stored_digest, stored_pdf, _revision in rows:
        if stored_digest == digest or pdf.startswith(stored_pdf):
            return None  # the archived letter, possibly with later signatures appended
    if rows:
        return _("This file differs from the archived letter {number} revision {revision}.").format(
            number=number, revision=revision)
    return _("Unknown letter: the store holds no letter {number} revision {revision}.").format(
        number=number or "?", revision=revision or "?")
