import csv
import datetime
import io
import tracemalloc
import zipfile
from collections.abc import Iterator

import openpyxl
import pytest

from parlons.formats.tabular import CHUNK_BYTES, Sheet, iter_csv, iter_xlsx

ROWS = [
    [1, "Oui", 2.5, True, None],
    [2, '=HYPERLINK("http://evil")', float("nan"), False, datetime.date(2026, 3, 9)],
    [3, "ligne\nsuivante, « guillemets » \x01", -4, None, "-5"],
]
HEADER = ["id", "réponse", "note", "consent", "date"]


def _responses(count: int, consumed: list[int]) -> Iterator[list]:
    for index in range(count):
        consumed[0] = index + 1
        yield [index, f"answer {index} " * 3, index / 7, index % 2 == 0, "texte libre é"]


def test_csv_round_trips_and_defuses_formulas() -> None:
    data = b"".join(iter_csv(header=HEADER, rows=ROWS))

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        HEADER,
        ["1", "Oui", "2.5", "True", ""],
        ["2", '\'=HYPERLINK("http://evil")', "", "False", "2026-03-09"],
        ["3", "ligne\nsuivante, « guillemets » \x01", "-4", "", "'-5"],
    ]


def test_csv_streams_in_bounded_chunks() -> None:
    consumed = [0]
    chunks = iter_csv(header=["a"] * 5, rows=_responses(50_000, consumed), byte_order_mark=False)

    first = next(chunks)
    assert consumed[0] < 50_000  # the first bytes leave before the rows are all read
    sizes = [len(first), *(len(c) for c in chunks)]
    assert max(sizes) < CHUNK_BYTES + 1024
    assert len(sizes) > 10


def test_xlsx_opens_in_openpyxl_with_values_and_types() -> None:
    codebook = Sheet(name="Codebook", header=["code", "label"], rows=[[1, "Oui"], [2, "Non"]])
    data = b"".join(iter_xlsx(sheets=[Sheet(name="Réponses", header=HEADER, rows=ROWS), codebook]))

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Réponses", "Codebook"]
    values = [list(row) for row in workbook["Réponses"].iter_rows(values_only=True)]
    assert values == [
        HEADER,
        [1, "Oui", 2.5, True, None],
        [2, '\'=HYPERLINK("http://evil")', None, False, "2026-03-09"],
        [3, "ligne\nsuivante, « guillemets » ", -4, None, "'-5"],
    ]
    assert workbook["Réponses"]["A1"].font.b
    assert [list(r) for r in workbook["Codebook"].iter_rows(values_only=True)][1:] == [
        [1, "Oui"],
        [2, "Non"],
    ]


def _peak_memory_of_xlsx(count: int) -> tuple[int, int]:
    consumed = [0]
    sheet = Sheet(name="Responses", header=list("abcde"), rows=_responses(count, consumed))
    tracemalloc.start()
    try:
        chunks = iter_xlsx(sheets=[sheet])
        first = next(chunks)
        assert consumed[0] < count  # bytes leave before all rows are read
        total = len(first) + sum(len(c) for c in chunks)
        return total, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_streams_in_constant_memory() -> None:
    small_size, small_peak = _peak_memory_of_xlsx(5_000)
    large_size, large_peak = _peak_memory_of_xlsx(40_000)

    assert large_size > 7 * small_size
    assert large_peak < 1.5 * small_peak  # eight times the rows, about the same memory
    assert large_peak < 1_500_000


def test_xlsx_package_parts_are_complete() -> None:
    data = b"".join(iter_xlsx(sheets=[Sheet(name="S", header=["x"], rows=[[1]])]))

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "[Content_Types].xml"
    assert set(names) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    }


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["a/b"], "must be 1-31 characters"),
        (["x" * 32], "must be 1-31 characters"),
        (["Data", "data"], "used twice"),
        ([], "at least one sheet"),
    ],
)
def test_bad_sheet_names_are_refused_before_any_byte(names: list[str], message: str) -> None:
    sheets = [Sheet(name=n, header=["x"], rows=[]) for n in names]

    with pytest.raises(ValueError, match=message):
        next(iter_xlsx(sheets=sheets))


def test_row_longer_than_the_header_is_refused() -> None:
    with pytest.raises(ValueError, match="row 2 has 2 cells for 1 columns"):
        b"".join(iter_xlsx(sheets=[Sheet(name="S", header=["x"], rows=[[1, 2]])]))
