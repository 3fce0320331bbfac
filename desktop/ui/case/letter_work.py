"""The work behind the Letter box: render, sign, and tell whether the archived letter is current.

``render_and_sign`` runs on a worker thread (signing takes a few hundred milliseconds and
more when the first key is created), so it touches neither widgets nor the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument

from desktop.letters.content import LetterContent, LetterLanguage, letter_fingerprint
from desktop.services.letters import LetterRecord

# Letters go to the customer in Chinese whatever language the agent's screen uses.
LETTER_LANGUAGE: LetterLanguage = "zh_CN"


@dataclass(frozen=True)
class SignedLetter:
    content: LetterContent
    pdf: bytes
    signer: str
    demo_identity: bool


def render_draft(content: LetterContent) -> bytes:
    # reportlab loads on the first letter, not when the case view is built.
    from desktop.letters.render import render_letter

    return render_letter(content)


def render_and_sign(content: LetterContent, signer: str, passphrase: bytes) -> SignedLetter:
    """Render and sign with ``signer``'s key; the first time, a demo CA and certificate are made."""
    # pyHanko and the key handling load only here: opening a case must not pay for them.
    from desktop.letters.keys import ensure_demo_identity, find_identity
    from desktop.letters.sign import sign_pdf

    pdf = render_draft(content)
    identity = find_identity(signer) or ensure_demo_identity(signer, passphrase)
    reason = "处理结果告知书" if content.language == "zh_CN" else "Complaint outcome letter"
    signed = sign_pdf(pdf, identity, passphrase, reason=reason, location=content.site_name)
    return SignedLetter(content, signed, identity.agent_name, identity.is_demo)


def is_first_signing(signer: str) -> bool:
    from desktop.letters.keys import find_identity

    return find_identity(signer) is None


def embedded_fingerprint(pdf: bytes) -> str | None:
    """The content fingerprint the renderer wrote into the PDF's keywords (kept by signing)."""
    # The metadata module reads reportlab's PDF parts: loaded when a letter is looked at, not when the
    # case view is built at start-up.
    from desktop.letters.metadata import LetterMetadata

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    try:
        document.load(buffer)
        keywords = document.metaData(QPdfDocument.MetaDataField.Keywords)
    finally:
        document.close()
        buffer.close()
    metadata = LetterMetadata.from_keywords(str(keywords or ""))
    return metadata.fingerprint if metadata is not None else None


def is_current(stored: LetterRecord, content_now: LetterContent) -> bool:
    """True when ``stored`` says what the case says now (``content_now`` built for its revision)."""
    return stored.language == content_now.language and \
        embedded_fingerprint(stored.pdf) == letter_fingerprint(content_now)
