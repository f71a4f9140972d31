"""Django's admin for superusers: create an organisation and give its first administrator."""

from __future__ import annotations

import pytest

from parlons.core.organisations.models import Member, Organisation
from parlons.core.tenancy import scopes_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, make_participant):
    from parlons.core import tenancy

    client.force_login(make_participant(is_staff=True, is_superuser=True))
    token = tenancy._scope.set(None)  # requests as in production: no scope until one is entered
    yield client
    tenancy._scope.reset(token)


def test_a_superuser_creates_an_organisation_with_its_first_administrator(
    superuser_client, make_participant
):
    claire = make_participant("claire@example.org")
    response = superuser_client.post(
        "/django-admin/organisations/organisation/add/",
        {
            "name": "Ville de Lyon",
            "slug": "lyon",
            "default_language": "fr",
            "languages": '["fr", "en"]',
            "primary_colour": "#1d4e89",
            "accent_colour": "#b3541e",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-participant": str(claire.pk),
            "members-0-role": "admin",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lyon = Organisation.objects.get(slug="lyon")
    with scopes_disabled():
        members = list(Member.objects.filter(organisation=lyon).values_list("participant", "role"))
    assert members == [(claire.pk, "admin")]
    page = superuser_client.get(f"/django-admin/organisations/organisation/{lyon.pk}/change/")
    assert page.status_code == 200 and ">claire<" in page.content.decode()
    assert superuser_client.get("/django-admin/organisations/organisation/").status_code == 200


def test_accounts_are_found_but_never_deleted_in_the_admin(superuser_client, make_participant):
    ana = make_participant("ana@example.org")
    listing = superuser_client.get("/django-admin/participants/participant/", {"q": "ana@"})
    assert "ana@example.org" in listing.content.decode()
    delete = superuser_client.get(f"/django-admin/participants/participant/{ana.pk}/delete/")
    assert delete.status_code == 403


def test_the_admin_is_for_superusers_only(client, make_participant):
    client.force_login(make_participant())
    response = client.get("/django-admin/organisations/organisation/")
    assert response.status_code == 302
