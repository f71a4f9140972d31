"""The permission matrix: role × phase × verification, for a participant and a staff verb.

Expected answers come from the rule table below, written from DESIGN.md, not from the
code under test.  A refused action must write nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from parlons.core.audit.models import AuditEntry
from parlons.core.audit.services import log_action
from parlons.core.permissions import Refused, decide, ensure, instances_where
from parlons.core.registry import ModuleDeclaration, ModuleRegistry

ROLES = ["anonymous", "participant", "evaluator", "admin"]
PHASES = ["before", "during", "after"]
VERIFICATIONS = ["not required", "held", "missing", "expired", "revoked"]


def expected(*, capability: str, role: str, phase: str, verification: str) -> str:
    if phase != "during":
        return "phase_closed"
    if role == "anonymous":
        return "login_required"
    if capability == "evaluate" and role not in {"evaluator", "admin"}:
        return "role_required"
    if verification in {"missing", "expired", "revoked"}:
        return "verification_required"
    return "ok"


@pytest.fixture
def modules():
    fresh = ModuleRegistry()
    fresh.register(
        ModuleDeclaration(
            key="pages", name="Votes for the test", capabilities=("show", "vote", "evaluate")
        )
    )
    return fresh


def do_test_vote(*, person, instance, capability, modules):
    """A stand-in for a module's ``do_*`` service: ask, then write one row."""
    with transaction.atomic():
        ensure(person=person, capability=capability, instance=instance, modules=modules)
        log_action(actor=person, code="pages.vote.cast", target=instance)


def _person(role, organisation, make_participant, make_member):
    from django.contrib.auth.models import AnonymousUser

    if role == "anonymous":
        return AnonymousUser()
    if role == "participant":
        return make_participant()
    return make_member(organisation, role)


def _verify(person, verification, instance, make_verification):
    if verification == "not required":
        return
    instance.required_verifications = {"postcode": {}}
    instance.save()
    if verification == "missing" or not person.is_authenticated:
        return
    now = timezone.now()
    fields = {
        "held": {"expires_at": now + timedelta(days=30)},
        "expired": {"expires_at": now - timedelta(seconds=1)},
        "revoked": {"revoked_at": now - timedelta(hours=1)},
    }[verification]
    make_verification(person, "postcode", organisation=instance.process.organisation, **fields)


@pytest.mark.parametrize("capability", ["vote", "evaluate"])
@pytest.mark.parametrize("verification", VERIFICATIONS)
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(
    capability,
    role,
    phase,
    verification,
    modules,
    make_instance,
    make_phase,
    make_participant,
    make_member,
    make_verification,
):
    instance = make_instance()
    organisation = instance.process.organisation
    make_phase(instance.process, when=phase, openings=[(instance, capability)])
    person = _person(role, organisation, make_participant, make_member)
    _verify(person, verification, instance, make_verification)
    want = expected(capability=capability, role=role, phase=phase, verification=verification)

    decision = decide(person=person, capability=capability, instance=instance, modules=modules)

    assert decision.reason == want
    assert bool(decision) is (want == "ok")
    before = AuditEntry.objects.count()
    if want == "ok":
        do_test_vote(person=person, instance=instance, capability=capability, modules=modules)
        assert AuditEntry.objects.count() == before + 1
    else:
        with pytest.raises(Refused) as refused:
            do_test_vote(person=person, instance=instance, capability=capability, modules=modules)
        assert refused.value.decision.reason == want
        assert str(refused.value)  # a message for the person, in their language
        assert AuditEntry.objects.count() == before


def test_a_capability_the_phase_does_not_open_is_closed(
    modules, make_instance, make_phase, make_participant
):
    instance = make_instance()
    make_phase(instance.process, openings=[(instance, "show")])
    decision = decide(
        person=make_participant(), capability="vote", instance=instance, modules=modules
    )
    assert decision.reason == "phase_closed"


def test_a_capability_the_module_does_not_offer_is_refused(
    modules, make_instance, make_phase, make_participant
):
    instance = make_instance()
    make_phase(instance.process, openings=[(instance, "sign")])
    decision = decide(
        person=make_participant(), capability="sign", instance=instance, modules=modules
    )
    assert decision.reason == "not_offered"


@pytest.mark.parametrize(("invited", "want"), [(True, "ok"), (False, "not_found")])
def test_private_process_is_for_invited_participants(
    invited, want, modules, make_process, make_instance, make_phase, make_participant
):
    process = make_process(visibility="private")
    instance = make_instance(process)
    make_phase(process, openings=[(instance, "vote")])
    person = make_participant()
    if invited:
        process.invited.add(person)
    assert (
        decide(person=person, capability="vote", instance=instance, modules=modules).reason == want
    )


def test_module_limits_are_asked_last(make_instance, make_phase, make_participant):
    fresh = ModuleRegistry()
    fresh.register(
        ModuleDeclaration(
            key="pages",
            name="Limited",
            capabilities=("show", "vote"),
            limits=lambda *, instance, person, capability: "Only three votes each.",
        )
    )
    instance = make_instance()
    make_phase(instance.process, openings=[(instance, "vote")])
    decision = decide(
        person=make_participant(), capability="vote", instance=instance, modules=fresh
    )
    assert (decision.reason, str(decision.message)) == ("limit_reached", "Only three votes each.")


def test_guests_only_where_the_capability_and_the_instance_allow_them(make_instance, make_phase):
    from django.contrib.auth.models import AnonymousUser

    fresh = ModuleRegistry()
    fresh.register(ModuleDeclaration(key="pages", name="Sign", capabilities=("show", "sign")))
    closed = make_instance()
    open_ = make_instance(closed.process, settings={"allow_guests": True})
    make_phase(closed.process, openings=[(closed, "sign"), (open_, "sign")])
    guest = AnonymousUser()
    assert (
        decide(person=guest, capability="sign", instance=closed, modules=fresh).reason
        == "login_required"
    )
    assert decide(person=guest, capability="sign", instance=open_, modules=fresh).reason == "ok"


def test_queryset_form_agrees_with_decide(
    make_instance, make_phase, make_participant, make_verification
):
    """``instances_where`` lists exactly the instances ``decide`` allows."""
    person = make_participant()
    live = make_instance(module="pages")
    needs_code = make_instance(live.process, module="pages", required_verifications={"code": {}})
    verified = make_instance(live.process, module="pages", required_verifications={"postcode": {}})
    closed = make_instance(live.process, module="pages")
    make_verification(person, "postcode", organisation=live.process.organisation)
    make_phase(live.process, openings=[(live, "show"), (needs_code, "show"), (verified, "show")])
    make_phase(live.process, when="after", openings=[(closed, "show")])

    listed = set(instances_where(person=person, capability="show"))

    assert listed == {live, verified}
    for instance in (live, needs_code, verified, closed):
        assert bool(decide(person=person, capability="show", instance=instance)) == (
            instance in listed
        )
