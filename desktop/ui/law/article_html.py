"""HTML for one article: badges, the exact text with matches highlighted, then guidance."""

from __future__ import annotations

from html import escape

from desktop.i18n import _
from desktop.law import Article, Grade, Statute, grade_label, status_label

_HIGHLIGHT = '<span style="background-color:#ffe08a;">{}</span>'


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap each (start, end) span; newlines become line breaks."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        parts.append(escape(text[position:start]))
        parts.append(_HIGHLIGHT.format(escape(text[start:end])))
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts).replace("\n", "<br/>")


def badges_html(statute: Statute) -> str:
    status = f'<span style="color:#1d5e20;">[{escape(status_label(statute.status))}]</span>'
    if statute.grade is Grade.SECONDARY:
        grade = f'<b style="color:#a33;">⚠ {escape(grade_label(statute.grade))}</b>'
    else:
        grade = f'<span style="color:#1d5e20;">{escape(grade_label(statute.grade))}</span>'
    return f"{status} {grade}"


def article_html(statute: Statute, article: Article, spans: list[tuple[int, int]]) -> str:
    title = f"《{escape(statute.title)}》{escape(article.label)}"
    meta = _("Version {date}").format(date=statute.version_date)
    html = [
        f"<h3>{title}</h3>",
        f"<p>{badges_html(statute)}<br/>"
        f"<small>{escape(meta)} · {escape(article.chapter)}</small></p>",
        f'<p style="line-height:150%;">{highlighted(article.text, spans)}</p>',
    ]
    if not article.verbatim:
        html.append(
            '<p style="color:#a33;">'
            + escape(_("Reported wording, not an official quotation."))
            + "</p>"
        )
    guidance = article.guidance
    if guidance is not None:
        html.append("<hr/>")
        summary_label = escape(_("Summary"))
        html.append(f"<p><b>{summary_label}</b>: {escape(guidance.summary)}</p>")
        if guidance.reply_phrasing:
            reply_label = escape(_("Suggested reply"))
            html.append(f"<p><b>{reply_label}</b>: {escape(guidance.reply_phrasing)}</p>")
    return "".join(html)
