"""Who may answer: phase (before, during, after) × guests allowed × account × verification.

A refused answer changes nothing.
"""

from __future__ import annotations

import pytest

from parlons.modules.surveys.models import Response

pytestmark = pytest.mark.django_db


def page_url(questionnaire):
    instance = questionnaire.instance
    org, process = instance.process.organisation.slug, instance.process.slug
    return f"/fr/{org}/{process}/surveys/{instance.slug}/page/p1/"


@pytest.mark.parametrize(
    ("when", "guests", "who", "verified", "allowed"),
    [
        ("before", True, "guest", False, False),
        ("during", True, "guest", False, True),
        ("after", True, "guest", False, False),
        ("during", False, "guest", False, False),
        ("during", False, "participant", False, True),
        ("after", False, "participant", False, False),
        ("during", False, "participant-needs-verification", False, False),
        ("during", False, "participant-needs-verification", True, True),
        ("during", True, "guest-needs-verification", False, False),
    ],
)
def test_answer_matrix(
    client,
    make_questionnaire,
    make_participant,
    make_verification,
    when,
    guests,
    who,
    verified,
    allowed,
):
    needs = {"postcode": {}} if "needs-verification" in who else {}
    questionnaire = make_questionnaire(guests=guests, when=when, verifications=needs)
    if who.startswith("participant"):
        person = make_participant()
        if verified:
            make_verification(
                person, "postcode", organisation=questionnaire.instance.process.organisation
            )
        client.force_login(person)
    response = client.post(page_url(questionnaire), {"q-mode": "2", "next": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(
        "/done/" if allowed else f"/surveys/{questionnaire.instance.slug}/"
    )
    assert Response.objects.count() == (1 if allowed else 0)


def test_the_service_itself_refuses_outside_the_phase(make_questionnaire, make_participant):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from parlons.modules.surveys.services import do_submit_response

    questionnaire = make_questionnaire(when="after")
    with translation.override("de"), pytest.raises(ValidationError) as error:
        do_submit_response(
            questionnaire=questionnaire,
            person=make_participant(),
            answers={"mode": 2},
            language="de",
        )
    assert error.value.messages == ["Dies ist derzeit nicht geöffnet."]
    assert Response.objects.count() == 0
