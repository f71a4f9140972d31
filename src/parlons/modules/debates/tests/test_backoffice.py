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
