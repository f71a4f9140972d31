"""Follow-up of funded projects, import of a real Pabulib file as a past budget, the
demo, and the personal-data export and erasure."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from parlons.modules.budgets.ballots import Choice
from parlons.modules.budgets.imports import do_import_pb
from parlons.modules.budgets.models import Ballot, Budget, Milestone, Project, VoterMark
from parlons.modules.budgets.services import (
    do_add_milestone,
    do_cast_ballot,
    do_close_budget,
    do_update_followup,
)
from parlons.testing.data import shared_data

pytestmark = pytest.mark.django_db


def test_funded_projects_are_followed_up(pb, make_phase, make_budget, voter):
    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget = make_budget(pb, rule="greedy", max_choices=1)
    do_cast_ballot(person=voter(), budget=budget, choices=[Choice(budget.made[0].pk)])
    do_close_budget(actor=pb.admin, budget=budget)
    funded, other = (Project.objects.get(pk=p.pk) for p in budget.made[:2])
    assert funded.selected and not other.selected
    with pytest.raises(ValidationError, match="Only funded projects"):
        do_update_followup(
            actor=pb.evaluator, project=other, followup="works", progress=10, spent=0, note=""
        )
    with pytest.raises(ValidationError, match="percentage"):
        do_update_followup(
            actor=pb.evaluator, project=funded, followup="works", progress=120, spent=0, note=""
        )
    do_update_followup(
        actor=pb.evaluator, project=funded, followup="works", progress=40, spent=150, note="Go"
    )
    do_add_milestone(
        actor=pb.evaluator, project=funded, title="Works begin", due="2027-03-01", done=True
    )
    funded.refresh_from_db()
    assert (funded.followup, funded.progress, funded.spent) == ("works", 40, 150)
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Works begin"]


def test_a_real_pb_file_imports_with_the_official_outcome(pb):
    path = shared_data("pabulib", "Netherlands_Assen_2024.pb")
    text = path.read_text(encoding="utf-8")
    budget = do_import_pb(
        actor=pb.admin, instance=pb.instance, text=text, slug="assen", title={"en": "Assen"}
    )
    assert (budget.past, budget.rule, budget.amount) == (True, "mes-add1-integral", 100000)
    assert budget.published_pb == text
    assert Project.objects.filter(budget=budget).count() == 14
    assert Ballot.objects.filter(budget=budget).count() == 84
    assert VoterMark.objects.filter(budget=budget).count() == 0  # no one is named
    official = _selected_in_file(text)
    funded = set(
        Project.objects.filter(budget=budget, selected=True).values_list("external_id", flat=True)
    )
    assert funded == official
    assert {int(pk) for pk in budget.results["winners"]} == set(
        Project.objects.filter(budget=budget, selected=True).values_list("pk", flat=True)
    )


def _selected_in_file(text: str) -> set[str]:
    lines = text.splitlines()
    start, end = lines.index("PROJECTS"), lines.index("VOTES")
    header = lines[start + 1].split(";")
    rows = [line.split(";") for line in lines[start + 2 : end]]
    return {r[0] for r in rows if r[header.index("selected")] == "1"}


def test_a_malformed_file_is_refused_with_its_line(pb):
    bad = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;50\n"
    bad += "VOTES\nvoter_id;vote\n1;7\n"
    with pytest.raises(ValidationError, match="line 10: vote on unknown project '7'"):
        do_import_pb(actor=pb.admin, instance=pb.instance, text=bad, slug="x", title={"en": "X"})
    assert Budget.objects.count() == 0


def test_the_import_command(pb, tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n"
        "1;60;Trees\n2;50;Benches\n3;40;Books\nVOTES\nvoter_id;vote\n1;1,3\n2;1\n3;2\n",
        encoding="utf-8",
    )
    call_command(
        "budgets_import",
        str(path),
        organisation=pb.organisation.slug,
        process=pb.process.slug,
        instance=pb.instance.slug,
        slug="old",
        title="2019",
    )
    budget = Budget.objects.get(slug="old")
    funded = Project.objects.filter(budget=budget, selected=True).values_list("title", flat=True)
    assert sorted(funded) == ["Books", "Trees"]


def test_the_demo_loads_twice_without_duplicates():
    from parlons.core.operations.demo import load_demo

    load_demo()
    load_demo()
    assert Budget.objects.filter(instance__process__slug="budget-participatif-2027").count() == 4
    assert Project.objects.filter(instance__process__slug="budget-participatif-2027").count() == 13


def test_personal_data_export_and_erasure(pb, make_phase, make_budget, voter):
    from parlons.modules.budgets.personal_data import erase, export

    make_phase(pb.process, openings=[(pb.instance, "vote")])
    budget = make_budget(pb)
    person = voter()
    Project.objects.filter(pk=budget.made[0].pk).update(author=person)
    do_cast_ballot(person=person, budget=budget, choices=[Choice(budget.made[3].pk)])
    data = export(participant=person)
    assert [p["id"] for p in data["projects"]] == [budget.made[0].pk]
    assert len(data["voted_on"]) == 1 and "choices" not in str(data)
    erase(participant=person)
    assert Project.objects.get(pk=budget.made[0].pk).author is None
    assert VoterMark.objects.get().participant is None
    assert Ballot.objects.count() == 1
