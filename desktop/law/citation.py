"""A citation as stored on a complaint: enough to quote it even after the pack changes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from desktop.law.model import Article, Grade, Statute
from desktop.law.numerals import article_label, paragraph_label, to_chinese


@dataclass(frozen=True)
class Citation:
    statute_key: str
    statute_title: str
    article: int
    paragraph: int | None
    item: int | None
    version_date: str
    text: str
    grade: Grade

    @classmethod
    def of(
        cls,
        statute: Statute,
        article: Article,
        paragraph: int | None = None,
        item: int | None = None,
    ) -> Citation:
        """Cite ``article`` (or one of its 款/项); ``text`` holds exactly the part cited."""
        if item is not None and paragraph is None:
            paragraph = next((i.paragraph for i in article.items if i.number == item), None)
        if item is not None and paragraph is not None:
            text = article.item(paragraph, item).text
        elif paragraph is not None:
            text = article.paragraph_text(paragraph)
        else:
            text = article.text
        return cls(
            statute.key,
            statute.title,
            article.number,
            paragraph,
            item,
            statute.version_date,
            text,
            statute.grade,
        )

    @property
    def needs_confirmation(self) -> bool:
        """Secondary-grade text may only go into a letter after the agent confirms it."""
        return self.grade is Grade.SECONDARY

    def format(self) -> str:
        """《中华人民共和国电信条例》第三十九条第一款第（四）项."""
        parts = [f"《{self.statute_title}》", article_label(self.article)]
        if self.paragraph is not None:
            parts.append(paragraph_label(self.paragraph))
        if self.item is not None:
            parts.append(f"第（{to_chinese(self.item)}）项")
        return "".join(parts)

    def to_json(self) -> str:
        payload: dict[str, Any] = asdict(self)
        payload["grade"] = self.grade.value
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Citation:
        payload = json.loads(raw)
        return cls(
            statute_key=payload["statute_key"],
            statute_title=payload["statute_title"],
            article=int(payload["article"]),
            paragraph=payload.get("paragraph"),
            item=payload.get("item"),
            version_date=payload["version_date"],
            text=payload["text"],
            grade=Grade(payload["grade"]),
        )
