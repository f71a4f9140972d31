"""Done-when 5 through the pages: oversized or fake images, HTML or script in a text, a
category of another idea box, a support outside the phase and a second support each get
a clear message in the visitor's language, and change nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from parlons.contributions.models import Attachment, Comment, PendingCount, Support
from parlons.core.audit.models import AuditEntry
from parlons.modules.ideas.models import Idea
from parlons.modules.ideas.tests.fixtures import upload

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Un composteur de quartier",
    "body": "Au square Dupleix, à côté des jardinières, pour les épluchures.",
    "publish": "1",
}


def _kw(box) -> dict:
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }


def _snapshot():
    return (
        Idea.objects.count(),
        Comment.objects.count(),
        Support.objects.count(),
        Attachment.objects.count(),
        PendingCount.objects.count(),
        AuditEntry.objects.count(),
    )


def _noise_png(side: int) -> bytes:
    """A real PNG that compresses badly (random pixels): about 3 bytes per pixel."""
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        (
            "plan.png",
            b"<script>alert(document.cookie)</script>" * 10,
            "image/png",
            "plan.png n'est pas un fichier accepté : envoyez une image JPEG, PNG ou WebP, "
            "ou un document PDF.",
        ),
        (
            "photo.jpg",
            b"%PDF-1.4 a document renamed as a photo",
            "image/jpeg",
            "photo.jpg n'est pas un fichier accepté : envoyez une image JPEG, PNG ou WebP, "
            "ou un document PDF.",
        ),
        ("grande.png", None, "image/png", "grande.png est trop volumineux : 1 Mo au plus."),
    ],
)
def test_a_fake_or_oversized_image_is_refused_and_nothing_is_written(
    client, make_idea_box, make_participant, name, content, kind, message
):
    box = make_idea_box(settings={"attachment_max_mb": 1})
    content = content if content is not None else _noise_png(700)  # a real image of ~1.5 MB
    client.force_login(make_participant())
    before = _snapshot()
    response = client.post(
        reverse("ideas:new", kwargs=_kw(box)),
        {**VALID, "attachments": [upload(name, content, kind)]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [message]
    assert _snapshot() == before


def test_a_category_of_another_idea_box_is_unknown_here(
    client, make_idea_box, make_participant, make_category
):
    box, elsewhere = make_idea_box(), make_idea_box()
    make_category(box)
    foreign = make_category(elsewhere)
    client.force_login(make_participant())
    before = _snapshot()
    response = client.post(reverse("ideas:new", kwargs=_kw(box)), {**VALID, "category": foreign.pk})
    assert response.context["form"].errors["category"] == [
        "Cette catégorie n'existe pas dans cette boîte à idées."
    ]
    assert _snapshot() == before


def test_the_service_refuses_the_foreign_category_too(
    make_idea_box, make_participant, make_category
):
    from django.core.exceptions import ValidationError

    from parlons.modules.ideas.services import do_submit_idea

    box, elsewhere = make_idea_box(), make_idea_box()
    foreign = make_category(elsewhere)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        do_submit_idea(
            person=make_participant(),
            instance=box.instance,
            title=VALID["title"],
            body=VALID["body"],
            category=foreign,
        )
    assert refused.value.message_dict == {
        "category": ["Cette catégorie n'existe pas dans cette boîte à idées."]
    }
    assert _snapshot() == before


def test_script_in_a_comment_is_refused_and_the_text_comes_back(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    client.force_login(make_participant())
    before = _snapshot()
    response = client.post(
        reverse(
            "ideas:contributions:comment",
            kwargs={**_kw(idea_box), "target": "ideas.idea", "pk": idea.pk},
        ),
        {"body": "Super <script>alert(1)</script>"},
        follow=True,
    )
    page = response.content.decode()
    assert "Le HTML n&#x27;est pas accepté" in page
    assert "Super &lt;script&gt;alert(1)&lt;/script&gt;" in page  # kept for the author, escaped
    assert "<script>alert(1)" not in page
    assert _snapshot() == before


def _support(client, box, idea, language="fr") -> str:
    """The message the support view leaves for the next page."""
    from django.contrib.messages import get_messages

    url = reverse(
        "ideas:contributions:support",
        kwargs={**_kw(box), "target": "ideas.idea", "pk": idea.pk},
    )
    response = client.post(url.replace("/fr/", f"/{language}/", 1))
    assert response.status_code == 302
    client.get(response["Location"])  # the next page shows the messages (and clears them)
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_a_second_support_is_refused_with_a_message_and_changes_nothing(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    client.force_login(make_participant())
    assert _support(client, idea_box, idea) == "Votre soutien est enregistré."
    before = _snapshot()
    assert _support(client, idea_box, idea) == "Vous soutenez déjà ceci."
    assert _support(client, idea_box, idea, "de") == "Sie unterstützen dies bereits."
    assert _snapshot() == before


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_support_outside_the_phase_is_refused_with_a_message(
    client, make_idea_box, make_idea, make_participant, when
):
    box = make_idea_box(when=when)
    idea = make_idea(box)
    client.force_login(make_participant())
    before = _snapshot()
    assert _support(client, box, idea) == "Ce n'est pas ouvert en ce moment."
    assert _snapshot() == before
