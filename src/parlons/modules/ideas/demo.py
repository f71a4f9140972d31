"""The idea box of the demo city: "Villeneuve demain", ideas of residents in French,
organisers' texts in French, English and German.  Idempotent."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from parlons.contributions.models import Answer, Comment, Location, Support
from parlons.contributions.services import do_refresh_counts, touch
from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.participants.models import Participant
from parlons.core.processes.models import Area, ModuleInstance, Process
from parlons.modules.ideas.models import Category, Idea

CATEGORIES = {
    "mobilite": {"fr": "Mobilité", "en": "Getting around", "de": "Mobilität"},
    "nature": {"fr": "Nature en ville", "en": "Nature in town", "de": "Natur in der Stadt"},
    "culture-sport": {
        "fr": "Culture et sport",
        "en": "Culture and sport",
        "de": "Kultur und Sport",
    },
    "vivre-ensemble": {"fr": "Vivre ensemble", "en": "Living together", "de": "Zusammenleben"},
}
RESIDENTS = (
    ("lea.dupont@villeneuve.demo", "Léa Dupont"),
    ("marc.girard@villeneuve.demo", "Marc Girard"),
    ("amina.diallo@villeneuve.demo", "Amina Diallo"),
    ("jean.roux@villeneuve.demo", "Jean Roux"),
    ("sarah.klein@villeneuve.demo", "Sarah Klein"),
)
# title, body, category, area, (lat, lon, address) or None, author index, supporters, days ago
IDEAS = (
    (
        "Une piste cyclable continue le long du lac",
        "Aujourd'hui la piste s'arrête au port et reprend 800 m plus loin : il faut rouler "
        "sur la départementale. Je propose de **relier les deux tronçons** par la berge, "
        "avec un marquage au sol et un éclairage doux.\n\n- plus sûr pour les enfants qui "
        "vont au collège des Rives\n- un vrai parcours de promenade le week-end",
        "mobilite",
        "les-rives",
        ("45.179012", "5.716230", "Quai du Port"),
        0,
        6,
        24,
    ),
    (
        "Des fontaines à eau potable dans les parcs",
        "L'été dernier, il n'y avait aucun point d'eau au parc Bonnevaux ni au jardin de la "
        "Mairie. Trois fontaines suffiraient, près des jeux d'enfants et du terrain de boules.",
        "nature",
        "centre",
        ("45.188530", "5.724524", "Parc Bonnevaux"),
        1,
        5,
        21,
    ),
    (
        "Ouvrir la médiathèque le dimanche après-midi",
        "Beaucoup d'actifs ne peuvent venir qu'en fin de semaine. Une ouverture de 14 h à "
        "18 h le dimanche, même un dimanche sur deux, changerait la vie des familles.",
        "culture-sport",
        "centre",
        None,
        2,
        4,
        18,
    ),
    (
        "Plus d'arbres et d'ombre dans la cour de l'école Jean-Moulin",
        "La cour est entièrement goudronnée et dépasse 40 °C en juin. Des arbres, un peu de "
        "pleine terre et des bancs à l'ombre : c'est ce que demandent les parents d'élèves.",
        "nature",
        "plateau",
        ("45.195870", "5.735410", "École Jean-Moulin, rue des Tilleuls"),
        3,
        5,
        15,
    ),
    (
        "Des bancs le long de la promenade des Rives",
        "Pour les personnes âgées, la promenade est trop longue sans pause. Un banc tous les "
        "200 mètres, tourné vers le lac.",
        "vivre-ensemble",
        "les-rives",
        ("45.177300", "5.713900", "Promenade des Rives"),
        4,
        3,
        12,
    ),
    (
        "Une navette électrique vers la gare le soir",
        "Après 20 h il n'y a plus de bus entre le Plateau et la gare. Une petite navette à la "
        "demande permettrait de rentrer du travail sans voiture.",
        "mobilite",
        "plateau",
        None,
        5,
        2,
        9,
    ),
    (
        "Un atelier solidaire de réparation de vélos",
        "Un local, quelques outils et des bénévoles : chacun apprend à réparer son vélo. "
        "L'ancienne conciergerie du gymnase est vide depuis deux ans.",
        "vivre-ensemble",
        "centre",
        ("45.186200", "5.727800", "Gymnase municipal"),
        1,
        4,
        6,
    ),
    (
        "Un festival de musique des quartiers en juin",
        "Une scène par quartier le même soir, avec les écoles de musique et les groupes "
        "amateurs de la ville.",
        "culture-sport",
        None,
        None,
        2,
        1,
        3,
    ),
)
COMMENTS = (
    # idea index, author index, body, alignment, reply to (index in this list) or None
    (0, 1, "Oui ! Je fais ce trajet tous les jours avec ma fille, c'est dangereux.", 1, None),
    (0, 4, "Attention à garder la place pour les piétons sur la berge.", 0, None),
    (0, 0, "Bonne remarque : une bande séparée de 1,5 m suffirait.", None, 1),
    (1, 3, "Et un robinet pour remplir les gourdes des coureurs.", 1, None),
    (3, 2, "Les enfants ont besoin de cette ombre, c'est urgent.", 1, None),
    (3, 5, "Il faudra prévoir l'arrosage les premières années.", 0, None),
    (5, 0, "Une navette à la demande coûte cher pour peu de trajets.", -1, None),
    (5, 3, "Il y a pourtant beaucoup de monde au dernier train.", None, 6),
)
ANSWERS = {
    1: (
        "accepted",
        {
            "fr": "Trois fontaines seront installées au printemps prochain (budget voté en "
            "conseil municipal).",
            "en": "Three fountains will be installed next spring (budget voted by the town "
            "council).",
            "de": "Drei Brunnen werden im nächsten Frühjahr aufgestellt (vom Gemeinderat "
            "beschlossenes Budget).",
        },
    ),
    2: (
        "under_review",
        {
            "fr": "Le service culturel étudie le coût d'une ouverture un dimanche sur deux.",
            "en": "The culture department is costing an opening every other Sunday.",
            "de": "Das Kulturamt prüft die Kosten einer Öffnung an jedem zweiten Sonntag.",
        },
    ),
    5: (
        "rejected",
        {
            "fr": "La communauté d'agglomération prolonge la ligne 4 jusqu'à 22 h dès "
            "septembre : une navette ferait doublon.",
            "en": "The urban community extends bus line 4 until 10 pm from September: a "
            "shuttle would duplicate it.",
            "de": "Der Gemeindeverband verlängert die Buslinie 4 ab September bis 22 Uhr: "
            "ein Shuttle wäre doppelt.",
        },
    ),
}


def _residents(people: DemoPeople) -> list[Participant]:
    found = [people.participant]
    for email, name in RESIDENTS:
        person = Participant.objects.filter(email=email).first()
        if person is None:
            person = Participant.objects.create_user(email, None, display_name=name)
        found.append(person)
    return found


def _box(organisation: Organisation) -> ModuleInstance:
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="villeneuve-demain",
        defaults={
            "title": {
                "fr": "Villeneuve demain : vos idées",
                "en": "Villeneuve tomorrow: your ideas",
                "de": "Villeneuve morgen: Ihre Ideen",
            },
            "summary": {
                "fr": "Proposez, soutenez et discutez les idées qui changeront la ville. "
                "Chaque idée reçoit une réponse de la mairie.",
                "en": "Suggest, support and discuss the ideas that will change the town. "
                "Every idea gets an answer from the town hall.",
                "de": "Schlagen Sie Ideen vor, die die Stadt verändern, unterstützen und "
                "diskutieren Sie sie. Jede Idee erhält eine Antwort des Rathauses.",
            },
        },
    )
    process.areas.set(Area.objects.filter(organisation=organisation))
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="idees",
        module="ideas",
        defaults={
            "title": {"fr": "La boîte à idées", "en": "The idea box", "de": "Die Ideenbox"},
            "settings": {"support_threshold": 5, "map_center": "45.1885,5.7245"},
        },
    )
    demo_phase(
        process,
        title={
            "fr": "Idées et soutiens",
            "en": "Ideas and supports",
            "de": "Ideen und Unterstützung",
        },
        days=(-25, 35),
        openings=[(instance, c) for c in ("show", "submit", "comment", "support")],
    )
    demo_phase(
        process,
        title={
            "fr": "Réponses de la mairie",
            "en": "The town hall answers",
            "de": "Die Antworten des Rathauses",
        },
        days=(35, 65),
        openings=[(instance, "show")],
    )
    return instance


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """The demo idea box, with ideas, supports, comments, places and answers."""
    instance = _box(organisation)
    if Idea.objects.filter(instance=instance).exists():
        return
    categories = {
        code: Category.objects.get_or_create(
            instance=instance, code=code, defaults={"name": name, "position": n}
        )[0]
        for n, (code, name) in enumerate(CATEGORIES.items())
    }
    areas = {a.code: a for a in Area.objects.filter(organisation=organisation)}
    residents = _residents(people)
    now = timezone.now()
    ideas = []
    for title, body, category, area, place, author, supporters, days in IDEAS:
        idea = Idea.objects.create(
            instance=instance,
            author=residents[author],
            title=title,
            body=body,
            language="fr",
            category=categories[category],
            area=areas.get(area),
            created_at=now - timedelta(days=days),
        )
        if place:
            Location.objects.create(
                instance=instance,
                target_type="ideas.idea",
                target_id=idea.pk,
                latitude=Decimal(place[0]),
                longitude=Decimal(place[1]),
                address=place[2],
                area=areas.get(area),
            )
        for person in [p for p in residents if p != residents[author]][:supporters]:
            Support.objects.create(
                instance=instance, target_type="ideas.idea", target_id=idea.pk, participant=person
            )
        ideas.append(idea)
    _comments(instance, ideas, residents, now)
    for index, (status, explanation) in ANSWERS.items():
        Answer.objects.create(
            instance=instance,
            target_type="ideas.idea",
            target_id=ideas[index].pk,
            status=status,
            explanation=explanation,
            answered_by=people.evaluator,
            answered_at=now - timedelta(days=2),
        )
        Idea.objects.filter(pk=ideas[index].pk).update(status=status)
    touch(target_type="ideas.idea", ids=[idea.pk for idea in ideas])
    do_refresh_counts()


def _comments(instance, ideas, residents, now) -> None:
    written: list[Comment] = []
    for n, (idea, author, body, alignment, parent) in enumerate(COMMENTS):
        above = written[parent] if parent is not None else None
        written.append(
            Comment.objects.create(
                instance=instance,
                target_type="ideas.idea",
                target_id=ideas[idea].pk,
                parent=above,
                root=(above.root or above) if above else None,
                depth=above.depth + 1 if above else 0,
                author=residents[author],
                body=body,
                alignment=alignment,
                language="fr",
                created_at=now - timedelta(days=10 - n),
            )
        )
