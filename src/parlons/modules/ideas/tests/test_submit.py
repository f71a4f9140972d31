"""Submitting and editing ideas; malformed input gets a clear error and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parlons.contributions.models import Attachment, Location, PendingCount, Report, Support
from parlons.contributions.services import do_support
from parlons.core.audit.models import AuditEntry
from parlons.modules.ideas.models import Idea
from parlons.modules.ideas.tests.fixtures import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _kwargs(box):
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }


def _new(box, language="fr"):
    return f"/{language}/{box.organisation.slug}/{box.process.slug}/ideas/{box.instance.slug}/new/"


def _snapshot():
    return (
        Idea.objects.count(),
        Attachment.objects.count(),
        Location.objects.count(),
        AuditEntry.objects.count(),
        PendingCount.objects.count(),
    )


VALID = {
    "title": "Des toilettes publiques au parc",
    "body": "Il n'y en a aucune à moins de 800 m des jeux d'enfants.",
    "publish": "1",
}


def test_an_idea_with_an_image_and_a_location_is_published(
    client, idea_box, make_participant, make_category
):
    from parlons.core.processes.models import Area

    area = Area.objects.create(organisation=idea_box.organisation, code="nord", name={"fr": "Nord"})
    category = make_category(idea_box)
    author = make_participant()
    client.force_login(author)
    response = client.post(
        _new(idea_box),
        {
            **VALID,
            "category": category.pk,
            "area": area.pk,
            "address": "Parc des Sports",
            "latitude": "45.2",
            "longitude": "5.7",
            "attachments": [upload("parc.jpg", image_bytes(size=(300, 200)))],
            "attachment_description": "Le parc vu de l'entrée",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ideas:idea", kwargs={**_kwargs(idea_box), "pk": idea.pk}
    )
    assert (idea.title, idea.author, idea.category, idea.area, idea.language) == (
        VALID["title"],
        author,
        category,
        area,
        "fr",
    )
    assert Attachment.objects.get().title == "Le parc vu de l'entrée"
    location = Location.objects.get()
    assert (str(location.latitude), location.address, location.area) == (
        "45.200000",
        "Parc des Sports",
        area,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Votre idée est publiée." in page
    assert 'alt="Le parc vu de l&#x27;entrée"' in page


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"attachments": [upload("photo.jpg", b"GIF89a not an image at all" * 20)]},
            "attachments",
            "photo.jpg n'est pas un fichier accepté : envoyez une image JPEG, PNG ou WebP, "
            "ou un document PDF.",
        ),
        (
            {"attachments": [upload("grande.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1))]},
            "attachments",
            "grande.jpg est trop volumineux : 5 Mo au plus.",
        ),
        (
            {"body": "Mon idée <script>alert('x')</script> est géniale, vraiment."},
            "body",
            "Le HTML n'est pas accepté : écrivez du texte simple, avec Markdown pour la mise en "
            "valeur (**gras**, *italique*), les listes et les liens ([texte](https://…)).",
        ),
        (
            {"title": "<b>Un titre en gras</b>"},
            "title",
            "Le HTML n'est pas accepté : écrivez du texte simple, avec Markdown pour la mise en "
            "valeur (**gras**, *italique*), les listes et les liens ([texte](https://…)).",
        ),
        (
            {"category": "999999"},
            "category",
            "Cette catégorie n'existe pas dans cette boîte à idées.",
        ),
        ({"title": "Ah"}, "title", "Écrivez au moins 5 caractères."),
        (
            {"latitude": "45.2"},
            None,
            "Indiquez la latitude et la longitude, ou aucune des deux.",
        ),
    ],
)
def test_malformed_input_is_refused_in_the_users_language_and_changes_nothing(
    client, idea_box, make_participant, make_category, extra, field, message
):
    make_category(idea_box)
    client.force_login(make_participant())
    before = _snapshot()
    response = client.post(_new(idea_box), {**VALID, **extra})
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors == [message], form.errors
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert _snapshot() == before


def test_the_same_refusal_reads_in_german(client, idea_box, make_participant):
    client.force_login(make_participant(language="de"))
    response = client.post(_new(idea_box, "de"), {**VALID, "body": "Text <img src=x>"})
    assert response.context["form"].errors["body"][0].startswith("HTML wird nicht akzeptiert")
    assert Idea.objects.count() == 0


def test_submitting_outside_the_phase_is_refused(client, make_idea_box, make_participant):
    box = make_idea_box(when="after")
    client.force_login(make_participant())
    response = client.post(_new(box), VALID)
    assert response.status_code == 403
    assert "Ce n&#x27;est pas ouvert en ce moment." in response.content.decode()
    assert Idea.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, idea_box):
    response = client.get(_new(idea_box))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_limit_of_ideas_per_participant(client, make_idea_box, make_participant):
    box = make_idea_box(settings={"max_ideas_per_participant": 1})
    client.force_login(make_participant())
    assert client.post(_new(box), VALID).status_code == 302
    response = client.post(_new(box), {**VALID, "title": "Une seconde idée"})
    assert response.status_code == 403
    assert "Cette boîte à idées accepte 1 idée par participant." in response.content.decode()
    assert Idea.objects.count() == 1


def test_spam_words_send_the_idea_to_the_moderators(client, idea_box, make_participant):
    client.force_login(make_participant())
    client.post(_new(idea_box), {**VALID, "body": "Visitez notre casino en ligne, bonus garanti !"})
    idea = Idea.objects.get()
    assert idea.hidden_at is not None
    assert Report.objects.get().automatic is True
    listing = client.get(
        f"/fr/{idea_box.organisation.slug}/{idea_box.process.slug}/ideas/{idea_box.instance.slug}/"
    )
    assert idea.title not in listing.content.decode()


def test_a_preview_renders_the_text_and_similar_ideas_without_saving(
    client, idea_box, make_idea, make_participant
):
    make_idea(idea_box, title="Des toilettes sèches au parc de la Mairie")
    client.force_login(make_participant())
    response = client.post(
        _new(idea_box), {**VALID, "body": "**Urgent** : des toilettes.", "preview": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Urgent</strong>" in page
    assert "Des toilettes sèches au parc de la Mairie" in page
    assert Idea.objects.count() == 1


def test_the_author_edits_until_the_first_support(client, idea_box, make_idea, make_participant):
    author = make_participant()
    idea = make_idea(idea_box, author=author)
    url = reverse("ideas:edit", kwargs={**_kwargs(idea_box), "pk": idea.pk})
    client.force_login(make_participant())
    assert client.get(url).status_code == 403  # not the author
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.post(url, {**VALID, "title": "Un titre plus précis"})
    idea.refresh_from_db()
    assert (idea.title, idea.edited_at is not None) == ("Un titre plus précis", True)

    do_support(person=make_participant(), obj=idea)
    response = client.post(url, {**VALID, "title": "Encore changé"})
    assert response.status_code == 403
    assert "Cette idée a maintenant des soutiens" in response.content.decode()
    idea.refresh_from_db()
    assert idea.title == "Un titre plus précis"


def test_files_added_on_edit_count_against_the_limit(
    client, make_idea_box, make_idea, make_participant
):
    box = make_idea_box(settings={"attachments_max": 1})
    author = make_participant()
    idea = make_idea(box, author=author)
    Attachment.objects.create(
        instance=box.instance,
        target_type="ideas.idea",
        target_id=idea.pk,
        kind="document",
        file="x.pdf",
        content_type="application/pdf",
        size=10,
    )
    client.force_login(author)
    url = reverse("ideas:edit", kwargs={**_kwargs(box), "pk": idea.pk})
    response = client.post(
        url, {**VALID, "attachments": [upload("b.pdf", pdf_bytes(), "application/pdf")]}
    )
    assert response.context["form"].errors["attachments"] == ["1 fichier au plus."]
    assert Attachment.objects.count() == 1


def test_the_author_withdraws_an_idea(client, idea_box, make_idea, make_participant):
    author = make_participant()
    idea = make_idea(idea_box, author=author)
    client.force_login(author)
    client.post(reverse("ideas:withdraw", kwargs={**_kwargs(idea_box), "pk": idea.pk}))
    idea.refresh_from_db()
    assert idea.status == "withdrawn"
    supporter = make_participant()
    with pytest.raises(Exception, match="withdrawn|retirée"):
        do_support(person=supporter, obj=idea)
    assert Support.objects.count() == 0
