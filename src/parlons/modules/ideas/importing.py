"""Reading the proposal and comment exports of CONSUL and Decidim as rows to import.

The shape of a file is recognised by its header, whatever the separator (``,`` or ``;``):

* CONSUL (Decide Madrid...): the platform's proposals export (``id;title;description;
  cached_votes_up;created_at;retired_at``, sometimes ``summary``, ``comments_count``...)
  and the research exports built from it (``id,code,title,date,summary,text,status,
  numSupports``; comments ``id,parentId,proposalId,date,time,text,numPositiveVotes,
  numNegativeVotes``).
* Decidim open data: ``id;category/id;category/name/fr;...;title;body;votes;created_at``
  (or ``title/fr``, ``body/fr``, ``supports``, ``state``); comments ``id;created_at;body;
  alignment;depth;commentable_id;commentable_type`` (a reply names its parent comment).

Nothing here writes: :func:`read_ideas` and :func:`read_comments` return rows or raise a
``ValidationError`` that names the line and the column.  HTML in the exported texts is
turned into the Markdown that participants write (the site refuses HTML).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from parlons.contributions.text import CONTROL, HTML

TITLE_MAX = 150
BODY_MAX = 20000
MAX_ERRORS = 10
STATES = {
    "accepted": "accepted",
    "rejected": "rejected",
    "evaluating": "under_review",
    "withdrawn": "withdrawn",
    "retired": "withdrawn",
    "implemented": "implemented",
}


@dataclass(frozen=True)
class IdeaRow:
    """One proposal of the file, its text already in Markdown."""

    line: int
    external_id: str
    title: str
    body: str
    created_at: datetime | None
    supports: int
    status: str
    reference: str = ""
    category: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CommentRow:
    """One comment: on an idea (``idea_id``) or a reply to a comment (``parent_id``)."""

    line: int
    external_id: str
    idea_id: str
    parent_id: str
    body: str
    created_at: datetime | None
    alignment: int | None
    up: int
    down: int


class _Markdown(HTMLParser):
    """The text of an HTML fragment as Markdown: paragraphs, emphasis, lists, links."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[str] = []
        self.href: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS or tag == "tr":
            self.out.append("\n\n")
            if tag in ("ul", "ol"):
                self.lists.append(tag)
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n1. " if self.lists[-1:] == ["ol"] else "\n- ")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.href.append(href if re.match(r"^(https?://|mailto:)", href) else "")
            self.out.append("[" if self.href[-1] else "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag == "a" and self.href:
            href = self.href.pop()
            self.out.append(f"]({href})" if href else "")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def markdown_of(text: str) -> str:
    """Exported text as the site keeps it: HTML turned into Markdown, control characters
    removed, no tag left (a ``<`` that would read as one is replaced by ``‹``)."""
    text = CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if HTML.search(text):
        parser = _Markdown()
        parser.feed(text)
        parser.close()
        text = "".join(parser.out).replace("\xa0", " ")
        text = re.sub(r"[ \t]+\n", "\n", text)
        text = re.sub(r"\n{3,}", "\n\n", text)
        while HTML.search(text):
            match = HTML.search(text)
            text = text[: match.start()] + "‹" + text[match.start() + 1 :]
    return text.strip()


def _rows(path: Path) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    """The normalised header and the rows of a CSV file (``,`` or ``;``, UTF-8)."""
    try:
        data = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("%(file)s is not UTF-8 text.") % {"file": Path(path).name}, code="encoding"
        ) from None
    first = data.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(10 * 1024 * 1024)
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]

    def rows():
        for values in reader:
            if any(value.strip() for value in values):
                yield reader.line_num, dict(zip(header, values, strict=False))

    return header, rows()


def _first(row: dict[str, str], names: Iterable[str]) -> str:
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return ""


def _columns(header: list[str], *bases: str) -> list[str]:
    """The columns named ``base`` or ``base/<language>`` (Decidim), in the header's order."""
    return [
        name for base in bases for name in header if name == base or name.startswith(base + "/")
    ]


def _integer(value: str, *, line: int, column: str) -> int:
    value = (value or "0").strip() or "0"
    if not re.fullmatch(r"\d{1,10}", value):
        raise ValidationError(
            _("Line %(line)s: “%(value)s” in the column %(column)s is not a whole number.")
            % {"line": line, "value": value[:40], "column": column},
            code="number",
        )
    return int(value)


DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def _date(value: str, *, line: int, extra: str = "") -> datetime | None:
    """A date of the export: ISO (with or without time and offset) or day/month/year;
    ``extra`` is CONSUL research exports' separate time ("0 days 10:50:19")."""
    value = (value or "").strip()
    if not value:
        return None
    found = None
    for form in (*DATE_FORMATS, "%d/%m/%Y", "%d/%m/%Y %H:%M"):
        try:
            found = datetime.strptime(value.replace(" UTC", " +0000"), form)
            break
        except ValueError:
            continue
    if found is None:
        raise ValidationError(
            _("Line %(line)s: “%(value)s” is not a date.") % {"line": line, "value": value[:40]},
            code="date",
        )
    time = re.fullmatch(r"(?:\d+ days )?(\d{1,2}):(\d{2}):(\d{2})", extra.strip())
    if time:
        found += timedelta(hours=int(time[1]), minutes=int(time[2]), seconds=int(time[3]))
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


def _refuse(errors: list[str]) -> None:
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS]
        if more > 0:
            shown.append(_("… and %(count)s more problems.") % {"count": more})
        raise ValidationError(shown, code="import")


def read_ideas(path: Path) -> list[IdeaRow]:
    """The proposals of a CONSUL or Decidim export; every problem found is named."""
    header, rows = _rows(path)
    titles = _columns(header, "title")
    if "id" not in header or not titles:
        raise ValidationError(
            _(
                "%(file)s is not a proposals export of CONSUL or Decidim: "
                "it needs the columns id and title."
            )
            % {"file": Path(path).name},
            code="shape",
        )
    summaries = _columns(header, "summary")
    bodies = _columns(header, "body", "description", "text")
    supports = next(
        (c for c in ("cached_votes_up", "numsupports", "supports", "votes") if c in header), ""
    )
    categories = [c for c in header if c.startswith("category/name/")]
    found: list[IdeaRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, row in rows:
        try:
            found.append(_idea(line, row, titles, summaries, bodies, supports, categories, seen))
        except ValidationError as error:
            errors.extend(error.messages)
    _refuse(errors)
    return found


def _text(line: int, value: str, *, limit: int, column: str) -> str:
    text = markdown_of(value)
    if len(text) > limit:
        raise ValidationError(
            _("Line %(line)s: the column %(column)s has %(length)s characters, %(limit)s at most.")
            % {"line": line, "column": column, "length": len(text), "limit": limit},
            code="length",
        )
    return text


def _idea(line, row, titles, summaries, bodies, supports, categories, seen) -> IdeaRow:
    external_id = (row.get("id") or "").strip()[:64]
    if not external_id or external_id in seen:
        raise ValidationError(
            _("Line %(line)s: the id “%(id)s” is missing or appears twice.")
            % {"line": line, "id": external_id},
            code="id",
        )
    seen.add(external_id)
    title = _text(line, _first(row, titles), limit=TITLE_MAX, column="title")
    if not title:
        raise ValidationError(
            _("Line %(line)s: the title is empty.") % {"line": line}, code="title"
        )
    parts = [_first(row, summaries), _first(row, bodies)]
    body = _text(line, "\n\n".join(p for p in parts if p), limit=BODY_MAX, column="text")
    state = _first(row, ("state", "status")).lower()
    if _first(row, ("retired_at", "withdrawn_at")):
        state = "withdrawn"
    category = {
        name.rsplit("/", 1)[1][:8]: row[name].strip()[:80]
        for name in categories
        if (row.get(name) or "").strip()
    }
    return IdeaRow(
        line=line,
        external_id=external_id,
        title=title,
        body=body,
        created_at=_date(_first(row, ("created_at", "published_at", "date")), line=line),
        supports=_integer(row.get(supports, ""), line=line, column=supports),
        status=STATES.get(state, "published"),
        reference=_first(row, ("code", "reference"))[:40],
        category=category,
    )


def read_comments(path: Path) -> list[CommentRow]:
    """The comments of a CONSUL or Decidim export; a missing parent reads as none."""
    header, rows = _rows(path)
    ideas = next((c for c in ("proposalid", "proposal_id", "commentable_id") if c in header), "")
    bodies = _columns(header, "body", "text")
    if "id" not in header or not ideas or not bodies:
        raise ValidationError(
            _(
                "%(file)s is not a comments export of CONSUL or Decidim: it needs the columns "
                "id, the proposal's id (proposalId or commentable_id) and the text."
            )
            % {"file": Path(path).name},
            code="shape",
        )
    found: list[CommentRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, row in rows:
        try:
            found.append(_comment(line, row, ideas, bodies, seen))
        except ValidationError as error:
            errors.extend(error.messages)
    _refuse(errors)
    return found


def _comment(line, row, ideas, bodies, seen) -> CommentRow:
    external_id = (row.get("id") or "").strip()[:64]
    if not external_id or external_id in seen:
        raise ValidationError(
            _("Line %(line)s: the id “%(id)s” is missing or appears twice.")
            % {"line": line, "id": external_id},
            code="id",
        )
    seen.add(external_id)
    idea_id, parent_id = (row.get(ideas) or "").strip(), ""
    if "parentid" in row or "parent_id" in row:
        parent_id = _first(row, ("parentid", "parent_id"))
        parent_id = "" if parent_id in ("-1", "0") else parent_id
    elif (row.get("commentable_type") or "").endswith("Comment"):
        idea_id, parent_id = "", idea_id  # a Decidim reply names its parent comment
    alignment = (row.get("alignment") or "").strip()
    up = next((c for c in ("numpositivevotes", "cached_votes_up", "up_votes") if c in row), "")
    down = next(
        (c for c in ("numnegativevotes", "cached_votes_down", "down_votes") if c in row), ""
    )
    return CommentRow(
        line=line,
        external_id=external_id,
        idea_id=idea_id[:64],
        parent_id=parent_id[:64],
        body=_text(line, _first(row, bodies), limit=BODY_MAX, column="text"),
        created_at=_date(
            row.get("created_at") or row.get("date") or "", line=line, extra=row.get("time") or ""
        ),
        alignment=int(alignment) if alignment in ("-1", "0", "1") else None,
        up=_integer(row.get(up, ""), line=line, column=up),
        down=_integer(row.get(down, ""), line=line, column=down),
    )
