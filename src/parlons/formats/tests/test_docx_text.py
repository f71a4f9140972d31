"""Word documents built here with python-docx, read into the Markdown the debates import."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from parlons.formats.docx_text import DocxFormatError, markdown_of_docx


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_headings_paragraphs_formatting_lists_and_tables():
    document = docx.Document()
    document.add_paragraph("Projet de charte", style="Title")
    document.add_heading("Titre Ier", level=1)
    document.add_heading("Article 1", level=2)
    paragraph = document.add_paragraph("Le texte est ")
    paragraph.add_run("gras").bold = True
    paragraph.add_run(" et ")
    paragraph.add_run("italique").italic = True
    paragraph.add_run(" ; ")
    both = paragraph.add_run("les deux")
    both.bold = both.italic = True
    paragraph.add_run(".")
    document.add_paragraph("premier point", style="List Bullet")
    document.add_paragraph("sous-point", style="List Bullet 2")
    document.add_heading("Article 2", level=2)
    document.add_paragraph("un", style="List Number")
    document.add_paragraph("deux", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (row, column), text in {(0, 0): "Année", (0, 1): "Montant", (1, 0): "2027"}.items():
        table.cell(row, column).text = text
    table.cell(1, 1).add_paragraph().add_run("10 €").bold = True

    assert markdown_of_docx(_bytes(document)) == (
        "Projet de charte\n\n# Titre Ier\n\n## Article 1\n\n"
        "Le texte est **gras** et *italique* ; ***les deux***.\n\n"
        "- premier point\n    - sous-point\n\n## Article 2\n\n1. un\n1. deux\n\n"
        "| Année | Montant |\n| --- | --- |\n| 2027 | **10 €** |\n"
    )


def test_literal_markdown_stays_literal_and_line_breaks_are_kept():
    document = docx.Document()
    document.add_heading("Article 1", level=1)
    document.add_paragraph("# pas un titre")
    document.add_paragraph("1. pas une liste, * ni _ ni <b>")
    paragraph = document.add_paragraph("ligne un")
    paragraph.add_run().add_break()
    paragraph.add_run("ligne deux")
    markdown = markdown_of_docx(_bytes(document))
    assert "\\# pas un titre" in markdown
    assert "1\\. pas une liste, \\* ni \\_ ni &lt;b>" in markdown
    assert "ligne un  \nligne deux" in markdown


def test_a_custom_style_based_on_a_heading_is_a_heading():
    document = docx.Document()
    style = document.styles.add_style("Article", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Heading 2"]
    document.add_paragraph("Article premier", style="Article")
    document.add_paragraph("Texte.")
    assert markdown_of_docx(_bytes(document)) == "## Article premier\n\nTexte.\n"


@pytest.mark.parametrize(
    "data",
    [
        b"plain text, not a document",
        b"PK\x03\x04 truncated",
        b"",
    ],
)
def test_what_is_not_a_docx_is_refused(data):
    with pytest.raises(DocxFormatError) as caught:
        markdown_of_docx(data)
    assert caught.value.code == "not_docx"


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("votes.csv", "a,b\n")
    with pytest.raises(DocxFormatError) as caught:
        markdown_of_docx(buffer.getvalue())
    assert caught.value.code == "not_docx"


def test_a_document_without_headings_is_refused():
    document = docx.Document()
    document.add_paragraph("Article 1 written as plain text.")
    with pytest.raises(DocxFormatError) as caught:
        markdown_of_docx(_bytes(document))
    assert caught.value.code == "no_headings"
