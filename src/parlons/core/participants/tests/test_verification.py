"""Verification: postcode lists, census lists kept hashed, single-use codes, expiry,
revocation, and conflicts when one identity is claimed by a second account."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from parlons.core.audit.models import AuditEntry
from parlons.core.participants.models import (
    CensusEntry,
    Verification,
    VerificationConflict,
    VotingCode,
)
from parlons.core.participants.services import (
    VALIDITY,
    do_generate_codes,
    do_import_census,
    do_redeem_code,
    do_revoke_verification,
    do_verify_age,
    do_verify_census,
    do_verify_postcode,
)
from parlons.core.permissions import decide
from parlons.core.processes.models import Area
from parlons.core.tenancy import scope
from parlons.testing.concurrency import in_parallel

pytestmark = pytest.mark.django_db

BIRTH = date(1984, 3, 7)


@pytest.fixture
def city(make_organisation):
    organisation = make_organisation(slug="lyon", name="Lyon")
    Area.objects.create(
        organisation=organisation, code="presquile", name={"fr": "Presqu'île"}, postcodes=["69001"]
    )
    Area.objects.create(
        organisation=organisation, code="croix-rousse", name={"fr": "Croix-Rousse"},
        postcodes=["69004", "69 300"],
    )  # fmt: skip
    return organisation


def codes_of(participant):
    return sorted(
        Verification.objects.filter(participant=participant).values_list("method", "revoked_at")
    )


# --- postcode -------------------------------------------------------------------------


def test_a_listed_postcode_verifies_residence_in_its_area(city, make_participant):
    ana = make_participant()
    verification = do_verify_postcode(participant=ana, organisation=city, postcode=" 69 004 ")
    assert (verification.method, verification.area.code) == ("postcode", "croix-rousse")
    assert verification.organisation == city
    assert verification.expires_at == pytest.approx(
        timezone.now() + VALIDITY, abs=timedelta(seconds=5)
    )
    spaced = do_verify_postcode(participant=make_participant(), organisation=city, postcode="69300")
    assert spaced.area.code == "croix-rousse"
    assert AuditEntry.objects.filter(code="participants.verification.granted").count() == 2


def test_a_postcode_outside_the_list_is_refused_and_changes_nothing(city, make_participant):
    ana = make_participant()
    with pytest.raises(ValidationError) as refused:
        do_verify_postcode(participant=ana, organisation=city, postcode="75011")
    assert refused.value.messages == ["This postcode is not in the area of Lyon."]
    assert Verification.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_postcode_of_another_organisation_does_not_count(
    city, make_organisation, make_participant
):
    paris = make_organisation(name="Paris")
    Area.objects.create(organisation=paris, code="11e", name={"fr": "11e"}, postcodes=["75011"])
    with pytest.raises(ValidationError):
        do_verify_postcode(participant=make_participant(), organisation=city, postcode="75011")


def test_verifying_again_replaces_the_earlier_verification(city, make_participant):
    ana = make_participant()
    first = do_verify_postcode(participant=ana, organisation=city, postcode="69001")
    second = do_verify_postcode(participant=ana, organisation=city, postcode="69004")
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    held = Verification.objects.filter(participant=ana, revoked_at__isnull=True).get()
    assert held.area.code == "croix-rousse"


# --- census (hashed) ------------------------------------------------------------------


def test_the_census_list_is_kept_only_as_keyed_hashes(city, make_member, make_participant):
    admin = make_member(city)
    rows = [("VL-2026-004512", "1984-03-07"), ("VL-2026-004513", "1990-12-31")]
    assert do_import_census(organisation=city, rows=rows, actor=admin) == 2
    ana = make_participant()
    do_verify_census(
        participant=ana, organisation=city, identifier="vl-2026-004512", birth_date=BIRTH
    )

    hashes = set(CensusEntry.objects.values_list("identity_hash", flat=True))
    assert len(hashes) == 2 and all(len(h) == 64 for h in hashes)
    for plain in ("VL-2026-004512", "VL2026004512", "004512", "004513"):
        assert stored_anywhere(plain) == [], f"{plain} is stored in clear"


def stored_anywhere(needle: str) -> list[str]:
    """Every (model.field) of every table whose stored text contains ``needle``."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        manager = model._base_manager
        for row in manager.values_list(*text_fields) if text_fields else []:
            for name, value in zip(text_fields, row, strict=True):
                if needle.lower() in str(value).lower():
                    found.append(f"{model._meta.label}.{name}")
    return found


def test_stored_anywhere_finds_what_is_stored(make_participant):
    make_participant("needle-4512@example.org")
    assert stored_anywhere("needle-4512") == ["participants.Participant.email"]


def test_the_census_verifies_eligibility_and_age(city, make_member, make_participant):
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=make_member(city))
    ana = make_participant()
    verification = do_verify_census(
        participant=ana, organisation=city, identifier=" a-1 ", birth_date=BIRTH
    )
    assert verification.method == "census"
    assert codes_of(ana) == [("age", None), ("census", None)]
    age = Verification.objects.get(participant=ana, method="age")
    assert age.data == {"birth_date": "1984-03-07", "source": "census"}


@pytest.mark.parametrize(("identifier", "birth_date"), [("A-2", BIRTH), ("A-1", date(1984, 3, 8))])
def test_a_wrong_number_or_birth_date_is_refused_and_changes_nothing(
    city, make_member, make_participant, identifier, birth_date
):
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=make_member(city))
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        do_verify_census(
            participant=make_participant(),
            organisation=city,
            identifier=identifier,
            birth_date=birth_date,
        )
    assert refused.value.code == "census"
    assert Verification.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_new_census_list_replaces_the_old_one(city, make_member, make_participant):
    admin = make_member(city)
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=admin)
    do_import_census(organisation=city, rows=[("B-1", "1984-03-07")], actor=admin)
    assert CensusEntry.objects.filter(organisation=city).count() == 1
    with pytest.raises(ValidationError):
        do_verify_census(
            participant=make_participant(), organisation=city, identifier="A-1", birth_date=BIRTH
        )


# --- conflicts --------------------------------------------------------------------------


def test_a_census_identity_claimed_by_a_second_account_is_a_recorded_conflict(
    city, make_member, make_participant
):
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=make_member(city))
    ana, bob = make_participant(), make_participant()
    do_verify_census(participant=ana, organisation=city, identifier="A-1", birth_date=BIRTH)

    with pytest.raises(ValidationError) as refused:
        do_verify_census(participant=bob, organisation=city, identifier="A-1", birth_date=BIRTH)

    assert refused.value.code == "conflict"
    conflict = VerificationConflict.objects.get()
    assert (conflict.method, conflict.holder, conflict.claimant) == ("census", ana, bob)
    assert conflict.organisation == city
    assert codes_of(bob) == []
    assert AuditEntry.objects.filter(
        code="participants.verification.conflicted", actor=bob
    ).exists()
    # the same account verifying again is no conflict
    do_verify_census(participant=ana, organisation=city, identifier="A-1", birth_date=BIRTH)
    assert VerificationConflict.objects.count() == 1


def test_an_expired_verification_still_holds_its_identity(city, make_member, make_participant):
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=make_member(city))
    ana, bob = make_participant(), make_participant()
    held = do_verify_census(participant=ana, organisation=city, identifier="A-1", birth_date=BIRTH)
    Verification.objects.filter(pk=held.pk).update(expires_at=timezone.now() - timedelta(days=1))

    with pytest.raises(ValidationError):
        do_verify_census(participant=bob, organisation=city, identifier="A-1", birth_date=BIRTH)
    assert VerificationConflict.objects.get().holder == ana

    # its holder verifies again after expiry
    renewed = do_verify_census(
        participant=ana, organisation=city, identifier="A-1", birth_date=BIRTH
    )
    assert renewed.expires_at > timezone.now()


def test_a_revoked_verification_frees_the_identity(city, make_member, make_participant):
    admin = make_member(city)
    do_import_census(organisation=city, rows=[("A-1", "1984-03-07")], actor=admin)
    ana, bob = make_participant(), make_participant()
    held = do_verify_census(participant=ana, organisation=city, identifier="A-1", birth_date=BIRTH)
    do_revoke_verification(verification=held, actor=admin, reason="wrong person")
    assert (
        do_verify_census(
            participant=bob, organisation=city, identifier="A-1", birth_date=BIRTH
        ).participant
        == bob
    )


# --- codes --------------------------------------------------------------------------


def test_codes_are_generated_in_batches_stored_hashed_and_used_once(
    city, make_member, make_participant
):
    admin = make_member(city)
    codes = do_generate_codes(organisation=city, count=50, batch="letters-2026", actor=admin)
    assert len(codes) == len(set(codes)) == 50
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    assert VotingCode.objects.filter(organisation=city, batch="letters-2026").count() == 50
    assert stored_anywhere(codes[0]) == []
    ana, bob = make_participant(), make_participant()

    verification = do_redeem_code(participant=ana, organisation=city, code=codes[0].lower())

    assert verification.method == "code"
    used = VotingCode.objects.get(used_by=ana)
    assert used.used_at is not None
    with pytest.raises(ValidationError) as refused:
        do_redeem_code(participant=bob, organisation=city, code=codes[0])
    assert refused.value.messages == ["This code is not valid or has already been used."]
    assert codes_of(bob) == []
    assert VotingCode.objects.filter(used_at__isnull=True).count() == 49


def test_a_code_of_another_organisation_or_a_made_up_code_is_refused(
    city, make_organisation, make_member, make_participant
):
    other = make_organisation()
    [code] = do_generate_codes(organisation=other, count=1, batch="x", actor=make_member(other))
    for attempt in (code, "AAAAA-BBBBB", ""):
        with pytest.raises(ValidationError):
            do_redeem_code(participant=make_participant(), organisation=city, code=attempt)
    assert VotingCode.objects.get().used_at is None


@pytest.mark.parametrize("count", [0, 100_001])
def test_batches_have_bounds(city, make_member, count):
    with pytest.raises(ValidationError):
        do_generate_codes(organisation=city, count=count, batch="x", actor=make_member(city))
    assert VotingCode.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_parallel_redemptions_of_one_code_exactly_one_wins(city, make_member, make_participant):
    [code] = do_generate_codes(organisation=city, count=1, batch="x", actor=make_member(city))
    people = [make_participant() for _ in range(2)]

    def redeem(person):
        with scope(organisation=city):  # as under the organisation's URL
            return do_redeem_code(participant=person, organisation=city, code=code)

    results = in_parallel(redeem, people, threads=2)

    won = [r for r in results if isinstance(r, Verification)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert (len(won), len(lost)) == (1, 1), results
    winner = won[0].participant
    assert VotingCode.objects.get().used_by == winner
    assert Verification.objects.filter(method="code").count() == 1
    assert lost[0].messages == ["This code is not valid or has already been used."]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_parallel_redemptions_of_a_few_codes(city, make_member, make_participant):
    codes = do_generate_codes(organisation=city, count=3, batch="x", actor=make_member(city))
    attempts = [(make_participant(), codes[n % 3]) for n in range(12)]

    def redeem(attempt):
        with scope(organisation=city):
            return do_redeem_code(participant=attempt[0], organisation=city, code=attempt[1])

    results = in_parallel(redeem, attempts, threads=12)

    assert sum(isinstance(r, Verification) for r in results) == 3
    assert VotingCode.objects.filter(used_at__isnull=False).count() == 3
    assert Verification.objects.filter(method="code").count() == 3


# --- expiry, revocation, age, and what decide() makes of them ---------------------------


@pytest.fixture
def vote_needing(make_instance, make_phase, city):
    from parlons.core.registry import ModuleDeclaration, ModuleRegistry

    fresh = ModuleRegistry()
    fresh.register(ModuleDeclaration(key="pages", name="Vote", capabilities=("show", "vote")))

    def make(required):
        from parlons.core.processes.models import Process

        process = Process.objects.create(organisation=city, slug=f"p-{len(required)}", title={})
        instance = make_instance(process, required_verifications=required)
        make_phase(process, openings=[(instance, "vote")], days=400)
        return lambda person, **kw: decide(
            person=person, capability="vote", instance=instance, modules=fresh, **kw
        )

    return make


def test_an_expired_verification_no_longer_counts(vote_needing, city, make_participant):
    may_vote = vote_needing({"postcode": {}})
    ana = make_participant()
    verification = do_verify_postcode(participant=ana, organisation=city, postcode="69001")
    assert may_vote(ana).reason == "ok"
    later = verification.expires_at + timedelta(seconds=1)
    assert may_vote(ana, now=later).reason == "verification_required"
    assert may_vote(ana, now=later).missing_verifications == ("postcode",)


def test_a_revoked_verification_stops_counting_at_once(
    vote_needing, city, make_member, make_participant
):
    may_vote = vote_needing({"postcode": {}})
    ana = make_participant()
    verification = do_verify_postcode(participant=ana, organisation=city, postcode="69001")
    do_revoke_verification(verification=verification, actor=make_member(city), reason="moved")
    assert may_vote(ana).reason == "verification_required"
    entry = AuditEntry.objects.get(code="participants.verification.revoked")
    assert entry.data == {"method": "postcode", "reason": "moved"}
    assert entry.organisation == city


def test_a_verification_of_another_organisation_does_not_count(
    vote_needing, make_organisation, make_participant
):
    may_vote = vote_needing({"postcode": {}})
    other = make_organisation()
    Area.objects.create(organisation=other, code="x", name={}, postcodes=["13001"])
    ana = make_participant()
    do_verify_postcode(participant=ana, organisation=other, postcode="13001")
    assert may_vote(ana).reason == "verification_required"


@pytest.mark.parametrize(("years", "reason"), [(15, "verification_required"), (16, "ok")])
def test_minimum_age(vote_needing, make_participant, years, reason):
    may_vote = vote_needing({"age": {"min": 16}})
    today = timezone.localdate()
    born = date(today.year - years, today.month, min(today.day, 28))
    ana = make_participant()
    do_verify_age(participant=ana, birth_date=born)
    assert may_vote(ana).reason == reason


def test_a_birth_date_in_the_future_is_refused(make_participant):
    with pytest.raises(ValidationError):
        do_verify_age(
            participant=make_participant(), birth_date=timezone.localdate() + timedelta(days=1)
        )
    assert Verification.objects.count() == 0
