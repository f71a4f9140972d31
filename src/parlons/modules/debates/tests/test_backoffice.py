"""The organisers' page of each kind: import a text, add a question, seed and moderate."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def address(debate) -> str:
    i = debate.instance
    return f"/en/backoffice/{debate.organisation.slug}/processes/{debate.process.slug}/debates/{i.slug}/"


def test_organisers_import_a_text_and_answer_articles(client, make_debate, make_member):
    from parlons.modules.debates.models import Article, Section

    debate = make_debate()
    client.force_login(make_member(debate.organisation, role="evaluator"))
    assert client.get(address(debate)).status_code == 200
    client.post(address(debate), {"form": "text", "text": "# Titre\n## Article 1\nUn."})
    assert (Section.objects.count(), Article.objects.count()) == (1, 1)
    response = client.post(address(debate), {"form": "text", "text": "sans titres"}, follow=True)
    assert "The text has no headings" in response.text
    assert Article.objects.count() == 1
    assert "Answer this article" in client.get(address(debate)).text


def test_participants_do_not_reach_the_back_office(client, make_debate, make_participant):
    debate = make_debate()
    client.force_login(make_participant())
    assert client.get(address(debate)).status_code == 404


def test_questions_and_statements_from_the_back_office(
    client, make_debate, make_member, make_participant
):
    from parlons.modules.debates.models import Question, Statement
    from parlons.modules.debates.services.statements import do_submit_statement

    question = make_debate("question")
    client.force_login(make_member(question.organisation, role="moderator"))
    client.post(address(question), {"form": "question", "title": "Un centre sans voitures ?"})
    assert Question.objects.get().title == "Un centre sans voitures ?"

    debate = make_debate("map")
    client.force_login(make_member(debate.organisation, role="moderator"))
    client.post(address(debate), {"form": "statement", "body": "Plus de bancs publics."})
    waiting = do_submit_statement(
        person=make_participant(), instance=debate.instance, body="Moins de voitures."
    )
    assert "Moins de voitures." in client.get(address(debate)).text
    client.post(address(debate), {"form": "moderate", "pk": waiting.pk, "decision": "accept"})
    assert sorted(Statement.objects.values_list("status", flat=True)) == ["accepted", "accepted"]


def test_a_polis_zip_is_imported_from_the_back_office(client, make_debate, make_member):
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from parlons.modules.debates.models import MapState, Statement
    from parlons.testing.data import shared_data

    directory = shared_data("polis", "scoop-hivemind.ubi")
    debate = make_debate("map")
    client.force_login(make_member(debate.organisation, role="moderator"))
    bad = SimpleUploadedFile("x.zip", b"not a zip", content_type="application/zip")
    response = client.post(address(debate), {"form": "polis", "file": bad}, follow=True)
    assert "This is not a ZIP file." in response.text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.glob("*.csv")):
            archive.write(path, arcname=f"export/{path.name}")
    upload = SimpleUploadedFile("scoop.zip", buffer.getvalue(), content_type="application/zip")
    response = client.post(address(debate), {"form": "polis", "file": upload}, follow=True)
    assert "The conversation was imported." in response.text
    assert Statement.objects.filter(instance=debate.instance).count() == 71
    assert MapState.objects.get(instance=debate.instance).result["groups"]


def _docx(build) -> bytes:
    import io

    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _charter(document) -> None:
    document.add_paragraph("Charte de la participation", style="Title")
    document.add_heading("Titre Ier — Principes", level=1)
    document.add_heading("Article 1", level=2)
    paragraph = document.add_paragraph("Chaque habitant ")
    paragraph.add_run("peut").bold = True
    paragraph.add_run(" proposer un ")
    paragraph.add_run("projet").italic = True
    paragraph.add_run(".")
    document.add_heading("Article 2", level=2)
    document.add_paragraph("Les projets sont :")
    document.add_paragraph("publiés", style="List Bullet")
    document.add_paragraph("votés", style="List Bullet")
    document.add_heading("Titre II — Suivi", level=1)
    document.add_heading("Article 3", level=2)
    document.add_paragraph("Le suivi est public.")


def test_organisers_import_a_word_document(client, make_debate, make_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parlons.core.audit.models import AuditEntry
    from parlons.lib.markdown import render
    from parlons.modules.debates.models import Article, Section

    debate = make_debate()
    client.force_login(make_member(debate.organisation, role="moderator"))
    page = client.get(address(debate)).text
    assert ".docx" in page
    upload = SimpleUploadedFile("charte.docx", _docx(_charter))
    response = client.post(address(debate), {"form": "text", "file": upload}, follow=True)
    assert "The text was imported." in response.text
    assert list(Section.objects.order_by("position").values_list("title", flat=True)) == [
        "Titre Ier — Principes",
        "Titre II — Suivi",
    ]
    articles = list(Article.objects.order_by("position").select_related("section"))
    assert [(a.section.title[:9], a.title, a.position) for a in articles] == [
        ("Titre Ier", "Article 1", 0),
        ("Titre Ier", "Article 2", 1),
        ("Titre II ", "Article 3", 2),
    ]
    assert articles[0].body == "Chaque habitant **peut** proposer un *projet*."
    assert "<strong>peut</strong>" in render(articles[0].body)
    assert articles[1].body == "Les projets sont :\n\n- publiés\n- votés"
    assert "<li>votés</li>" in render(articles[1].body)
    entry = AuditEntry.objects.get(code="debates.text.imported")
    assert entry.data == {"articles": 3, "source": "docx"}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("charte.docx", b"PK\x03\x04 damaged", "This file is not a Word document (.docx)"),
        ("charte.docx", b"just text", "This file is not a Word document (.docx)"),
        (
            "charte.doc",
            b"\xd0\xcf\x11\xe0\x00\x00",
            "Choose a Markdown (.md, .txt) or Word (.docx)",
        ),
        ("vide.docx", None, "The document has no headings"),
    ],
)
def test_a_refused_word_document_saves_nothing(
    client, make_debate, make_member, name, data, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parlons.modules.debates.models import Article, Section

    if data is None:
        data = _docx(lambda document: document.add_paragraph("Article 1 sans style de titre."))
    debate = make_debate()
    client.force_login(make_member(debate.organisation, role="moderator"))
    upload = SimpleUploadedFile(name, data)
    response = client.post(address(debate), {"form": "text", "file": upload}, follow=True)
    assert message in response.text
    assert "The text was imported." not in response.text
    assert (Section.objects.count(), Article.objects.count()) == (0, 0)


def test_a_markdown_file_is_still_imported(client, make_debate, make_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parlons.modules.debates.models import Article

    debate = make_debate()
    client.force_login(make_member(debate.organisation, role="moderator"))
    upload = SimpleUploadedFile("texte.md", b"## Article 1\nUn **mot**.")
    response = client.post(address(debate), {"form": "text", "file": upload}, follow=True)
    assert "The text was imported." in response.text
    assert Article.objects.get().body == "Un **mot**."


def test_the_refusal_of_a_word_document_is_translated(client, make_debate, make_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    debate = make_debate()
    client.force_login(make_member(debate.organisation, role="moderator"))
    upload = SimpleUploadedFile("charte.docx", b"PK\x03\x04 damaged")
    french = address(debate).replace("/en/", "/fr/", 1)
    response = client.post(french, {"form": "text", "file": upload}, follow=True)
    assert "Ce fichier n’est pas un document Word (.docx) ou il est endommagé." in response.text
