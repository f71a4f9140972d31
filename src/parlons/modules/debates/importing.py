"""Texts into sections and articles: from Markdown headings or a Word document (``.docx``,
read into the same Markdown by ``parlons.formats.docx_text``), and the services that write
them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.processes.models import ModuleInstance
from parlons.formats import docx_text
from parlons.modules.debates.models import Article, Kind, Section
from parlons.modules.debates.services.common import ensure_kind

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_TEXT = 2_000_000


@dataclass
class ParsedArticle:
    title: str
    body: str = ""


@dataclass
class ParsedSection:
    title: str
    articles: list[ParsedArticle] = field(default_factory=list)


def parse_markdown(text: str) -> list[ParsedSection]:
    """Sections and articles from Markdown headings.

    With two heading levels or more, the highest level makes sections and the next one
    articles (deeper headings stay in the article's text); with one level, every heading
    is an article of an untitled section.  Text before the first article is left out.
    """
    lines = (text or "").replace("\r\n", "\n").split("\n")
    levels = sorted({len(m[1]) for line in lines if (m := HEADING.match(line))})
    if not levels:
        raise ValidationError(
            _("The text has no headings: start each article with a line like “## Article 1”."),
            code="no_headings",
        )
    section_level = levels[0] if len(levels) > 1 else None
    article_level = levels[1] if len(levels) > 1 else levels[0]
    sections: list[ParsedSection] = [ParsedSection(title="")]
    current: ParsedArticle | None = None
    body: list[str] = []

    def close() -> None:
        if current is not None:
            current.body = "\n".join(body).strip()

    for line in lines:
        match = HEADING.match(line)
        level = len(match[1]) if match else 0
        if match and level == section_level:
            close()
            current, body = None, []
            sections.append(ParsedSection(title=match[2].strip()))
        elif match and level == article_level:
            close()
            current, body = ParsedArticle(title=match[2].strip()), []
            sections[-1].articles.append(current)
        elif current is not None:
            body.append(line)
    close()
    found = [s for s in sections if s.articles]
    empty = [a.title for s in found for a in s.articles if not a.body]
    if empty:
        raise ValidationError(
            _("These articles have no text: %(titles)s.") % {"titles": ", ".join(empty[:5])},
            code="empty_article",
        )
    return found


def markdown_of_upload(*, name: str, data: bytes) -> tuple[str, str]:
    """(Markdown text, source) of an uploaded file: a Word document (``.docx``, or any
    file that starts like one) read into Markdown, otherwise the file as UTF-8 Markdown."""
    lower = (name or "").lower()
    if lower.endswith(".docx") or docx_text.looks_like_docx(data):
        return markdown_of_docx(data), "docx"
    if lower.endswith((".doc", ".odt", ".rtf", ".pdf")) or b"\x00" in data[:8192]:
        raise ValidationError(
            _("Choose a Markdown (.md, .txt) or Word (.docx) file."), code="file_type"
        )
    return data.decode("utf-8-sig", "replace"), "markdown"


def markdown_of_docx(data: bytes) -> str:
    """The Markdown of a Word document, or a ValidationError that says what is wrong."""
    try:
        return docx_text.markdown_of_docx(data)
    except docx_text.DocxFormatError as error:
        messages = {
            "too_large": _("This file is too large."),
            "no_headings": _(
                "The document has no headings: give each article's title the style "
                "“Heading 2” (and each section's title “Heading 1”)."
            ),
        }
        message = messages.get(
            error.code, _("This file is not a Word document (.docx) or it is damaged.")
        )
        raise ValidationError(message, code=error.code) from None


@transaction.atomic
def do_import_text(
    *, actor: Any, instance: ModuleInstance, text: str, source: str = "markdown"
) -> list[Article]:
    """Add the sections and articles of a Markdown text after the instance's articles
    (``source`` says where the text came from, for the audit trail)."""
    ensure_kind(instance, Kind.TEXT)
    if len(text or "") > MAX_TEXT:
        raise ValidationError(_("This text is too long to import."), code="too_long")
    parsed = parse_markdown(text)
    for article in (a for s in parsed for a in s.articles):
        if len(article.title) > 300:
            raise ValidationError(
                _("A heading is too long (300 characters at most): %(title)s")
                % {"title": article.title[:60] + "…"},
                code="title",
            )
    position = Article.objects.filter(instance=instance).count()
    sections = Section.objects.filter(instance=instance).count()
    created = []
    for parsed_section in parsed:
        section = None
        if parsed_section.title:
            section = Section.objects.create(
                instance=instance, title=parsed_section.title[:300], position=sections
            )
            sections += 1
        for parsed_article in parsed_section.articles:
            created.append(
                Article.objects.create(
                    instance=instance,
                    section=section,
                    title=parsed_article.title,
                    body=parsed_article.body,
                    position=position,
                )
            )
            position += 1
    log_action(
        actor=actor,
        code="debates.text.imported",
        target=instance,
        data={"articles": len(created), "source": source},
    )
    return created
