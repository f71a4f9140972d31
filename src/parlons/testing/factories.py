"""Factories exposed as fixtures: each returns a function that makes one object."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

__all__ = [
    "make_instance",
    "make_member",
    "make_organisation",
    "make_participant",
    "make_phase",
    "make_process",
    "make_verification",
]

_counter = itertools.count(1)


@pytest.fixture
def make_organisation(db):
    from parlons.core.organisations.models import Organisation

    def make(**fields):
        n = next(_counter)
        fields.setdefault("slug", f"org-{n}")
        fields.setdefault("name", f"Organisation {n}")
        return Organisation.objects.create(**fields)

    return make


@pytest.fixture
def make_participant(db):
    from parlons.core.participants.models import Participant

    def make(email=None, *, password="correct horse battery", **fields):
        email = email or f"person{next(_counter)}@example.org"
        return Participant.objects.create_user(email, password, **fields)

    return make


@pytest.fixture
def make_member(db, make_participant):
    from parlons.core.organisations.models import Member

    def make(organisation, role="admin", participant=None):
        participant = participant or make_participant()
        Member.objects.create(organisation=organisation, participant=participant, role=role)
        return participant

    return make


@pytest.fixture
def make_process(db, make_organisation):
    from parlons.core.processes.models import Process

    def make(organisation=None, **fields):
        n = next(_counter)
        fields.setdefault("slug", f"process-{n}")
        fields.setdefault("title", {"fr": f"Processus {n}", "en": f"Process {n}"})
        return Process.objects.create(organisation=organisation or make_organisation(), **fields)

    return make


@pytest.fixture
def make_instance(db, make_process):
    from parlons.core.processes.models import ModuleInstance

    def make(process=None, module="pages", **fields):
        n = next(_counter)
        fields.setdefault("slug", f"instance-{n}")
        fields.setdefault("title", {"fr": f"Module {n}", "en": f"Module {n}"})
        return ModuleInstance.objects.create(
            process=process or make_process(), module=module, **fields
        )

    return make


@pytest.fixture
def make_phase(db):
    from parlons.core.processes.models import Opening, Phase

    def make(process, *, when="during", openings=(), days=10, **fields):
        """A phase that is live (``during``), has not started (``before``) or is over."""
        now = timezone.now()
        start = {
            "before": now + timedelta(days=1),
            "during": now - timedelta(days=1),
            "after": now - timedelta(days=days + 2),
        }[when]
        fields.setdefault("title", {"fr": "Phase", "en": "Phase"})
        phase = Phase.objects.create(
            process=process, starts_at=start, ends_at=start + timedelta(days=days), **fields
        )
        for instance, capability in openings:
            Opening.objects.create(phase=phase, instance=instance, capability=capability)
        return phase

    return make


@pytest.fixture
def make_verification(db):
    from parlons.core.participants.models import Verification

    def make(participant, method="postcode", **fields):
        return Verification.objects.create(participant=participant, method=method, **fields)

    return make
