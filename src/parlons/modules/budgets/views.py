"""Public pages of a participatory budget: the budgets, a budget with its ballot, a
project, proposing one, the results with the recount file, the follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parlons.contributions.maps import allow_tiles, map_data
from parlons.contributions.panels import panel_for
from parlons.contributions.selectors import locations_of
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused, decide
from parlons.core.processes.models import Area
from parlons.core.processes.selectors import access_instance
from parlons.modules.budgets import services
from parlons.modules.budgets.ballots import Choice, parse_choices, total_cost
from parlons.modules.budgets.explanations import explain
from parlons.modules.budgets.forms import ProjectForm
from parlons.modules.budgets.hooks import instance_kwargs, project_url
from parlons.modules.budgets.models import Budget, Status
from parlons.modules.budgets.selectors import (
    access_budget,
    access_project,
    funded_projects,
    projects_visible_to,
)

RECEIPT_KEY = "budgets.receipt"


def _instance(request, process_slug: str, instance_slug: str):
    return access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="budgets",
    )


def _context(instance, **extra):
    return {"instance": instance, "process": instance.process, **extra}


@require_GET
def detail(request, organisation_slug, process_slug, instance_slug):
    """The budgets of this participatory budget, each with its amount, ballot and rule."""
    instance = _instance(request, process_slug, instance_slug)
    budgets = list(Budget.objects.filter(instance=instance).select_related("area"))
    return render(
        request,
        "budgets/detail.html",
        _context(
            instance,
            budgets=budgets,
            submit=decide(person=request.user, capability="submit", instance=instance),
            funded=any(b.closed_at for b in budgets),
        ),
    )


def _ballot_context(request, budget, choices: list[Choice], errors: list[str]):
    person = request.user
    projects = list(projects_visible_to(person=person, budget=budget))
    on_ballot = [p for p in projects if p.status == Status.FEASIBLE]
    chosen = {c.project: c.points for c in choices}
    for project in projects:
        project.instance = budget.instance
        project.url = project_url(project)
        project.chosen = chosen.get(project.pk)
    by_id = {p.pk: p for p in on_ballot}
    valid = [c for c in choices if c.project in by_id]
    return {
        "budget": budget,
        "projects": projects,
        "on_ballot": on_ballot,
        "eligibility": services.eligibility(person=person, budget=budget),
        "voted": services.has_voted(person=person, budget=budget),
        "errors": errors,
        "total": total_cost(choices=valid, projects=by_id),
        "points_given": sum(c.points for c in valid),
        "rank_range": range(1, (budget.max_choices or 0) + 1),
        "receipt": request.session.pop(RECEIPT_KEY, None),
    }


@require_http_methods(["GET", "POST"])
def budget(request, organisation_slug, process_slug, instance_slug, budget_slug):
    """A budget: its projects, and the ballot where the person may vote (no JS needed;
    a live total where scripts run). A refused ballot comes back with the reason."""
    instance = _instance(request, process_slug, instance_slug)
    found = access_budget(instance=instance, slug=budget_slug)
    errors: list[str] = []
    choices: list[Choice] = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            choices = parse_choices(budget=found, data=dict(request.POST.lists()))
            receipt = services.do_cast_ballot(person=request.user, budget=found, choices=choices)
        except (ValidationError, Refused) as error:
            errors = errors_of(error)
        else:
            if receipt:
                request.session[RECEIPT_KEY] = receipt
            messages.success(
                request,
                _("Your ballot is recorded.") if receipt else _("Your ballot was changed."),
            )
            return redirect(request.path)
    elif services.has_voted(person=request.user, budget=found):
        choices = services.current_choices(person=request.user, budget=found)
    context = _context(instance, **_ballot_context(request, found, choices, errors))
    return render(request, "budgets/budget.html", context, status=400 if errors else 200)


@require_GET
def results(request, organisation_slug, process_slug, instance_slug, budget_slug):
    """The outcome: funded projects with why, votes and costs, greedy for comparison, and
    the anonymised ballots to recount."""
    instance = _instance(request, process_slug, instance_slug)
    found = access_budget(instance=instance, slug=budget_slug)
    if not found.results:
        return render(request, "budgets/no_results.html", _context(instance, budget=found))
    projects = {str(p.pk): p for p in found.projects.all()}
    for project in projects.values():
        project.instance = instance
    data = found.results
    rows = []
    for pid, project in projects.items():
        if pid not in data["votes"]:
            continue
        project.url = project_url(project)
        rows.append(
            {
                "project": project,
                "votes": data["votes"][pid],
                "funded": pid in data["winners"],
                "greedy": pid in data["greedy"]["winners"],
                "why": explain(steps=data["steps"].get(pid, []), budget=found),
            }
        )
    rows.sort(key=lambda row: (not row["funded"], -row["votes"]))
    return render(
        request,
        "budgets/results.html",
        _context(
            instance,
            budget=found,
            rows=rows,
            data=data,
            rule_text=budget_rule_text(found),
            same_as_greedy=set(data["winners"]) == set(data["greedy"]["winners"]),
        ),
    )


@require_GET
def pb_file(request, organisation_slug, process_slug, instance_slug, budget_slug):
    """The anonymised ballots and projects as a Pabulib file."""
    instance = _instance(request, process_slug, instance_slug)
    found = access_budget(instance=instance, slug=budget_slug)
    if not found.published_pb:
        return HttpResponse(status=404)
    response = HttpResponse(found.published_pb, content_type="text/plain; charset=utf-8")
    name = f"{process_slug}_{instance_slug}_{budget_slug}.pb"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def project(request, organisation_slug, process_slug, instance_slug, pk: int):
    """One project: its description, cost, evaluation, images, place and comments."""
    instance = _instance(request, process_slug, instance_slug)
    found = access_project(person=request.user, instance=instance, pk=pk)
    panel = panel_for(request=request, obj=found)
    location = panel.location
    tiles = panel.tile_url if location is not None and location.has_point else ""
    places = map_data(instance=instance, places=[(found.title, "", location)]) if tiles else None
    response = render(
        request,
        "budgets/project.html",
        _context(instance, project=found, budget=found.budget, panel=panel, map=places),
    )
    return allow_tiles(response, tiles=tiles)


def _areas(instance):
    areas = instance.process.areas.all()
    return (
        areas if areas.exists() else Area.objects.filter(organisation=instance.process.organisation)
    )


@require_http_methods(["GET", "POST"])
def new_project(request, organisation_slug, process_slug, instance_slug):
    """Propose a project for one of the budgets."""
    instance = _instance(request, process_slug, instance_slug)
    decision = decide(person=request.user, capability="submit", instance=instance)
    if not decision:
        if decision.reason == "login_required":
            return redirect_to_login(request.get_full_path())
        return render(
            request, "budgets/closed.html", _context(instance, decision=decision), status=403
        )
    budgets = Budget.objects.filter(instance=instance, closed_at__isnull=True, past=False)
    form = ProjectForm(
        request.POST or None, request.FILES or None, budgets=budgets, areas=_areas(instance)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = services.ProjectInput(
            budget=data["budget"],
            title=data["title"],
            body=data["body"],
            cost=data["cost"],
            category=data["category"] or "",
            area=data["area"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"] or "",
        )
        uploads = [data["image"]] if data.get("image") else []
        try:
            created = services.do_submit_project(
                person=request.user, instance=instance, values=values, uploads=uploads
            )
        except (ValidationError, Refused) as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your project is published; the evaluators review it next.")
            )
            return redirect(project_url(created))
    return render(request, "budgets/new_project.html", _context(instance, form=form))


def _add_errors(form, error) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in errors_of(error):
            form.add_error(None, message)


@require_GET
def followup(request, organisation_slug, process_slug, instance_slug):
    """Every funded project: status, progress, milestones, spending, photos, on a map."""
    instance = _instance(request, process_slug, instance_slug)
    projects = list(funded_projects(instance=instance))
    located = locations_of(target_type="budgets.project", ids=[p.pk for p in projects])
    for project in projects:
        project.instance = instance
        project.url = project_url(project)
    places = [(p.title, p.url, located[p.pk]) for p in projects if p.pk in located]
    map_info = map_data(instance=instance, places=places) if places else None
    response = render(
        request,
        "budgets/followup.html",
        _context(instance, projects=projects, map=map_info, places=places),
    )
    tiles = map_info.tile_url if map_info and map_info.located else ""
    return allow_tiles(response, tiles=tiles)


def budget_rule_text(budget: Budget) -> str:
    """The rule exactly as the command line takes it (with its option when it has one)."""
    off = budget.rule == "mes-add1-integral" and (budget.results or {}).get("fill") is False
    return f"{budget.rule} --no-fill" if off else budget.rule


def budget_url(budget: Budget) -> str:
    return reverse(
        "budgets:budget", kwargs={**instance_kwargs(budget.instance), "budget_slug": budget.slug}
    )
