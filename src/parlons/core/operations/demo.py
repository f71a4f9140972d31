"""The demo city: a believable organisation, people, and a process per module.

``parlons demo`` runs :func:`load_demo`; each module adds its own example through
``ModuleDeclaration.demo(organisation=..., people=...)``.  Idempotent: running it again
creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from parlons.core.organisations.models import Member, Organisation, Role
from parlons.core.participants.models import Participant
from parlons.core.processes.models import Area, Opening, Phase, Process
from parlons.core.registry import registry
from parlons.core.tenancy import scope

PASSWORD = "parlons-demo"  # a demo on a laptop; printed by ./run
# The demo organiser is an administrator, and administrators use two-factor
# authentication: this known secret lets `parlons demo --code` print the current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPPARLONSDEMO2FA22"


def current_totp_code() -> str:
    """The six-digit code the demo organiser's authenticator would show now."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _two_factor(person: Participant) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, TOTP_SECRET)


@dataclass(frozen=True)
class DemoPeople:
    organiser: Participant
    participant: Participant
    evaluator: Participant
    moderator: Participant


def _person(email: str, name: str, *, language: str = "fr") -> Participant:
    person = Participant.objects.filter(email=email).first()
    if person is None:
        person = Participant.objects.create_user(
            email, PASSWORD, display_name=name, language=language
        )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=person, email=email, defaults={"verified": True, "primary": True}
    )
    from parlons.core.participants.services import do_record_email_verification

    do_record_email_verification(participant=person)
    return person


def demo_people() -> DemoPeople:
    return DemoPeople(
        organiser=_person("organisatrice@villeneuve.demo", "Claire Martin"),
        participant=_person("habitant@villeneuve.demo", "Karim Benali"),
        evaluator=_person("evaluateur@villeneuve.demo", "Sophie Lefèvre"),
        moderator=_person("moderatrice@villeneuve.demo", "Inès Moreau"),
    )


def demo_phase(process: Process, *, title: dict, days: tuple[int, int], openings=()) -> Phase:
    """A phase from ``days[0]`` to ``days[1]`` days from now, opening ``openings``."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    phase, _created = Phase.objects.get_or_create(
        process=process,
        title=title,
        defaults={
            "starts_at": now + timedelta(days=days[0]),
            "ends_at": now + timedelta(days=days[1]),
        },
    )
    for instance, capability in openings:
        Opening.objects.get_or_create(phase=phase, instance=instance, capability=capability)
    return phase


def demo_logo() -> bytes:
    """The demo city's emblem, drawn here (a sun over the lake) so no image is committed."""
    import io

    from PIL import Image, ImageDraw

    size = 256
    image = Image.new("RGB", (size, size), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, size - 8, size - 8), radius=48, fill="#1d4e89")
    draw.ellipse((78, 46, 178, 146), fill="#f0a43a")
    for n, top in enumerate((140, 172, 204)):
        points = [(x, top + (14 if (x // 28) % 2 else 0)) for x in range(24, size - 23, 28)]
        draw.line(points, fill="#ffffff" if n != 1 else "#9cc3ea", width=12, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _organisation() -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug="villeneuve",
        defaults={
            "name": "Ville de Villeneuve-sur-Lac",
            "description": {
                "fr": "Villeneuve-sur-Lac (48 000 habitants) associe ses habitantes et "
                "habitants aux décisions : budget participatif, concertations, "
                "questionnaires et pétitions.",
                "en": "Villeneuve-sur-Lac (48,000 inhabitants) involves its residents in "
                "decisions: participatory budget, consultations, surveys and petitions.",
                "de": "Villeneuve-sur-Lac (48.000 Einwohner) beteiligt seine Bevölkerung an "
                "Entscheidungen: Bürgerhaushalt, Konsultationen, Umfragen, Petitionen.",
            },
            "languages": ["fr", "en", "de"],
        },
    )
    if not organisation.logo:
        from django.core.files.base import ContentFile

        organisation.logo.save("villeneuve.png", ContentFile(demo_logo()), save=True)
    return organisation


def _areas(organisation: Organisation) -> None:
    for code, names, postcodes in (
        ("centre", {"fr": "Centre-ville", "en": "Town centre", "de": "Stadtzentrum"}, ["38100"]),
        ("les-rives", {"fr": "Les Rives", "en": "Les Rives", "de": "Les Rives"}, ["38110"]),
        ("plateau", {"fr": "Le Plateau", "en": "The Plateau", "de": "Das Plateau"}, ["38120"]),
    ):
        Area.objects.get_or_create(
            organisation=organisation, code=code, defaults={"name": names, "postcodes": postcodes}
        )


@transaction.atomic
def load_demo() -> Organisation:
    """Create (or complete) the demo city and every module's example."""
    people = demo_people()
    organisation = _organisation()
    with scope(organisation=organisation):
        Member.objects.get_or_create(
            organisation=organisation, participant=people.organiser, role=Role.ADMIN
        )
        _two_factor(people.organiser)
        Member.objects.get_or_create(
            organisation=organisation, participant=people.evaluator, role=Role.EVALUATOR
        )
        Member.objects.get_or_create(
            organisation=organisation, participant=people.moderator, role=Role.MODERATOR
        )
        _areas(organisation)
        for declaration in registry:
            if declaration.demo is not None:
                declaration.demo(organisation=organisation, people=people)
    return organisation
