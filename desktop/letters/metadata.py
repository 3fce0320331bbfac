"""The facts about a letter that travel inside its PDF (the /Keywords entry).

They let verification say which case a letter belongs to, and let signing put
the visible seal where the renderer drew the seal box, without either of them
parsing page content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.letters.pdf_parts import StampPlacement

MARKER = "complaint-desk-letter"


@dataclass
class LetterMetadata:
    complaint: str
    complaint_uuid: str
    revision: int
    fingerprint: str
    language: str
    stamp: StampPlacement = field(default_factory=StampPlacement)

    def to_keywords(self) -> str:
        parts = [
            MARKER,
            f"complaint={self.complaint}",
            f"uuid={self.complaint_uuid}",
            f"revision={self.revision}",
            f"fingerprint={self.fingerprint}",
            f"lang={self.language}",
        ]
        if self.stamp.page:
            parts.append(f"stamp={self.stamp.as_keyword()}")
        return "; ".join(parts)

    @classmethod
    def from_keywords(cls, keywords: str) -> LetterMetadata | None:
        """Parse what :meth:`to_keywords` wrote; None for a PDF that is not one of our letters."""
        parts = [part.strip() for part in keywords.split(";")]
        if not parts or parts[0] != MARKER:
            return None
        values = dict(part.split("=", 1) for part in parts[1:] if "=" in part)
        stamp = StampPlacement()
        raw_stamp = values.get("stamp", "")
        if ":" in raw_stamp:
            page_text, box_text = raw_stamp.split(":", 1)
            numbers = box_text.split(",")
            try:
                if len(numbers) == 4:
                    stamp = StampPlacement(
                        page=int(page_text),
                        box=(
                            float(numbers[0]),
                            float(numbers[1]),
                            float(numbers[2]),
                            float(numbers[3]),
                        ),
                    )
            except ValueError:
                stamp = StampPlacement()
        try:
            revision = int(values.get("revision", "0"))
        except ValueError:
            revision = 0
        return cls(
            complaint=values.get("complaint", ""),
            complaint_uuid=values.get("uuid", ""),
            revision=revision,
            fingerprint=values.get("fingerprint", ""),
            language=values.get("lang", ""),
            stamp=stamp,
        )
