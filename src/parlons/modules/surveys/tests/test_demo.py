"""The demo city's survey and quiz load once and show published, weighted results."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_survey_has_answers_margins_and_public_results(client):
    from allauth.mfa.totp.internal.auth import TOTP  # noqa: F401  (the demo organiser has 2FA)

    from parlons.core.operations.demo import demo_people, load_demo
    from parlons.core.organisations.models import Member
    from parlons.modules.surveys.models import Questionnaire, Response

    organisation = load_demo()
    load_demo()  # idempotent
    survey = Questionnaire.objects.get(instance__slug="habitudes-culturelles")
    assert Response.objects.filter(questionnaire=survey).count() == 240
    public = client.get(
        f"/de/{organisation.slug}/culture-et-energie/surveys/habitudes-culturelles/results/"
    )
    assert public.status_code == 200 and "Ergebnisse von 240 Antworten." in public.content.decode()
    analyst = demo_people().evaluator
    Member.objects.get_or_create(organisation=organisation, participant=analyst, role="analyst")
    client.force_login(analyst)
    base = f"/fr/backoffice/{organisation.slug}/processes/culture-et-energie/surveys/habitudes-culturelles/"
    weighted = client.get(base + "results/?weighted=1")
    assert weighted.status_code == 200
    assert "taille d’échantillon effective" in weighted.content.decode()
    assert client.get(base + "representativeness/").status_code == 200
    assert client.get(base + "texts/?q=concerts").status_code == 200
