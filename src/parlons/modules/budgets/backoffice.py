"""Organisers' pages of a participatory budget: budgets and their rule, evaluation of
projects, paper ballots, closing the vote, follow-up, exports and import of a past one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import Area, ModuleInstance
from parlons.core.registry import registry
from parlons.modules.budgets import services
from parlons.modules.budgets.ballots import parse_choices
from parlons.modules.budgets.forms import (
    BudgetForm,
    EvaluateForm,
    FollowUpForm,
    ImportForm,
    MilestoneForm,
    PaperForm,
    PhotoForm,
)
from parlons.modules.budgets.imports import do_import_pb
from parlons.modules.budgets.models import Budget, Project

STAFF = ("admin", "evaluator", "mediator", "moderator", "analyst")
EVALUATORS = ("admin", "evaluator")


def _instance(process_slug: str, instance_slug: str) -> ModuleInstance:
    instance = (
        ModuleInstance.objects.select_related("process__organisation")
        .filter(process__slug=process_slug, slug=instance_slug, module="budgets")
        .first()
    )
    if instance is None:
        raise Http404("No such participatory budget")
    return instance


def _kwargs(instance: ModuleInstance) -> dict[str, str]:
    return {
        "organisation_slug": instance.process.organisation.slug,
        "process_slug": instance.process.slug,
        "instance_slug": instance.slug,
    }


def _index_url(instance: ModuleInstance) -> str:
    return reverse("bo_budgets:index", kwargs=_kwargs(instance))


def _budget(instance: ModuleInstance, slug: str) -> Budget:
    found = Budget.objects.filter(instance=instance, slug=slug).first()
    if found is None:
        raise Http404("No such budget")
    found.instance = instance
    return found


def _project(instance: ModuleInstance, pk: int) -> Project:
    found = Project.objects.filter(instance=instance, pk=pk).select_related("budget").first()
    if found is None:
        raise Http404("No such project")
    found.instance = instance
    found.budget.instance = instance
    return found


def _add_errors(form, error) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in errors_of(error):
            form.add_error(None, message)


@organiser_required(*STAFF)
def index(request, organisation_slug, process_slug, instance_slug):
    """The budgets, the projects to review, the exports."""
    instance = _instance(process_slug, instance_slug)
    budgets = list(Budget.objects.filter(instance=instance))
    projects = list(
        Project.objects.filter(instance=instance).select_related("budget").order_by("budget", "pk")
    )
    declaration = registry.get("budgets")
    exporters = [
        (e.label, reverse("bo_budgets:export", kwargs={**_kwargs(instance), "key": e.key}))
        for e in declaration.exporters
    ]
    return render(
        request,
        "budgets/backoffice/index.html",
        {
            "instance": instance,
            "process": instance.process,
            "budgets": budgets,
            "projects": projects,
            "exporters": exporters,
            "roles": request.roles,
        },
    )


BUDGET_FIELDS = [
    "slug",
    "amount",
    "currency",
    "area",
    "ballot_type",
    "min_choices",
    "max_choices",
    "max_cost",
    "points",
    "max_points_per_project",
    "rule",
]


def _budget_initial(budget: Budget | None) -> dict:
    if budget is None:
        return {"currency": "EUR", "min_choices": 1, "points": 10, "rule": "mes"}
    return {name: getattr(budget, name) for name in BUDGET_FIELDS}


@organiser_required("admin")
def budget_form(request, organisation_slug, process_slug, instance_slug, budget_slug=None):
    """Create or change a budget: amount, voters, ballot, the rule (fixed once voting began)."""
    instance = _instance(process_slug, instance_slug)
    budget = _budget(instance, budget_slug) if budget_slug else None
    areas = Area.objects.filter(organisation=instance.process.organisation)
    form = BudgetForm(
        request.POST or None,
        areas=areas,
        languages=instance.process.languages,
        initial=_budget_initial(budget),
        initial_texts={"title": budget.title if budget else {}},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = budget or Budget(instance=instance)
        target.title = {k: v for k, v in data["title"].items() if v}
        for name in BUDGET_FIELDS:
            setattr(target, name, data[name])
        try:
            services.do_save_budget(actor=request.user, instance=instance, budget=target)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The budget was saved."))
            return redirect(_index_url(instance))
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "process": instance.process,
            "title": _("Change the budget") if budget else _("Add a budget"),
            "submit": _("Save"),
        },
    )


@organiser_required(*EVALUATORS)
def evaluate(request, organisation_slug, process_slug, instance_slug, pk: int):
    """Review one project: status, revised cost, public justification, merge."""
    instance = _instance(process_slug, instance_slug)
    project = _project(instance, pk)
    others = Project.objects.filter(budget=project.budget).exclude(pk=project.pk)
    form = EvaluateForm(
        request.POST or None,
        others=others,
        initial={
            "status": project.status,
            "revised_cost": project.revised_cost,
            "justification": project.justification,
            "merged_into": project.merged_into_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_evaluate_project(
                actor=request.user,
                project=project,
                status=data["status"],
                revised_cost=data["revised_cost"],
                justification=data["justification"],
                merged_into=data["merged_into"],
            )
        except (ValidationError, Refused) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The review was saved."))
            return redirect(_index_url(instance))
    return render(
        request,
        "budgets/backoffice/evaluate.html",
        {"form": form, "process": instance.process, "instance": instance, "project": project},
    )


@organiser_required("admin", "mediator")
def paper(request, organisation_slug, process_slug, instance_slug, budget_slug):
    """A mediator enters a paper ballot, checked like any other."""
    instance = _instance(process_slug, instance_slug)
    budget = _budget(instance, budget_slug)
    form = PaperForm(request.POST or None)
    projects = list(services.ballot_projects(budget).values())
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            choices = parse_choices(budget=budget, data=dict(request.POST.lists()))
            services.do_enter_paper_ballot(
                actor=request.user,
                budget=budget,
                choices=choices,
                reference=form.cleaned_data["reference"],
            )
        except (ValidationError, Refused) as error:
            errors = errors_of(error)
        else:
            messages.success(request, _("The paper ballot was entered."))
            return redirect(request.path)
    return render(
        request,
        "budgets/backoffice/paper.html",
        {
            "form": form,
            "process": instance.process,
            "instance": instance,
            "budget": budget,
            "projects": projects,
            "errors": errors,
            "rank_range": range(1, (budget.max_choices or 0) + 1),
        },
        status=400 if errors else 200,
    )


@organiser_required("admin")
def close(request, organisation_slug, process_slug, instance_slug, budget_slug):
    """Close the vote and compute the outcome (POST only, after a confirmation page)."""
    instance = _instance(process_slug, instance_slug)
    budget = _budget(instance, budget_slug)
    if request.method == "POST":
        try:
            services.do_close_budget(actor=request.user, budget=budget)
        except (ValidationError, Refused) as error:
            for message in errors_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("The vote is closed and the results are published."))
        return redirect(_index_url(instance))
    return render(
        request,
        "budgets/backoffice/close.html",
        {"process": instance.process, "instance": instance, "budget": budget},
    )


@organiser_required(*EVALUATORS)
def followup(request, organisation_slug, process_slug, instance_slug, pk: int):
    """Report on a funded project: status, progress, spending, milestones, photos."""
    instance = _instance(process_slug, instance_slug)
    project = _project(instance, pk)
    form = FollowUpForm(
        request.POST if "followup" in request.POST else None,
        initial={
            "followup": project.followup or "planned",
            "progress": project.progress,
            "spent": project.spent,
            "note": project.followup_note,
        },
    )
    milestone = MilestoneForm(request.POST if "due" in request.POST else None, prefix="m")
    photo = PhotoForm(request.POST or None, request.FILES or None, prefix="p")
    done = False
    try:
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            services.do_update_followup(
                actor=request.user,
                project=project,
                followup=data["followup"],
                progress=data["progress"],
                spent=data["spent"],
                note=data["note"],
            )
            done = True
        elif milestone.is_bound and milestone.is_valid():
            data = milestone.cleaned_data
            services.do_add_milestone(
                actor=request.user,
                project=project,
                title=data["title"],
                due=data["due"],
                done=data["done"],
            )
            done = True
        elif request.FILES and photo.is_valid():
            services.do_add_photo(
                actor=request.user, project=project, uploads=[photo.cleaned_data["photo"]]
            )
            done = True
    except (ValidationError, Refused) as error:
        _add_errors(form, error)
    if done:
        messages.success(request, _("The follow-up was saved."))
        return redirect(request.path)
    return render(
        request,
        "budgets/backoffice/followup.html",
        {
            "process": instance.process,
            "instance": instance,
            "project": project,
            "form": form,
            "milestone": milestone,
            "photo": photo,
        },
    )


@organiser_required("admin")
def import_pb(request, organisation_slug, process_slug, instance_slug):
    """Bring a past budget from a Pabulib file: projects, ballots, results."""
    instance = _instance(process_slug, instance_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["file"].read().decode("utf-8")
            do_import_pb(
                actor=request.user,
                instance=instance,
                text=text,
                slug=data["slug"],
                title={instance.process.languages[0]: data["title"]},
            )
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The past budget was imported."))
            return redirect(_index_url(instance))
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "process": instance.process,
            "title": _("Import a past budget (Pabulib)"),
            "submit": _("Import"),
            "multipart": True,
        },
    )


@organiser_required("admin", "evaluator", "analyst")
def export(request, organisation_slug, process_slug, instance_slug, key: str):
    """One export of the declaration, as a download."""
    instance = _instance(process_slug, instance_slug)
    found = next((e for e in registry.get("budgets").exporters if e.key == key), None)
    if found is None:
        raise Http404("No such export")
    response = HttpResponse(content_type=found.content_type)
    found.write(instance, response)
    response["Content-Disposition"] = f'attachment; filename="{instance.slug}-{key}.csv"'
    return response
