"""A module instance's required verifications, as an organiser sets them."""

from __future__ import annotations

import pytest

from parlons.core.processes.models import ModuleInstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(city, make_process):
    process = make_process(organisation=city, slug="budget")
    return f"/en/backoffice/lyon/processes/{process.slug}/modules/new/"


def form(**changes):
    return {
        "title_fr": "Le vote",
        "module": "pages",
        "slug": "vote",
        "required_verifications": ["postcode", "age"],
        "minimum_age": "16",
    } | changes


def test_an_instance_requires_residence_and_a_minimum_age(admin_client, url):
    response = admin_client.post(url, form())
    assert response.status_code == 302
    instance = ModuleInstance.objects.get(slug="vote")
    assert instance.required_verifications == {"postcode": {}, "age": {"min": 16}}
    edit = admin_client.get(
        f"/en/backoffice/lyon/processes/budget/modules/{instance.pk}/"
    ).content.decode()
    assert 'name="minimum_age" value="16"' in edit


def test_the_age_verification_needs_its_minimum(admin_client, url):
    response = admin_client.post(url, form(minimum_age=""))
    assert "Say which age the verification requires." in response.content.decode()
    assert not ModuleInstance.objects.exists()
