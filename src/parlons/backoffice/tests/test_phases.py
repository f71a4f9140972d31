"""Editing a phase shows its dates in the browser's date picker, and saving keeps them."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from parlons.core.processes.models import Phase

pytestmark = pytest.mark.django_db


def test_the_phase_form_shows_the_dates_and_saves_them_again(admin_client, city, make_process):
    process = make_process(organisation=city, slug="budget")
    zone = timezone.get_current_timezone()
    phase = Phase.objects.create(
        process=process,
        title={"fr": "Vote"},
        starts_at=datetime(2027, 3, 1, 9, 0, tzinfo=zone),
        ends_at=datetime(2027, 3, 31, 18, 30, tzinfo=zone),
    )
    url = f"/en/backoffice/lyon/processes/budget/phases/{phase.pk}/"
    html = admin_client.get(url).content.decode()
    assert 'type="datetime-local" name="starts_at" value="2027-03-01T09:00"' in html
    assert 'type="datetime-local" name="ends_at" value="2027-03-31T18:30"' in html

    response = admin_client.post(
        url,
        {
            "title_fr": "Vote final",
            "starts_at": "2027-03-01T09:00",
            "ends_at": "2027-04-02T18:30",
        },
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.title["fr"] == "Vote final"
    assert timezone.localtime(phase.ends_at, zone) == datetime(2027, 4, 2, 18, 30, tzinfo=zone)


def test_a_phase_that_ends_before_it_starts_is_refused(admin_client, city, make_process):
    make_process(organisation=city, slug="budget")
    response = admin_client.post(
        "/en/backoffice/lyon/processes/budget/phases/new/",
        {"title_fr": "Vote", "starts_at": "2027-03-02T09:00", "ends_at": "2027-03-01T09:00"},
    )
    assert "A phase must end after it starts." in response.content.decode()
    assert not Phase.objects.exists()
