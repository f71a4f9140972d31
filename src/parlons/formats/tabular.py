"""Streaming CSV and XLSX writers: rows in, byte chunks out, in constant memory.

Both yield ``bytes`` as rows arrive, for a streaming HTTP response or a file, so an
export of 100,000 responses never holds the whole file. The XLSX writer produces the
minimal SpreadsheetML package of ECMA-376 Part 1 (workbook, worksheets with inline
strings, one style for the header) through :mod:`zipfile` on a non-seekable sink, the
way ``zipstream`` and Excel's own "data descriptor" entries work; openpyxl reads it back
in the tests.

Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are prefixed
with ``'`` (OWASP "CSV injection") unless ``escape_formulas=False``: exported answers are
participants' text and must not run as spreadsheet formulas.
"""

import csv
import datetime
import io
import math
import numbers
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

type Cell = str | int | float | bool | datetime.date | None

CHUNK_BYTES = 64 * 1024
MAX_XLSX_ROWS = 1_048_576
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry at all; they are dropped from XLSX text.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet: a name (at most 31 characters), a header and rows of cells."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def iter_csv(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    delimiter: str = ",",
    byte_order_mark: bool = True,
    escape_formulas: bool = True,
) -> Iterator[bytes]:
    """UTF-8 CSV in chunks of about 64 KiB; the byte-order mark lets Excel see UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if byte_order_mark:
        buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell, escape_formulas) for cell in row])
        if buffer.tell() >= CHUNK_BYTES:
            yield _drain_text(buffer)
    yield _drain_text(buffer)


def iter_xlsx(*, sheets: Sequence[Sheet], escape_formulas: bool = True) -> Iterator[bytes]:
    """An XLSX workbook in chunks; each sheet's rows are consumed once, as they stream.

    A worksheet's XML is limited to 2 GiB before compression (some 20 million cells):
    entries are written without ZIP64 extensions, which some spreadsheet readers refuse.
    """
    names: list[str] = []
    for sheet in sheets:
        names.append(_check_sheet_name(sheet.name, names))
    if not names:
        raise ValueError("a workbook needs at least one sheet")
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as package:
        for part, text in _package_parts(names).items():
            package.writestr(part, text)
        for number, sheet in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", mode="w") as entry:
                for chunk in _sheet_xml(sheet, escape_formulas):
                    entry.write(chunk)
                    yield from sink.drain(minimum=CHUNK_BYTES)
    yield from sink.drain(minimum=0)


def _csv_cell(cell: Cell, escape_formulas: bool) -> Cell:
    kind = type(cell)
    if kind is int or kind is bool or cell is None:  # the common cases first: exports are big
        return cell
    if kind is str:
        return "'" + cell if escape_formulas and cell.startswith(FORMULA_STARTS) else cell
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, numbers.Real) and not math.isfinite(cell):
        return ""  # a missing number, not the text "nan"
    return cell


def _drain_text(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


class _Sink(io.RawIOBase):
    """A write-only, non-seekable file that zipfile writes into and we empty as we go."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        return len(data)

    def drain(self, *, minimum: int) -> Iterator[bytes]:
        if self._buffer and len(self._buffer) >= minimum:
            data = bytes(self._buffer)
            self._buffer.clear()
            yield data


def _check_sheet_name(name: str, taken: list[str]) -> str:
    if not name or len(name) > 31 or SHEET_NAME_FORBIDDEN.search(name):
        raise ValueError(f"sheet name {name!r} must be 1-31 characters without []:*?/\\")
    if name.lower() in (n.lower() for n in taken):
        raise ValueError(f"sheet name {name!r} is used twice")
    return name


def _sheet_xml(sheet: Sheet, escape_formulas: bool) -> Iterator[bytes]:
    columns = _column_letters(len(sheet.header))
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1">'
        + "".join(
            _xml_cell(f"{c}1", h, False, style=1)
            for c, h in zip(columns, sheet.header, strict=True)
        )
        + "</row>"
    ).encode()
    parts: list[str] = []
    for number, row in enumerate(sheet.rows, start=2):
        if number > MAX_XLSX_ROWS:
            raise ValueError(f"a worksheet holds at most {MAX_XLSX_ROWS:,} rows")
        if len(row) > len(columns):
            raise ValueError(f"row {number} has {len(row)} cells for {len(columns)} columns")
        cells = (
            _xml_cell(f"{c}{number}", v, escape_formulas)
            for c, v in zip(columns, row, strict=False)
        )
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(parts) >= 256:
            yield "".join(parts).encode()
            parts.clear()
    yield ("".join(parts) + "</sheetData></worksheet>").encode()


def _xml_cell(reference: str, value: Cell, escape_formulas: bool, style: int = 0) -> str:
    s = f' s="{style}"' if style else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Integral):
        return f'<c r="{reference}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            return ""  # NaN and infinities have no spreadsheet value: leave the cell empty
        return f'<c r="{reference}"{s}><v>{float(value)!r}</v></c>'
    text = _csv_cell(value, escape_formulas)
    text = XML_ILLEGAL.sub("", str(text))
    return f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, remainder = divmod(index - 1, 26)
            name = chr(65 + remainder) + name
        letters.append(name)
    return letters


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}"><fonts count="2"><font><sz val="11"/></font>'
    '<font><b/><sz val="11"/></font></fonts><fills count="1"><fill><patternFill '
    'patternType="none"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/>'
    '<xf fontId="1" applyFont="1"/></cellXfs><cellStyles count="1">'
    '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _package_parts(names: list[str]) -> dict[str, str]:
    numbered = list(enumerate(names, start=1))
    sheets = "".join(
        f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>' for i, n in numbered
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i, _ in numbered
    )
    styles_rel = (
        f'<Relationship Id="rId{len(names) + 1}" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{OFFICE}.worksheet+xml"/>'
        for i, _ in numbered
    )
    return {
        "[Content_Types].xml": (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "xl/workbook.xml": f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{HEAD}<Relationships xmlns="{RELS}">{sheet_rels}{styles_rel}</Relationships>',
        "xl/styles.xml": STYLES,
        "_rels/.rels": (
            f'{HEAD}<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
    }
