"""The outcome letter (处理结果告知书): content, PDF rendering, keys, signing, verification.

No Qt here. pyHanko is imported only inside signing and verification because
importing it costs about half a second; rendering never pays for it.
"""

from desktop.letters.content import (
    LetterCitation,
    LetterContent,
    LetterError,
    SignatureStrokes,
    strokes_from_json,
    strokes_to_json,
)

__all__ = [
    "LetterCitation",
    "LetterContent",
    "LetterError",
    "SignatureStrokes",
    "strokes_from_json",
    "strokes_to_json",
]
