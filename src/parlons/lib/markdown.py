"""Markdown written by participants and organisers, rendered to safe HTML."""

from __future__ import annotations

import markdown as _markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render(text: str) -> SafeString:
    """Markdown to HTML with every tag and attribute outside a short allow-list removed.

    Headings start at level 2 so that a page keeps one ``h1``; links get
    ``rel="nofollow noopener"`` and only http(s)/mailto schemes survive.
    """
    html = _markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)
