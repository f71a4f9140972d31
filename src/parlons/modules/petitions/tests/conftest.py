"""Fixtures of the petitions tests: an open petition in a live signing phase."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def make_petition(make_organisation, make_process, make_instance, make_phase):
    from parlons.modules.petitions.models import Petition, Status

    def make(*, instance=None, settings=None, phase="during", **fields):
        if instance is None:
            organisation = make_organisation()
            process = make_process(organisation=organisation, languages=["fr", "en", "de"])
            instance = make_instance(
                process=process,
                module="petitions",
                settings={"allow_guests": True, **(settings or {})},
            )
            make_phase(
                process,
                when=phase,
                openings=[(instance, "show"), (instance, "sign"), (instance, "submit")],
            )
        fields.setdefault("title", "Une rue scolaire")
        fields.setdefault("ask", "Fermer la rue aux voitures à l'heure de l'école.")
        fields.setdefault("target", "Le conseil municipal")
        fields.setdefault("goal", 100)
        fields.setdefault("deadline", timezone.now() + timedelta(days=30))
        fields.setdefault("status", Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now())
        return Petition.objects.create(instance=instance, **fields)

    return make


@pytest.fixture
def petition(make_petition):
    return make_petition()


def urls(petition, name="petition", language="en", **extra):
    """A petition's address, in English unless told (the catalogues are tested apart)."""
    from django.urls import reverse
    from django.utils import translation

    process = petition.instance.process
    kwargs = {
        "organisation_slug": process.organisation.slug,
        "process_slug": process.slug,
        "instance_slug": petition.instance.slug,
        "pk": petition.pk,
        **extra,
    }
    with translation.override(language):
        return reverse(f"petitions:{name}", kwargs=kwargs)


def sign_data(n=0, **extra):
    return {
        "name": f"Signataire {n}",
        "email": f"signer{n}@example.org",
        "postcode": "75011",
        "consent": "on",
        "comment": "",
        **extra,
    }


def after_commit():
    """Run what waits for the commit (e-mail tasks) when the test's transaction would commit."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def send_mails():
    from parlons.modules.petitions.mailing import do_send_signature_mails

    with after_commit():
        return do_send_signature_mails()


def count():
    from parlons.modules.petitions.counting import do_count_signatures

    return do_count_signatures()


def link_in(message, marker="/confirm/"):
    import re

    found = re.search(r"https?://\S+" + re.escape(marker) + r"\S+", message.body)
    assert found, message.body
    return found.group(0)


@pytest.fixture(autouse=True)
def _live_files_apart(settings, tmp_path):
    """Each test writes its live count files in its own folder."""
    settings.LIVE_FILES_DIR = tmp_path / "live"


@pytest.fixture(autouse=True)
def _petitions_memo_cleared():
    """Each test starts with empty memos (ids are reused between tests)."""
    from parlons.modules.petitions.memo import clear_all

    clear_all()
    yield
    clear_all()
