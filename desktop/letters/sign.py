"""PAdES signing of a rendered letter with the agent's certificate.

pyHanko is imported inside :func:`sign_pdf` only. The opened key is cached per
identity and passphrase, so a counter signing many letters decrypts the
PKCS#12 file (PBKDF2, slow on purpose) once.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import datetime
from typing import TYPE_CHECKING

from desktop.i18n import _
from desktop.letters.content import LetterError
from desktop.letters.keys import SigningIdentity, load_key_and_chain
from desktop.letters.metadata import LetterMetadata
from desktop.letters.stamp import render_stamp

if TYPE_CHECKING:
    from desktop.letters._pyhanko_signing import InMemorySigner

FIELD_NAME = "AgentSignature"
# Fallback seal box (points, A4) for a PDF that did not record one: bottom right of the last page.
DEFAULT_STAMP_BOX = (340.0, 90.0, 544.0, 158.0)

_cache_lock = threading.Lock()
_signer_cache: dict[tuple[str, int, str], InMemorySigner] = {}


def sign_pdf(
    pdf: bytes,
    identity: SigningIdentity,
    passphrase: bytes,
    *,
    reason: str,
    location: str,
) -> bytes:
    """Sign ``pdf`` (PAdES, ETSI.CAdES.detached), visible seal where the letter drew its box."""
    from desktop.letters import _pyhanko_signing as hanko

    signer = _signer_for(identity, passphrase)
    try:
        opened = hanko.open_pdf(pdf)
    except Exception as error:  # pyHanko raises several types for a broken file
        raise LetterError(
            _("The file is not a readable PDF: {error}").format(error=error)
        ) from error
    pages = opened.pages
    metadata = LetterMetadata.from_keywords(opened.keywords)
    if metadata is not None and metadata.stamp.page:
        page_index = min(metadata.stamp.page, pages) - 1
        box = metadata.stamp.box
        language = metadata.language
    else:
        page_index, box, language = pages - 1, DEFAULT_STAMP_BOX, "zh_CN"
    x1, y1, x2, y2 = (round(v) for v in box)
    signed_at = datetime.now().astimezone()
    stamp = render_stamp(
        width=x2 - x1,
        height=y2 - y1,
        language=language,
        signer=identity.agent_name,
        issuer=identity.issuer,
        signed_at=signed_at,
        is_demo=identity.is_demo,
    )
    field_name = FIELD_NAME
    counter = 2
    while field_name in opened.field_names:  # a corrected copy signed again keeps both fields
        field_name = f"{FIELD_NAME}{counter}"
        counter += 1
    return hanko.sign_opened(
        opened,
        signer,
        field_name=field_name,
        page_index=page_index,
        box=(x1, y1, x2, y2),
        stamp_pdf=stamp,
        reason=reason,
        location=location,
        signer_name=identity.agent_name,
    )


def _signer_for(identity: SigningIdentity, passphrase: bytes) -> InMemorySigner:
    from desktop.letters._pyhanko_signing import InMemorySigner

    try:
        mtime = identity.path.stat().st_mtime_ns
    except OSError as error:
        raise LetterError(
            _("The key file {path} cannot be read: {error}").format(path=identity.path, error=error)
        ) from error
    # Keyed by a hash of the passphrase, so a wrong one never reuses a right one's key.
    cache_key = (str(identity.path), mtime, hashlib.sha256(passphrase).hexdigest())
    with _cache_lock:
        cached = _signer_cache.get(cache_key)
    if cached is not None:
        return cached
    key, certificate, chain = load_key_and_chain(identity, passphrase)
    signer = InMemorySigner(key, certificate, chain)
    with _cache_lock:
        _signer_cache[cache_key] = signer
    return signer


def forget_cached_keys() -> None:
    """Drop opened keys from memory (e.g. when the agent signs out)."""
    with _cache_lock:
        _signer_cache.clear()
