"""A Word document (``.docx``) as the Markdown text the debates module imports.

Headings (the built-in *Heading 1* … *Heading 9* styles, a style based on one of them, or
any paragraph with an outline level) become ``#`` … ``######`` lines, so the Markdown
path decides sections and articles the same way for both. Paragraphs become Markdown
paragraphs; bulleted and numbered lists become ``-`` and ``1.`` items (nested by their
list level); tables become Markdown tables; bold and italic (direct or from a character
style) become ``**`` and ``*``; hyperlinks to http(s) or mailto become Markdown links.
Text that would read as Markdown is escaped, so a literal ``*`` or ``# `` stays literal.
Headers, footers, footnotes, comments and images are left out.

Pure Python on top of python-docx; errors raise ``DocxFormatError`` with a ``code``
(``not_docx``, ``too_large``, ``no_headings``) that callers turn into their own message.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from lxml import etree

MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024
HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")
LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s|$))")
NUMBER_START = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
LIST_STYLE = re.compile(r"^list (?:bullet|number|continue)\s+([2-9])$", re.IGNORECASE)
LINK_SCHEMES = ("http://", "https://", "mailto:")


class DocxFormatError(ValueError):
    """The bytes are not a usable Word document; ``code`` says why."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code


@dataclass
class _Segment:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


def looks_like_docx(data: bytes) -> bool:
    """Whether the bytes start like a ZIP archive (what every .docx is)."""
    return data[:4] == b"PK\x03\x04"


def markdown_of_docx(data: bytes) -> str:
    """The Markdown text of a Word document, headings as ``#`` lines."""
    if len(data) > MAX_BYTES:
        raise DocxFormatError("too_large")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise DocxFormatError("too_large")
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except DocxFormatError:
        raise
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError, etree.XMLSyntaxError) as error:
        raise DocxFormatError("not_docx", str(error)) from None
    if not any(block.startswith("#") for block, _ in blocks):
        raise DocxFormatError("no_headings")
    out: list[str] = []
    previous_item = False
    for block, is_item in blocks:
        if out:
            out.append("\n" if is_item and previous_item else "\n\n")
        out.append(block)
        previous_item = is_item
    return "".join(out).strip() + "\n"


def _blocks(document) -> Iterator[tuple[str, bool]]:
    """(Markdown block, whether it is a list item) for each non-empty body block."""
    numbering = _Numbering(document)
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            table = _table(item)
            if table:
                yield table, False
            continue
        level = _heading_level(item)
        if level is not None:
            title = " ".join(item.text.split())
            if title:
                yield "#" * min(level, 6) + " " + title, False
            continue
        text = _inline(item)
        if not text.strip():
            continue
        marker = numbering.marker(item)
        if marker is None:
            yield _escape_line_starts(text), False
        else:
            depth, bullet = marker
            indent = "    " * depth
            lines = _escape_line_starts(text).split("\n")
            body = ("\n" + indent + "    ").join(lines)
            yield f"{indent}{bullet} {body}", True


def _style_chain(style) -> Iterator:
    seen = 0
    while style is not None and seen < 20:
        yield style
        style = style.base_style
        seen += 1


def _outline_level(p_pr) -> int | None:
    if p_pr is None:
        return None
    element = p_pr.find(qn("w:outlineLvl"))
    if element is None:
        return None
    value = int(element.get(qn("w:val"), "9"))
    return value + 1 if 0 <= value < 9 else None


def _heading_level(paragraph: Paragraph) -> int | None:
    direct = _outline_level(paragraph._p.pPr)
    if direct is not None:
        return direct
    for style in _style_chain(paragraph.style):
        match = HEADING_NAME.match(style.name or "")
        if match:
            return int(match[1])
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level
    return None


class _Numbering:
    """Which paragraphs are list items, their depth and whether they are numbered."""

    def __init__(self, document) -> None:
        try:
            self.root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self.root = None

    def marker(self, paragraph: Paragraph) -> tuple[int, str] | None:
        num_pr = None
        p_pr = paragraph._p.pPr
        if p_pr is not None:
            num_pr = p_pr.find(qn("w:numPr"))
        style_depth = 0
        if num_pr is None:
            for style in _style_chain(paragraph.style):
                s_pr = style.element.pPr
                if s_pr is not None and (num_pr := s_pr.find(qn("w:numPr"))) is not None:
                    # "List Bullet 2", "List Number 3": Word's deeper list styles.
                    named = LIST_STYLE.match(style.name or "")
                    style_depth = int(named[1]) - 1 if named else 0
                    break
        if num_pr is None:
            return None
        num_id = _val(num_pr.find(qn("w:numId")))
        depth = int(_val(num_pr.find(qn("w:ilvl"))) or 0) + style_depth
        if num_id in (None, "0"):
            return None
        return min(depth, 8), ("-" if self._format(num_id, depth) in ("bullet", "none") else "1.")

    def _format(self, num_id: str, depth: int) -> str:
        if self.root is None:
            return "bullet"
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        abstract = self.root.xpath(f'./w:num[@w:numId="{int(num_id)}"]/w:abstractNumId/@w:val')
        if not abstract:
            return "bullet"
        formats = self.root.xpath(
            f'./w:abstractNum[@w:abstractNumId="{int(abstract[0])}"]'
            f'/w:lvl[@w:ilvl="{depth}"]/w:numFmt'
        )
        return formats[0].get(w + "val", "bullet") if formats else "bullet"


def _val(element) -> str | None:
    return None if element is None else element.get(qn("w:val"))


def _flag(run, name: str) -> bool:
    value = getattr(run.font, name)
    if value is None:
        for style in _style_chain(run.style):
            value = getattr(style.font, name)
            if value is not None:
                break
    return bool(value)


def _segments(paragraph: Paragraph) -> Iterator[_Segment]:
    for part in paragraph.iter_inner_content():
        if isinstance(part, Hyperlink):
            address = part.address or ""
            href = address if address.startswith(LINK_SCHEMES) else ""
            for run in part.runs:
                yield _Segment(run.text, _flag(run, "bold"), _flag(run, "italic"), href)
        else:
            yield _Segment(part.text, _flag(part, "bold"), _flag(part, "italic"))


def _inline(paragraph: Paragraph) -> str:
    merged: list[_Segment] = []
    for segment in _segments(paragraph):
        text = segment.text.replace("\t", " ").replace("\r", "")
        if not text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.href) == (
            segment.bold,
            segment.italic,
            segment.href,
        ):
            last.text += text
        else:
            merged.append(_Segment(text, segment.bold, segment.italic, segment.href))
    lines = "".join(_render(segment) for segment in merged).split("\n")
    return "  \n".join(line.rstrip() for line in lines).strip()


def _render(segment: _Segment) -> str:
    pieces = []
    for line in segment.text.split("\n"):
        stripped = line.strip()
        if not stripped:
            pieces.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()) :]
        text = _escape(stripped)
        mark = "*" * ((2 if segment.bold else 0) + (1 if segment.italic else 0))
        text = f"{mark}{text}{mark}"
        if segment.href:
            text = f"[{text}]({segment.href.replace(')', '%29').replace(' ', '%20')})"
        pieces.append(lead + text + trail)
    return "\n".join(pieces)


def _escape(text: str) -> str:
    return INLINE_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def _escape_line_starts(text: str) -> str:
    return "\n".join(
        NUMBER_START.sub(r"\1\\\2", LINE_START.sub(r"\1\\\2", line)) for line in text.split("\n")
    )


def _table(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = [
            " ".join(_inline(p).replace("  \n", " ") for p in cell.paragraphs).strip()
            for cell in row.cells
        ]
        rows.append([cell.replace("|", "\\|") or " " for cell in cells])
    if not rows or not any(c.strip() for row in rows for c in row):
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [" "] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)
