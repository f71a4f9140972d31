"""After signing: updates and the response e-mailed to consenting signers, unsubscribe,
bulk invalidation, closing at the deadline, anonymising, exports, cache headers, widget, API."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from parlons.modules.petitions.memo import clear_all
from parlons.modules.petitions.models import Signature
from parlons.modules.petitions.tests.conftest import (
    after_commit,
    count,
    link_in,
    send_mails,
    sign_data,
    urls,
)

pytestmark = pytest.mark.django_db


def signed(client, petition, n, *, confirm=True, **extra):
    client.post(urls(petition, "sign"), sign_data(n, **extra), REMOTE_ADDR=f"198.51.100.{n}")
    before = len(mail.outbox)
    send_mails()
    if confirm:
        client.get(urlsplit(link_in(mail.outbox[before])).path)
    return Signature.objects.get(email=f"signer{n}@example.org")


def test_the_owner_posts_an_update_emailed_to_consenting_signers_with_unsubscribe(
    client, make_petition, make_participant
):
    from parlons.modules.petitions.services import do_post_update

    owner = make_participant("owner@example.org")
    petition = make_petition(owner=owner)
    signed(client, petition, 1)
    signed(client, petition, 2, consent="")
    signed(client, petition, 3, confirm=False)
    mail.outbox.clear()
    with after_commit():
        do_post_update(
            petition=petition, actor=owner, title="Rendez-vous", body="Le maire nous reçoit."
        )
    assert [m.to for m in mail.outbox] == [["signer1@example.org"]]
    message = mail.outbox[0]
    assert "Le maire nous reçoit." in message.body
    leave = link_in(message, "/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{leave}>"
    assert client.post(urlsplit(leave).path).status_code == 200
    mail.outbox.clear()
    with after_commit():
        do_post_update(petition=petition, actor=owner, title="Encore", body="Rien.")
    assert mail.outbox == []
    assert "Rendez-vous" in client.get(urls(petition)).content.decode()


def test_only_the_owner_and_organisers_post_updates(make_petition, make_participant, make_member):
    from django.core.exceptions import ValidationError

    from parlons.modules.petitions.models import Update
    from parlons.modules.petitions.services import do_post_update

    petition = make_petition()
    with pytest.raises(ValidationError):
        do_post_update(petition=petition, actor=make_participant(), title="x", body="y")
    moderator = make_member(petition.instance.process.organisation, role="moderator")
    with after_commit():
        do_post_update(
            petition=petition, actor=moderator, title="Réponse", body="Oui.", kind="response"
        )
    petition.refresh_from_db()
    assert petition.response == "Oui." and Update.objects.count() == 1


def test_an_oversized_update_is_refused_and_nothing_saved(make_petition, make_participant):
    from django.core.exceptions import ValidationError

    from parlons.modules.petitions.models import Update
    from parlons.modules.petitions.services import do_post_update

    owner = make_participant()
    petition = make_petition(owner=owner)
    with pytest.raises(ValidationError) as caught:
        do_post_update(petition=petition, actor=owner, title="x", body="y" * 20_001)
    assert "trop longue" in str(caught.value)  # in the site's language, French
    assert Update.objects.count() == 0


def test_staff_invalidate_in_bulk_by_domain_with_an_audit(client, make_petition, make_member):
    from parlons.core.audit.models import AuditEntry
    from parlons.modules.petitions.services import do_invalidate_signatures

    petition = make_petition()
    signed(client, petition, 1)
    signed(client, petition, 2)
    Signature.objects.filter(name="Signataire 2").update(email="signer2@spam.example")
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 2
    admin = make_member(petition.instance.process.organisation, role="admin")
    done = do_invalidate_signatures(
        petition=petition, actor=admin, reason="ferme", domain="spam.example"
    )
    assert done.matched == 1
    count()
    petition.refresh_from_db()
    assert petition.signature_count == 1
    entry = AuditEntry.objects.get(code="petitions.signatures.invalidated")
    assert entry.actor == admin and entry.data["matched"] == 1


def test_invalidate_by_ip_range_and_time_window(client, make_petition, make_member):
    from parlons.modules.petitions.services import do_invalidate_signatures

    petition = make_petition()
    for n in (1, 2, 3):
        signed(client, petition, n)
    admin = make_member(petition.instance.process.organisation, role="admin")
    by_ip = do_invalidate_signatures(
        petition=petition, actor=admin, reason="r", network="198.51.100.0/31"
    )
    assert by_ip.matched == 1  # .0 and .1: only signer 1
    window = do_invalidate_signatures(
        petition=petition, actor=admin, reason="r", since=timezone.now() - timedelta(hours=1)
    )
    assert window.matched == 2


def test_invalidation_needs_a_criterion_and_a_role(
    client, make_petition, make_participant, make_member
):
    from django.core.exceptions import ValidationError

    from parlons.modules.petitions.services import do_invalidate_signatures

    petition = make_petition()
    signed(client, petition, 1)
    with pytest.raises(ValidationError):
        do_invalidate_signatures(
            petition=petition, actor=make_participant(), reason="r", domain="example.org"
        )
    admin = make_member(petition.instance.process.organisation, role="admin")
    with pytest.raises(ValidationError):
        do_invalidate_signatures(petition=petition, actor=admin, reason="r")
    with pytest.raises(ValidationError):
        do_invalidate_signatures(petition=petition, actor=admin, reason="r", network="not-a-range")
    assert Signature.objects.filter(invalidated_at__isnull=False).count() == 0


def test_closing_at_the_deadline_then_anonymising_keeps_the_count(client, make_petition):
    from parlons.modules.petitions.counting import (
        do_anonymise_closed_petitions,
        do_close_due_petitions,
    )

    petition = make_petition(settings={"anonymise_after_days": 30})
    signed(client, petition, 1)
    signed(client, petition, 2)
    petition.__class__.objects.filter(pk=petition.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    assert do_close_due_petitions() == 1
    clear_all()  # two seconds later: every web process has forgotten the open petition
    response = client.post(urls(petition, "sign"), sign_data(3))
    assert response.status_code == 400
    assert do_anonymise_closed_petitions() == 0  # not yet: 30 days after the close
    assert do_anonymise_closed_petitions(now=timezone.now() + timedelta(days=31)) == 1
    petition.refresh_from_db()
    assert petition.signature_count == 2
    assert list(Signature.objects.values_list("email", "name", "ip")) == [(None, "", None)] * 2


def test_owner_export_has_consenting_counted_signers_only(client, make_petition, make_participant):
    owner = make_participant()
    petition = make_petition(owner=owner)
    signed(client, petition, 1)
    signed(client, petition, 2, consent="")
    signed(client, petition, 3, confirm=False)
    client.force_login(owner)
    response = client.get(urls(petition, "signatures_csv"))
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("petition,name,email")
    assert len(lines) == 2 and "signer1@example.org" in lines[1]
    client.logout()
    assert client.get(urls(petition, "signatures_csv")).status_code == 302


def test_counts_by_area_are_public(client, make_petition):
    from parlons.core.processes.models import Area

    petition = make_petition()
    process = petition.instance.process
    area = Area.objects.create(
        organisation=process.organisation,
        code="paris-11",
        name={"fr": "Paris 11e"},
        postcodes=["75011"],
    )
    process.areas.add(area)
    signed(client, petition, 1)
    signed(client, petition, 2, postcode="13001")
    count()
    response = client.get(urls(petition, "areas_csv"))
    rows = response.content.decode().splitlines()
    assert rows[1:] == [
        f"{petition.pk},Une rue scolaire,paris-11,Paris 11e,1",
        f"{petition.pk},Une rue scolaire,,,1",
    ]
    clear_all()  # the page of a guest may be two seconds old
    assert "Paris 11e" in client.get(urls(petition)).content.decode()


def test_petition_page_and_count_are_http_cacheable(client, petition):
    page = client.get(urls(petition))
    assert page["Cache-Control"] == "public, max-age=10, stale-while-revalidate=60"
    assert 'property="og:title"' in page.content.decode()
    counted = client.get(urls(petition, "count"))
    assert counted["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"
    assert counted.json()["count"] == 0 and counted.json()["open"] is True


def test_the_count_endpoint_is_cheap(client, petition, django_assert_max_num_queries):
    client.get(urls(petition, "count"))
    with django_assert_max_num_queries(1):  # the organisation of the URL; the count is memoised
        client.get(urls(petition, "count"))


def test_only_the_widget_page_may_be_framed(client, make_petition):
    petition = make_petition(settings={"embed_origins": "https://partner.example"})
    widget = client.get(urls(petition, "widget"))
    assert "frame-ancestors https://partner.example" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    page = client.get(urls(petition))
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_widget_signs_and_thanks_inside_the_frame(client, petition):
    response = client.post(urls(petition, "sign") + "?embed=1", sign_data(1))
    assert response.status_code == 200
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert Signature.objects.count() == 1


def test_api_lists_petitions_with_counts(client, petition):
    process = petition.instance.process
    base = f"/api/v1/petitions/{process.organisation.slug}/{process.slug}/{petition.instance.slug}"
    listed = client.get(base)
    assert listed.status_code == 200
    assert [p["title"] for p in listed.json()] == ["Une rue scolaire"]
    one = client.get(f"{base}/{petition.pk}").json()
    assert one["signatures"] == 0 and one["open"] is True


def test_drafts_are_hidden_from_the_public(client, make_petition):
    draft = make_petition(status="draft")
    assert client.get(urls(draft)).status_code == 404


def test_index_query_count_does_not_grow_with_petitions(client, make_petition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    first = make_petition()
    process = first.instance.process
    index = reverse(
        "petitions:detail",
        kwargs={
            "organisation_slug": process.organisation.slug,
            "process_slug": process.slug,
            "instance_slug": first.instance.slug,
        },
    )
    with CaptureQueriesContext(connection) as one:
        client.get(index)
    for _ in range(5):
        make_petition(instance=first.instance)
    with CaptureQueriesContext(connection) as six:
        client.get(index)
    assert len(six.captured_queries) == len(one.captured_queries)


def test_gentle_checks_before_publishing(make_petition):
    from django.utils import translation

    from parlons.modules.petitions.services import campaign_checks

    weak = make_petition(target="", deadline=None, ask="x" * 200, goal=0)
    with translation.override("en"):
        advice = " ".join(campaign_checks(petition=weak))
    for hint in ("decision-maker", "deadline", "long", "story", "image", "goal"):
        assert hint in advice
    with translation.override("de"):
        assert "Entscheidungsträger" in " ".join(campaign_checks(petition=weak))


def test_the_count_answers_304_to_its_own_etag_and_a_new_etag_when_it_moves(client, petition):
    from parlons.modules.petitions.memo import clear_all
    from parlons.modules.petitions.models import Petition

    first = client.get(urls(petition, "count"))
    etag = first["ETag"]
    again = client.get(urls(petition, "count"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    Petition.objects.filter(pk=petition.pk).update(signature_count=7)
    clear_all()  # the count of a guest may be a second old
    moved = client.get(urls(petition, "count"), HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200 and moved.json()["count"] == 7 and moved["ETag"] != etag


def test_the_kept_confirmation_page_never_holds_a_signers_link(client, petition):
    from parlons.modules.petitions.models import Signature
    from parlons.modules.petitions.signing import confirmation_token

    for n in (1, 2):
        client.post(urls(petition, "sign"), sign_data(n))
        client.cookies.clear()
    first, second = (
        urls(petition, "confirm", token=confirmation_token(s))
        for s in Signature.objects.order_by("pk")
    )
    one = client.get(first)
    two = client.get(second)
    assert one.status_code == two.status_code == 200
    assert one.content == two.content  # the same kept page for both guests
    for token_path in (first, second):
        assert token_path.rsplit("/", 2)[-2] not in one.content.decode()
    assert "Signature confirmed" in one.content.decode()
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 2
