"""The interpellation module's part of the demo city: a coalition asks the deputies of
the département where they stand on five proposals for local democracy.

The deputies are fictional (the real directories are imported by organisers from the
public files: ``parlons import-representatives``); postcodes are those of the demo city.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Process
from parlons.formats.representatives import read_french_deputies
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Directory, Proposal, Source

DEPUTIES = (
    "id,nom,prenom,groupe,groupeAbrev,departementCode,departementNom,circo,mail,website\n"
    "DEMO1,Garnier,Hélène,Écologiste et Social,ECOS,38,Isère,1,helene.garnier@deputes.demo,\n"
    "DEMO2,Roux,Mathieu,Ensemble pour la République,EPR,38,Isère,2,mathieu.roux@deputes.demo,\n"
    "DEMO3,Fontaine,Nadia,Socialistes et apparentés,SOC,38,Isère,3,nadia.fontaine@deputes.demo,\n"
)
COMMUNES = (
    "DEP;COMMUNE_RESID;LIBcom;circo\n38;38999;Villeneuve-sur-Lac;38001\n"
    "38;38999;Villeneuve-sur-Lac;38002\n38;38998;Les Rives;38003\n"
)
POSTCODES = (
    "Code_commune_INSEE;Nom_commune;Code_postal\r\n38999;VILLENEUVE SUR LAC;38100\r\n"
    "38999;VILLENEUVE SUR LAC;38200\r\n38998;LES RIVES;38200\r\n"
)
PROPOSALS = (
    ({"fr": "Un budget participatif dans chaque commune de plus de 10 000 habitants",
      "en": "A participatory budget in every town of over 10,000 inhabitants",
      "de": "Ein Bürgerhaushalt in jeder Gemeinde über 10.000 Einwohner"}),
    ({"fr": "Le droit de pétition locale : une réponse obligatoire à 1 % des habitants",
      "en": "A local right of petition: an answer required at 1% of the inhabitants",
      "de": "Ein lokales Petitionsrecht: Antwortpflicht ab 1 % der Einwohner"}),
    ({"fr": "Des assemblées citoyennes tirées au sort sur le climat",
      "en": "Citizens' assemblies chosen by lot on the climate",
      "de": "Ausgeloste Bürgerräte zum Klima"}),
    ({"fr": "Les données publiques ouvertes par défaut",
      "en": "Public data open by default",
      "de": "Öffentliche Daten standardmäßig offen"}),
    ({"fr": "Des logiciels libres pour la participation en ligne",
      "en": "Free software for online participation",
      "de": "Freie Software für die Online-Beteiligung"}),
)  # fmt: skip


def _campaign(organisation: Organisation) -> ModuleInstance:
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="interpellez-vos-deputes",
        defaults={
            "title": {
                "fr": "Interpellez vos députés",
                "en": "Question your deputies",
                "de": "Befragen Sie Ihre Abgeordneten",
            },
            "summary": {
                "fr": "Cinq propositions pour la démocratie locale : où en sont nos députés ?",
                "en": "Five proposals for local democracy: where do our deputies stand?",
                "de": "Fünf Vorschläge für die lokale Demokratie: Wo stehen unsere Abgeordneten?",
            },
        },
    )
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="cinq-propositions",
        module="interpellations",
        defaults={
            "title": {
                "fr": "Cinq propositions pour la démocratie locale",
                "en": "Five proposals for local democracy",
                "de": "Fünf Vorschläge für die lokale Demokratie",
            },
            "settings": {"allow_guests": True},
        },
    )
    demo_phase(
        process,
        title={"fr": "Interpellation", "en": "Interpellation", "de": "Befragung"},
        days=(-10, 50),
        openings=[(instance, "show"), (instance, "interpellate")],
    )
    return instance


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """The campaign, its fictional deputies, five proposals and a first stance."""
    instance = _campaign(organisation)
    if Proposal.objects.filter(instance=instance).exists():
        return
    directory = Directory.objects.filter(organisation=organisation, slug="deputes-isere").first()
    if directory is None:
        directory = services.do_create_directory(
            actor=people.organiser,
            organisation=organisation,
            name="Députés de l'Isère (démo)",
            source=Source.FRENCH_DEPUTIES,
            slug="deputes-isere",
        )
    parsed = read_french_deputies(
        deputies=io.StringIO(DEPUTIES),
        communes=io.StringIO(COMMUNES),
        postcodes=io.StringIO(POSTCODES),
    )
    services.do_import_directory(actor=people.organiser, directory=directory, parsed=parsed)
    services.do_save_campaign(
        actor=people.organiser,
        instance=instance,
        directory=directory,
        introduction={
            "fr": "La coalition des associations de Villeneuve demande aux députés de la "
            "circonscription de se prononcer sur **cinq propositions concrètes**. Écrivez au "
            "vôtre, et suivez leurs réponses sur le tableau des positions.",
            "en": "The coalition of Villeneuve's associations asks the deputies to take a stance "
            "on **five concrete proposals**. Write to yours, and follow their answers on the "
            "scoreboard.",
            "de": "Das Bündnis der Vereine von Villeneuve bittet die Abgeordneten, zu **fünf "
            "konkreten Vorschlägen** Stellung zu nehmen. Schreiben Sie Ihrer oder Ihrem "
            "Abgeordneten und verfolgen Sie die Antworten in der Übersicht.",
        },
        subject={
            "fr": "Cinq propositions pour la démocratie locale",
            "en": "Five proposals for local democracy",
            "de": "Fünf Vorschläge für die lokale Demokratie",
        },
        template={
            "fr": "Madame la députée, Monsieur le député,\n\nHabitant de votre circonscription, "
            "je vous demande de soutenir les cinq propositions de la coalition pour la "
            "démocratie locale, et de nous dire publiquement votre position.\n\n"
            "Avec mes salutations citoyennes,",
            "en": "Dear Member,\n\nAs a resident of your constituency, I ask you to support the "
            "coalition's five proposals for local democracy, and to tell us your stance "
            "publicly.\n\nYours sincerely,",
            "de": "Sehr geehrte Abgeordnete, sehr geehrter Abgeordneter,\n\nals Einwohnerin "
            "oder Einwohner Ihres Wahlkreises bitte ich Sie, die fünf Vorschläge des Bündnisses "
            "zu unterstützen und Ihre Position öffentlich zu machen.\n\nMit freundlichen Grüßen",
        },
    )
    proposals = [
        services.do_save_proposal(actor=people.organiser, instance=instance, title=title, text={})
        for title in PROPOSALS
    ]
    garnier = directory_representative(directory, "DEMO1")
    services.do_record_stances(
        person=people.organiser,
        instance=instance,
        representative=garnier,
        positions={p.pk: "supports" for p in proposals[:4]} | {proposals[4].pk: "undecided"},
        source="Réponse par courrier à la coalition",
        stated_on=(timezone.now() - timedelta(days=3)).date(),
    )


def directory_representative(directory: Directory, external_id: str):
    from parlons.modules.interpellations.models import Representative

    return Representative.objects.get(directory=directory, external_id=external_id)
