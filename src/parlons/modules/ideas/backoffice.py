"""Organisers' pages of an idea box: the evaluators' list with bulk status changes, the
settings, the categories and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.contributions.panels import backoffice_url
from parlons.contributions.services import do_bulk_answer
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import Area, ModuleInstance
from parlons.core.registry import registry
from parlons.lib.i18n import pick
from parlons.modules.ideas import exports, services
from parlons.modules.ideas.forms import BulkStatusForm, CategoryForm
from parlons.modules.ideas.hooks import idea_url
from parlons.modules.ideas.models import Category, Idea, Status
from parlons.modules.ideas.settings import IdeasSettingsForm, setting

EVALUATORS = ("admin", "evaluator")
EXPORT_ROLES = ("admin", "evaluator", "analyst")


def _instance(process_slug: str, instance_slug: str) -> ModuleInstance:
    instance = (
        ModuleInstance.objects.select_related("process__organisation")
        .filter(process__slug=process_slug, slug=instance_slug, module="ideas")
        .first()
    )
    if instance is None:
        raise Http404("No such idea box")
    return instance


def _urls(instance: ModuleInstance) -> dict[str, str]:
    kwargs = {
        "organisation_slug": instance.process.organisation.slug,
        "process_slug": instance.process.slug,
        "instance_slug": instance.slug,
    }
    return {
        "index": reverse("bo_ideas:index", kwargs=kwargs),
        "settings": reverse("bo_ideas:settings", kwargs=kwargs),
        "categories": reverse("bo_ideas:categories", kwargs=kwargs),
        "moderation": backoffice_url("moderation", instance=instance),
        "public": reverse("ideas:detail", kwargs=kwargs),
    }


def _filtered(request, instance: ModuleInstance):
    ideas = Idea.objects.filter(instance=instance).select_related("category", "area", "author")
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        ideas = ideas.filter(Q(title__icontains=q) | Q(body__icontains=q))
    status = request.GET.get("status") or ""
    if status in Status.values:
        ideas = ideas.filter(status=status)
    category = request.GET.get("category") or ""
    if category.isdigit():
        ideas = ideas.filter(category_id=int(category))
    area = request.GET.get("area") or ""
    if area.isdigit():
        ideas = ideas.filter(area_id=int(area))
    if request.GET.get("hidden") == "yes":
        ideas = ideas.filter(hidden_at__isnull=False)
    order = request.GET.get("order") or "supported"
    ordering = {
        "supported": ("-support_count", "-created_at"),
        "newest": ("-created_at",),
        "commented": ("-comment_count", "-created_at"),
    }.get(order, ("-support_count", "-created_at"))
    return ideas.order_by(*ordering, "-pk"), {
        "q": q,
        "status": status,
        "category": category,
        "area": area,
        "hidden": request.GET.get("hidden") == "yes",
        "order": order,
    }


def _bulk(request, instance: ModuleInstance, form: BulkStatusForm) -> bool:
    ids = [int(v) for v in request.POST.getlist("ideas") if v.isdigit()][:1000]
    chosen = list(Idea.objects.filter(instance=instance, pk__in=ids).select_related("instance"))
    if not chosen:
        form.add_error(None, _("Tick at least one idea."))
        return False
    for idea in chosen:
        idea.instance = instance
    try:
        do_bulk_answer(
            person=request.user,
            objs=chosen,
            status=form.cleaned_data["status"],
            explanation=form.cleaned_data["explanation"],
        )
    except (Refused, ValidationError) as error:
        for message in errors_of(error):
            form.add_error(None, message)
        return False
    messages.success(
        request,
        ngettext(
            "%(count)d idea now has the status “%(status)s”.",
            "%(count)d ideas now have the status “%(status)s”.",
            len(chosen),
        )
        % {"count": len(chosen), "status": Status(form.cleaned_data["status"]).label},
    )
    return True


@organiser_required("admin", "evaluator", "moderator", "analyst")
def index(request, organisation_slug, process_slug, instance_slug):
    """Evaluators' list: filters, and one status for the ideas ticked."""
    instance = _instance(process_slug, instance_slug)
    form = BulkStatusForm(request.POST or None, languages=instance.process.languages)
    if request.method == "POST":
        if not request.roles & set(EVALUATORS):
            raise Http404("Evaluators only")
        if form.is_valid() and _bulk(request, instance, form):
            return redirect(request.get_full_path())
    ideas, chosen = _filtered(request, instance)
    page = Paginator(ideas, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for idea in rows:
        idea.instance = instance
        idea.url = idea_url(idea)
        idea.answer_url = backoffice_url(
            "answer", instance=instance, target="ideas.idea", pk=idea.pk
        )
    declaration = registry.get("ideas")
    return render(
        request,
        "ideas/backoffice/index.html",
        {
            "instance": instance,
            "process": instance.process,
            "page": page,
            "ideas": rows,
            "chosen": chosen,
            "form": form,
            "statuses": Status.choices,
            "categories": Category.objects.filter(instance=instance),
            "areas": Area.objects.filter(organisation=instance.process.organisation_id),
            "urls": _urls(instance),
            "evaluator": bool(request.roles & set(EVALUATORS)),
            "exporters": [
                (e.label, reverse("bo_ideas:export", kwargs={**_kwargs(instance), "key": e.key}))
                for e in declaration.exporters
            ]
            if request.roles & set(EXPORT_ROLES)
            else [],
        },
    )


def _kwargs(instance: ModuleInstance) -> dict[str, str]:
    return {
        "organisation_slug": instance.process.organisation.slug,
        "process_slug": instance.process.slug,
        "instance_slug": instance.slug,
    }


@organiser_required("admin")
def settings_page(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(process_slug, instance_slug)
    current = {name: setting(instance, name) for name in IdeasSettingsForm.base_fields}
    form = IdeasSettingsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_settings(
                actor=request.user, instance=instance, settings=form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect(_urls(instance)["index"])
    return render(
        request,
        "ideas/backoffice/settings.html",
        {"instance": instance, "process": instance.process, "form": form, "urls": _urls(instance)},
    )


@organiser_required("admin")
def categories(request, organisation_slug, process_slug, instance_slug):
    """Add, rename and delete the categories of the idea box."""
    instance = _instance(process_slug, instance_slug)
    languages = instance.process.languages
    form = CategoryForm(request.POST or None, languages=languages)
    if request.method == "POST" and "delete" in request.POST:
        found = get_object_or_404(Category, instance=instance, pk=_pk(request.POST["delete"]))
        services.do_delete_category(actor=request.user, category=found)
        messages.success(request, _("The category was deleted."))
        return redirect(request.get_full_path())
    if request.method == "POST" and form.is_valid():
        editing = request.POST.get("category")
        found = get_object_or_404(Category, instance=instance, pk=_pk(editing)) if editing else None
        try:
            services.do_save_category(
                actor=request.user,
                instance=instance,
                name=form.cleaned_data["name"],
                category=found,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The category was saved."))
            return redirect(request.get_full_path())
    rows = [(c, pick(c.name)) for c in Category.objects.filter(instance=instance)]
    return render(
        request,
        "ideas/backoffice/categories.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "rows": rows,
            "urls": _urls(instance),
        },
    )


def _pk(value) -> int:
    if not str(value).isdigit():
        raise Http404("No such category")
    return int(value)


@organiser_required(*EXPORT_ROLES)
def export(request, organisation_slug, process_slug, instance_slug, key: str):
    """Stream one export (participants pseudonymised) without holding it in memory."""
    instance = _instance(process_slug, instance_slug)
    chunks = exports.STREAMS.get(key)
    if chunks is None:
        raise Http404("No such export")
    content_type, suffix, stream = chunks
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(stream(instance=instance), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{instance.slug}-{key}-{stamp}.{suffix}"'
    )
    return response
