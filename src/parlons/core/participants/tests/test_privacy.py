"""Download my data, delete my account, and the retention of guests' addresses."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.utils import timezone

from parlons.api.services import do_create_token
from parlons.core.audit.models import AuditEntry
from parlons.core.audit.sentences import describe
from parlons.core.organisations.models import Member
from parlons.core.participants.guests import do_open_guest
from parlons.core.participants.models import Demographics, Guest, Participant, Verification
from parlons.core.participants.privacy import (
    check_erase_participant,
    do_erase_expired_guests,
    do_erase_participant,
    do_export_personal_data,
    export_personal_data,
)
from parlons.core.participants.services import (
    do_record_email_verification,
    do_save_demographics,
    do_update_profile,
    do_verify_age,
)
from parlons.core.participants.tasks import erase_expired_guests
from parlons.core.processes.models import Phase
from parlons.core.registry import ModuleDeclaration, ModuleRegistry, PersonalData

pytestmark = pytest.mark.django_db


class Ideas:
    """A module's contributions, as a stand-in module would keep them."""

    def __init__(self) -> None:
        self.authors: dict[int, int | None] = {}  # idea -> author

    def export(self, *, participant):
        return {"ideas": [idea for idea, a in self.authors.items() if a == participant.pk]}

    def erase(self, *, participant):
        for idea, author in self.authors.items():
            if author == participant.pk:
                self.authors[idea] = None  # anonymised, still counted


@pytest.fixture
def ideas():
    return Ideas()


@pytest.fixture
def modules(ideas):
    fresh = ModuleRegistry()
    fresh.register(
        ModuleDeclaration(
            key="pages",
            name="Ideas",
            capabilities=("show",),
            personal_data=PersonalData(export=ideas.export, erase=ideas.erase),
        )
    )
    return fresh


@pytest.fixture
def ana(make_participant, make_organisation):
    person = make_participant("ana@example.org", display_name="Ana Lima", language="en")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    do_record_email_verification(participant=person)
    do_update_profile(participant=person, values={"display_name": "Ana L.", "notify_updates": True})
    do_save_demographics(
        participant=person,
        consent=True,
        values={"age_band": "30-44", "gender": "woman", "area_code": "Croix-Rousse"},
    )
    do_verify_age(participant=person, birth_date=date(1990, 5, 1))
    do_create_token(participant=person, name="my script")
    return person


def unzip(archive: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {
            name: opened.read(name).decode()
            if name.endswith(".txt")
            else json.loads(opened.read(name))
            for name in opened.namelist()
        }


def test_the_export_holds_every_kind_of_personal_data(ana, modules, ideas, make_process):
    ideas.authors = {1: ana.pk, 2: None, 3: ana.pk}
    process = make_process()
    guest, _path = do_open_guest(
        organisation=process.organisation,
        process=process,
        email="ANA@example.org",
        language="en",
        module="pages",
    )
    do_open_guest(
        organisation=process.organisation, process=process, email="x@y.org", language="en",
        module="pages",
    )  # fmt: skip

    files = unzip(export_personal_data(participant=ana, modules=modules))

    assert sorted(files) == [
        "README.txt",
        "api_tokens.json",
        "audit.json",
        "demographics.json",
        "guests.json",
        "modules/pages.json",
        "profile.json",
        "roles.json",
        "verifications.json",
    ]
    profile = files["profile.json"]
    assert (profile["email"], profile["display_name"], profile["language"]) == (
        "ana@example.org",
        "Ana L.",
        "en",
    )
    assert profile["notifications"] == {"replies": True, "updates": True}
    assert profile["email_addresses"] == [
        {"email": "ana@example.org", "verified": True, "primary": True}
    ]
    assert files["demographics.json"] | {"consented_at": None} == {
        "consented_at": None,
        "age_band": "30-44",
        "gender": "woman",
        "area": "Croix-Rousse",
        "extra": {},
    }
    assert [(v["method"], v["data"]) for v in files["verifications.json"]] == [
        ("email", {}),
        ("age", {"birth_date": "1990-05-01", "source": "declared"}),
    ]
    assert [t["name"] for t in files["api_tokens.json"]] == ["my script"]
    assert "secret" not in json.dumps(files["api_tokens.json"])
    assert [(g["email"], g["process"]) for g in files["guests.json"]] == [
        ("ana@example.org", process.slug)
    ]
    assert [e["code"] for e in files["audit.json"]] == [
        "participants.email.verified",
        "participants.profile.updated",
        "participants.demographics.saved",
        "participants.verification.granted",
        "api.token.created",
    ]
    assert files["modules/pages.json"] == {"ideas": [1, 3]}
    assert "ana@example.org" in files["README.txt"] and "profile.json" in files["README.txt"]


def test_the_readme_is_in_the_persons_language(make_participant):
    sophie = make_participant(language="fr")
    readme = unzip(export_personal_data(participant=sophie))["README.txt"]
    assert "Chaque fichier est un document JSON" in readme


def test_an_export_is_audited(ana, make_organisation, make_member):
    city = make_organisation()
    admin = make_member(city)
    do_export_personal_data(participant=ana, actor=ana)
    do_export_personal_data(participant=ana, actor=admin, organisation=city)
    entries = AuditEntry.objects.filter(code="participants.data.exported").order_by("pk")
    assert [(e.actor, e.organisation, e.data) for e in entries] == [
        (ana, None, {"by": "self"}),
        (admin, city, {"by": "admin"}),
    ]


def test_erasure_deletes_personal_data_and_keeps_contributions_anonymous(
    ana, modules, ideas, make_organisation, make_member, make_process
):
    ideas.authors = {1: ana.pk, 2: None, 3: ana.pk}
    city = make_organisation()
    make_member(city, "moderator", participant=ana)
    make_member(city, "admin")
    private = make_process(organisation=city, visibility="private")
    private.invited.add(ana)
    Authenticator.objects.create(user=ana, type=Authenticator.Type.TOTP, data={"secret": "x"})
    guest, _ = do_open_guest(
        organisation=city, process=private, email="ana@example.org", language="fr", module="pages"
    )
    entries_before = AuditEntry.objects.count()
    participants_before = Participant.objects.count()

    check_erase_participant(participant=ana)
    do_erase_participant(participant=ana, actor=ana, modules=modules)

    ana.refresh_from_db()
    assert ana.email == f"erased-{ana.pk}@invalid"
    assert (ana.display_name, ana.is_active, ana.has_usable_password()) == ("", False, False)
    assert ana.last_login is None and ana.erased_at is not None
    assert ana.public_name == "Anonymous participant"
    for model in (Demographics, Verification, EmailAddress, Authenticator, Member):
        field = "user" if model in (EmailAddress, Authenticator) else "participant"
        assert not model.objects.filter(**{field: ana}).exists(), model
    assert not ana.api_tokens.exists() and not ana.invited_processes.exists()
    guest.refresh_from_db()
    assert (guest.email, guest.erased_at is not None) == ("", True)
    # contributions stay, anonymous; counts are unchanged
    assert ideas.authors == {1: None, 2: None, 3: None}
    assert Participant.objects.count() == participants_before
    assert AuditEntry.objects.count() == entries_before + 1
    mine = AuditEntry.objects.filter(actor=ana, code="participants.profile.updated").get()
    assert describe(mine).startswith("Anonymous participant")
    erased = AuditEntry.objects.get(code="participants.account.erased")
    assert (erased.actor, erased.data) == (None, {"by": "self"})
    # nothing of the person is left in the export
    files = unzip(export_personal_data(participant=ana, modules=modules))
    assert "ana@example.org" not in json.dumps(files) and "Ana L." not in json.dumps(files)


def test_an_admin_erasure_is_audited_in_the_organisation(ana, make_organisation, make_member):
    city = make_organisation()
    admin = make_member(city)
    do_erase_participant(participant=ana, actor=admin, organisation=city)
    erased = AuditEntry.objects.get(code="participants.account.erased")
    assert (erased.actor, erased.organisation, erased.data) == (admin, city, {"by": "admin"})


def test_the_last_administrator_of_an_organisation_cannot_be_erased(
    make_organisation, make_member, make_participant
):
    city = make_organisation()
    claire = make_member(city, "admin")
    with pytest.raises(ValidationError) as refused:
        check_erase_participant(participant=claire)
    assert refused.value.code == "last_admin"
    make_member(city, "admin")
    check_erase_participant(participant=claire)  # a second administrator: allowed


def test_an_erased_person_cannot_log_in(client, make_participant):
    person = make_participant("bo@example.org", password="correct horse battery")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    do_erase_participant(participant=person, actor=person)
    assert client.get("/en/me/").status_code == 302  # the session no longer authenticates
    assert not client.login(email="bo@example.org", password="correct horse battery")


# --- retention of guests ----------------------------------------------------------------


@pytest.fixture
def guests(make_process):
    """Guests of a process that ended 7 months ago, 5 months ago, and one still running."""
    now = timezone.now()
    made = {}
    for name, ended in (("old", 7 * 30 + 1), ("recent", 5 * 30), ("running", -3)):
        process = make_process()
        for finished in (ended + 60, ended):  # two phases; the process ends with the last
            Phase.objects.create(
                process=process,
                title={"fr": "Phase"},
                starts_at=now - timedelta(days=finished + 30),
                ends_at=now - timedelta(days=finished),
            )
        made[name], _ = do_open_guest(
            organisation=process.organisation,
            process=process,
            email=f"{name}@example.org",
            language="fr",
            module="pages",
        )
    orphan, _ = do_open_guest(
        organisation=process.organisation,
        process=None,
        email="orphan@example.org",
        language="fr",
        module="pages",
    )
    Guest.objects.filter(pk=orphan.pk).update(created_at=now - timedelta(days=200))
    made["orphan"] = orphan
    return made


def emails(guests):
    return {name: Guest.objects.get(pk=g.pk).email for name, g in guests.items()}


def test_guests_are_erased_n_months_after_their_process_ends(guests):
    assert do_erase_expired_guests(months=6) == 2
    assert emails(guests) == {
        "old": "",
        "recent": "recent@example.org",
        "running": "running@example.org",
        "orphan": "",
    }
    assert Guest.objects.get(pk=guests["old"].pk).erased_at is not None
    assert do_erase_expired_guests(months=6) == 0  # idempotent


def test_the_scheduled_task_uses_the_retention_setting(guests, settings):
    settings.PARLONS = {**settings.PARLONS, "GUEST_RETENTION_MONTHS": 4}
    result = erase_expired_guests.enqueue()
    assert result.return_value == 3
    assert emails(guests)["running"] == "running@example.org"
    assert emails(guests)["recent"] == ""


def test_finished_tasks_holding_emails_are_pruned_after_a_week():
    from django_tasks_db.models import DBTaskResult

    from parlons.core.participants.privacy import do_prune_task_results

    now = timezone.now()

    def task_row(finished_days_ago):
        return DBTaskResult.objects.create(
            status="SUCCESSFUL" if finished_days_ago is not None else "READY",
            args_kwargs={"args": [], "kwargs": {"email": {"to": ["ana@example.org"]}}},
            task_path="parlons.core.notifications.tasks.send_email",
            backend_name="default",
            run_after=now,
            finished_at=None
            if finished_days_ago is None
            else now - timedelta(days=finished_days_ago),
        )

    old, recent, waiting = task_row(8), task_row(6), task_row(None)
    assert do_prune_task_results(now=now) == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


def test_expired_sessions_are_cleared_by_the_daily_task(client, make_participant):
    from django.contrib.sessions.models import Session

    from parlons.core.participants.tasks import prune_expired_data

    client.force_login(make_participant())
    live = Session.objects.get()
    stale = Session.objects.create(
        session_key="stale0123456789",
        session_data="x",
        expire_date=timezone.now() - timedelta(seconds=1),
    )
    assert prune_expired_data.enqueue().return_value == {"tasks": 0, "sessions": 1}
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert not Session.objects.filter(pk=stale.pk).exists()
