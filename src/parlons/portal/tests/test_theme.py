"""An organisation's colours stay readable whatever the organiser picks."""

from __future__ import annotations

import re

import pytest

from parlons.portal.views import contrast, ink_of, readable_on

pytestmark = pytest.mark.django_db


def properties(client, organisation) -> dict:
    css = client.get(f"/en/{organisation.slug}/theme.css").content.decode()
    return dict(re.findall(r"(--[a-z-]+):(#[0-9a-f]{6});", css))


def test_contrast_is_the_wcag_ratio():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("primary", "on_brand"),
    [
        ("#1d4e89", "#ffffff"),
        ("#ffd400", "#1b1f24"),
        ("#e8f1ff", "#1b1f24"),
        ("#000000", "#ffffff"),
    ],
)
def test_every_brand_colour_gets_readable_text_and_links(
    client, make_organisation, primary, on_brand
):
    organisation = make_organisation(primary_colour=primary, accent_colour="#fff3b0")
    theme = properties(client, organisation)
    assert theme["--brand"] == primary
    assert theme["--on-brand"] == on_brand
    assert contrast(theme["--on-brand"], primary) >= 4.5
    assert contrast(theme["--brand-ink"], "#ffffff") >= 4.5
    assert contrast(theme["--accent-ink"], "#ffffff") >= 3
    assert contrast(theme["--on-accent"], theme["--accent"]) >= 4.5


def test_a_readable_colour_is_kept_as_it_is():
    assert ink_of("#1d4e89") == "#1d4e89"
    assert readable_on("#1d4e89") == "#ffffff"
