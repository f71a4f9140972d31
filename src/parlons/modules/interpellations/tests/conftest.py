"""Factories for the interpellation tests: a small directory, a live campaign, and the
real French deputies (parsed once per session from the shared data)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest

from parlons.testing.data import shared_data

# Three deputies of two constituencies; postcode 01000 spans both (Bourg-en-Bresse split).
DEPUTIES = (
    "id,nom,prenom,groupe,groupeAbrev,departementCode,departementNom,circo,mail,website\n"
    "PA1,Breton,Xavier,Droite Républicaine,DR,01,Ain,1,xavier.breton@an.example,\n"
    "PA2,Martin,Anne,Écologiste et Social,ECOS,01,Ain,4,anne.martin@an.example,\n"
    "PA3,Durand,Luc,Ensemble pour la République,EPR,01,Ain,2,luc.durand@an.example,\n"
)
COMMUNES = (
    "DEP;COMMUNE_RESID;LIBcom;circo\n01;01053;Bourg-en-Bresse;01001\n"
    "01;01053;Bourg-en-Bresse;01004\n01;01344;Saint-Denis-lès-Bourg;01001\n"
    "01;01004;Ambérieu-en-Bugey;01002\n"
)
POSTCODES = (
    "Code_commune_INSEE;Nom_commune;Code_postal\r\n01053;BOURG EN BRESSE;01000\r\n"
    "01344;ST DENIS LES BOURG;01000\r\n01004;AMBERIEU EN BUGEY;01500\r\n"
)


@pytest.fixture(autouse=True)
def english():
    """Tests read the English pages and messages (and leave no language behind); the
    French and German ones are checked where said."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def small_directory(deputies: str = DEPUTIES):
    from parlons.formats.representatives import read_french_deputies

    return read_french_deputies(
        deputies=io.StringIO(deputies),
        communes=io.StringIO(COMMUNES),
        postcodes=io.StringIO(POSTCODES),
    )


@pytest.fixture(scope="session")
def french_deputies():
    """The real 577 deputies with INSEE's and La Poste's tables (parsed once)."""
    from parlons.formats.representatives import read_french_deputies

    fr = shared_data("representatives", "fr")
    return read_french_deputies(
        deputies=fr / "deputes_actifs_datan.csv",
        communes=fr / "circo_composition_insee.csv",
        postcodes=fr / "laposte_hexasmal.csv",
    )


@dataclass
class Setup:
    organisation: Any
    process: Any
    instance: Any
    phase: Any
    directory: Any
    campaign: Any
    proposals: list


@pytest.fixture
def make_campaign(make_organisation, make_process, make_instance, make_phase):
    """A campaign with three proposals on a directory (the small one unless given)."""
    from parlons.modules.interpellations import services
    from parlons.modules.interpellations.models import Source

    def make(
        *, parsed=None, when="during", settings=None, opens=("show", "interpellate"), **fields
    ) -> Setup:
        organisation = make_organisation(languages=["fr", "en", "de"])
        process = make_process(organisation, languages=["fr", "en", "de"])
        instance = make_instance(
            process,
            module="interpellations",
            title={"fr": "Interpellez vos députés", "en": "Question your MPs", "de": "Fragen"},
            settings={"allow_guests": True, **(settings or {})},
            **fields,
        )
        phase = make_phase(process, when=when, openings=[(instance, c) for c in opens])
        directory = services.do_create_directory(
            actor=None, organisation=organisation, name="Députés", source=Source.FRENCH_DEPUTIES
        )
        services.do_import_directory(
            actor=None, directory=directory, parsed=parsed or small_directory()
        )
        campaign = services.do_save_campaign(
            actor=None,
            instance=instance,
            directory=directory,
            introduction={"fr": "Cinq propositions pour la démocratie."},
            subject={"fr": "Cinq propositions pour la démocratie", "en": "Five proposals"},
            template={"fr": "Madame, Monsieur, je vous demande de soutenir ces propositions."},
        )
        proposals = [
            services.do_save_proposal(
                actor=None,
                instance=instance,
                title={"fr": f"Proposition {n}", "en": f"Proposal {n}"},
                text={},
            )
            for n in (1, 2, 3)
        ]
        instance.process = process
        return Setup(organisation, process, instance, phase, directory, campaign, proposals)

    return make


@pytest.fixture
def campaign(make_campaign) -> Setup:
    return make_campaign()


def rep(setup: Setup, external_id: str):
    from parlons.modules.interpellations.models import Representative

    return Representative.objects.get(directory=setup.directory, external_id=external_id)


def url(setup: Setup, name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(
        f"interpellations:{name}",
        kwargs={
            "organisation_slug": setup.organisation.slug,
            "process_slug": setup.process.slug,
            "instance_slug": setup.instance.slug,
            **kwargs,
        },
    )


@pytest.fixture
def staff(campaign, make_member):
    """An administrator of the campaign's organisation, with two-factor authentication."""
    from allauth.mfa.totp.internal.auth import TOTP

    person = make_member(campaign.organisation, "admin")
    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return person


def link_path(body: str, marker: str) -> str:
    """The path of the first link in an e-mail body whose address contains ``marker``."""
    import re
    from urllib.parse import urlsplit

    found = next(u for u in re.findall(r"https?://\S+", body) if marker in u)
    return urlsplit(found).path
