"""Public pages of an idea box: the list, an idea, submitting and editing, the map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parlons.contributions.maps import allow_tiles, map_data
from parlons.contributions.models import Attachment, Location
from parlons.contributions.panels import panel_for
from parlons.contributions.selectors import attachments_of, reactions_of, tile_url
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused, decide
from parlons.core.processes.models import Area
from parlons.core.processes.selectors import access_instance
from parlons.modules.ideas import services
from parlons.modules.ideas.forms import ORDER_LABELS, FilterForm, IdeaForm
from parlons.modules.ideas.hooks import idea_url
from parlons.modules.ideas.models import Category, Idea
from parlons.modules.ideas.selectors import (
    MAX_SEED,
    IdeaFilters,
    access_idea,
    list_ideas,
    may_see_hidden,
    new_seed,
    similar_ideas,
    visible_ideas,
)
from parlons.modules.ideas.settings import setting

PER_PAGE = 20
LABEL = "ideas.idea"


def _instance(request, process_slug: str, instance_slug: str):
    return access_instance(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, module="ideas"
    )


def _areas(instance) -> list[Area]:
    """The process's areas, or the organisation's when the process names none."""
    areas = list(instance.process.areas.all())
    return areas or list(Area.objects.filter(organisation=instance.process.organisation_id))


def _seed(request, asked: str | None) -> int:
    """The visitor's seed for the random order: from the address, else kept in the session
    of a logged-in participant; anonymous visitors carry it in the links (no cookie)."""
    if asked and asked.isdigit() and 0 < int(asked) < MAX_SEED:
        return int(asked)
    if request.user.is_authenticated:
        seed = request.session.get("ideas_seed")
        if not seed:
            seed = request.session["ideas_seed"] = new_seed()
        return int(seed)
    return new_seed()


def _filters(request, form: FilterForm, instance, categories, areas) -> IdeaFilters:
    data = form.cleaned_data if form.is_valid() else {}
    order = data.get("order") or setting(instance, "default_order")
    by_code = {c.code: c for c in categories}
    areas_by_code = {a.code: a for a in areas}
    return IdeaFilters(
        q=(data.get("q") or "").strip(),
        category=by_code.get(data.get("category") or ""),
        area=areas_by_code.get(data.get("area") or ""),
        status=data.get("status") or "",
        order=order,
        seed=_seed(request, request.GET.get("seed")) if order == "random" else 0,
    )


@require_GET
def detail(request, organisation_slug, process_slug, instance_slug):
    """The list of ideas: search, filters, orders (random with a seed per visitor), pages."""
    instance = _instance(request, process_slug, instance_slug)
    categories = list(Category.objects.filter(instance=instance))
    areas = _areas(instance)
    form = FilterForm(request.GET or None, categories=categories, areas=areas)
    filters = _filters(request, form, instance, categories, areas)
    page = Paginator(list_ideas(instance=instance, filters=filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    ideas = list(page.object_list)
    for idea in ideas:
        idea.instance = instance
    ids = [idea.pk for idea in ideas]
    mine = reactions_of(person=request.user, target_type=LABEL, ids=ids)
    images = attachments_of(target_type=LABEL, ids=ids)
    for idea in ideas:
        idea.url = idea_url(idea)
        idea.mine = mine.get(idea.pk)
        idea.image = next((a for a in images.get(idea.pk, []) if a.kind == "image"), None)
    return render(
        request,
        "ideas/list.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "filters": filters,
            "page": page,
            "ideas": ideas,
            "order_label": ORDER_LABELS.get(filters.order, ""),
            "submit": decide(person=request.user, capability="submit", instance=instance),
        },
    )


@require_GET
def idea(request, organisation_slug, process_slug, instance_slug, pk: int):
    """One idea with its files, place, official answer, supports and comments."""
    instance = _instance(request, process_slug, instance_slug)
    found = access_idea(person=request.user, instance=instance, pk=pk)
    panel = panel_for(request=request, obj=found)
    location = panel.location
    tiles = panel.tile_url if location is not None and location.has_point else ""
    places = map_data(instance=instance, places=[(found.title, "", location)]) if tiles else None
    response = render(
        request,
        "ideas/idea.html",
        {
            "instance": instance,
            "process": instance.process,
            "idea": found,
            "panel": panel,
            "map": places,
            "show_text": found.hidden_at is None or may_see_hidden(person=request.user, idea=found),
            "editable": services.may_edit(person=request.user, idea=found)
            if request.user.is_authenticated and found.author_id == request.user.pk
            else None,
        },
    )
    return allow_tiles(response, tiles=tiles)


def _form_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in errors_of(error):
            form.add_error(None, message)


def _closed(request, instance, decision):
    if decision.reason == "login_required":
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "ideas/closed.html",
        {"instance": instance, "process": instance.process, "decision": decision},
        status=403,
    )


def _editor(request, instance, *, found: Idea | None = None):
    """The submit and edit form, with a preview and the similar ideas (no JS needed)."""
    categories = list(Category.objects.filter(instance=instance))
    initial = {}
    if found is not None:
        location = Location.objects.filter(target_type=LABEL, target_id=found.pk).first()
        initial = {
            "title": found.title,
            "body": found.body,
            "category": found.category_id,
            "area": found.area_id,
            "address": location.address if location else "",
            "latitude": location.latitude if location else "",
            "longitude": location.longitude if location else "",
        }
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        categories=categories,
        areas=Area.objects.filter(pk__in=[a.pk for a in _areas(instance)]),
        initial=initial,
    )
    similar, preview = [], None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if "preview" in request.POST:
            preview = values["body"]
            similar = similar_ideas(
                instance=instance, title=values["title"], exclude=found.pk if found else None
            )
        else:
            try:
                if found is None:
                    saved = services.do_submit_idea(
                        person=request.user, instance=instance, **values
                    )
                else:
                    saved = services.do_edit_idea(person=request.user, idea=found, **values)
            except (Refused, ValidationError) as error:
                _form_errors(form, error)
            else:
                saved.instance = instance
                if saved.hidden_at is not None:
                    messages.warning(
                        request, _("Your idea will be visible once a moderator has looked at it.")
                    )
                else:
                    messages.success(
                        request,
                        _("Your idea is published.")
                        if found is None
                        else _("Your idea was changed."),
                    )
                return HttpResponseRedirect(idea_url(saved))
    elif request.method == "POST" and request.POST.get("title"):
        similar = similar_ideas(instance=instance, title=request.POST["title"][:150])
    files = (
        Attachment.objects.filter(target_type=LABEL, target_id=found.pk)
        if found is not None
        else []
    )
    tiles = tile_url(instance)
    response = render(
        request,
        "ideas/form.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "idea": found,
            "similar": similar,
            "preview": preview,
            "files": files,
            "tiles": tiles,
            "map_center": setting(instance, "map_center"),
            "had_files": bool(request.FILES),
        },
    )
    return allow_tiles(response, tiles=tiles)


@require_http_methods(["GET", "POST"])
def new(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(request, process_slug, instance_slug)
    decision = decide(person=request.user, capability="submit", instance=instance)
    if not decision:
        return _closed(request, instance, decision)
    return _editor(request, instance)


@require_http_methods(["GET", "POST"])
def edit(request, organisation_slug, process_slug, instance_slug, pk: int):
    instance = _instance(request, process_slug, instance_slug)
    found = access_idea(person=request.user, instance=instance, pk=pk)
    decision = services.may_edit(person=request.user, idea=found)
    if not decision:
        return _closed(request, instance, decision)
    return _editor(request, instance, found=found)


@require_POST
def withdraw(request, organisation_slug, process_slug, instance_slug, pk: int):
    instance = _instance(request, process_slug, instance_slug)
    found = access_idea(person=request.user, instance=instance, pk=pk)
    try:
        services.do_withdraw_idea(person=request.user, idea=found)
    except (Refused, ValidationError) as error:
        for message in errors_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Your idea was withdrawn."))
    return HttpResponseRedirect(idea_url(found))


@require_GET
def similar(request, organisation_slug, process_slug, instance_slug):
    """The best matches for a title being typed, as JSON (the hint's script asks here)."""
    instance = _instance(request, process_slug, instance_slug)
    title = (request.GET.get("title") or "")[:150]
    found = similar_ideas(instance=instance, title=title)
    for item in found:
        item.instance = instance
    return JsonResponse({"ideas": [{"title": i.title, "url": idea_url(i)} for i in found]})


@require_GET
def ideas_map(request, organisation_slug, process_slug, instance_slug):
    """The located ideas: a list of places (and a map where tiles are configured)."""
    instance = _instance(request, process_slug, instance_slug)
    located = {
        location.target_id: location
        for location in Location.objects.filter(instance=instance, target_type=LABEL)
        .select_related("area")
        .order_by("pk")[:2000]
    }
    ideas = list(
        visible_ideas(instance=instance).filter(pk__in=list(located)).order_by("-created_at")
    )
    places: list[tuple[str, str, Any]] = []
    for found in ideas:
        found.instance = instance
        places.append((found.title, idea_url(found), located[found.pk]))
    data = map_data(instance=instance, places=places)
    response = render(
        request,
        "ideas/map.html",
        {"instance": instance, "process": instance.process, "map": data},
    )
    return allow_tiles(response, tiles=data.tile_url if data.located else "")
