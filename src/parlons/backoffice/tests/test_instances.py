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


class VoteSettings:
    """A module's settings form, as a module declares it."""

    @staticmethod
    def make():
        from django import forms

        class Settings(forms.Form):
            allow_guests = forms.BooleanField(label="Guests may vote", required=False)
            votes_each = forms.IntegerField(label="Votes each", min_value=1, max_value=10)

        return Settings


@pytest.fixture
def module_with_settings(monkeypatch):
    from parlons.core.registry import ModuleDeclaration, ModuleRegistry

    fresh = ModuleRegistry()
    fresh.register(
        ModuleDeclaration(
            key="pages",
            name="Budget vote",
            description="Residents share a budget between projects.",
            capabilities=("show", "vote"),
            settings_form=VoteSettings.make(),
        )
    )
    monkeypatch.setattr("parlons.backoffice.views.registry", fresh)
    monkeypatch.setattr("parlons.core.processes.services.registry", fresh)
    return fresh


def test_adding_a_module_starts_by_choosing_it(admin_client, url, module_with_settings):
    html = admin_client.get(url).content.decode()
    assert '<a href="?module=pages">Budget vote</a>' in html
    assert "Residents share a budget between projects." in html
    form = admin_client.get(url, {"module": "pages"}).content.decode()
    assert "Settings of the module “Budget vote”" in form
    assert 'name="settings-votes_each"' in form


def test_the_module_settings_are_validated_and_saved(admin_client, url, module_with_settings):
    data = form(required_verifications=[], minimum_age="")
    refused = admin_client.post(url, data | {"settings-votes_each": "11"})
    assert "Ensure this value is less than or equal to 10." in refused.content.decode()
    assert not ModuleInstance.objects.exists()

    response = admin_client.post(
        url, data | {"settings-votes_each": "3", "settings-allow_guests": "on"}
    )
    assert response.status_code == 302
    instance = ModuleInstance.objects.get(slug="vote")
    assert instance.settings == {"allow_guests": True, "votes_each": 3}
    edit = admin_client.get(f"/en/backoffice/lyon/processes/budget/modules/{instance.pk}/")
    assert 'name="settings-votes_each" value="3"' in edit.content.decode()
