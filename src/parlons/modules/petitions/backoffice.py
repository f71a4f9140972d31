"""Organisers' pages of a petitions instance: the list, the guided editor with its gentle
checks, publishing and moderation, bulk invalidation, and the exports."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance
from parlons.modules.petitions import services
from parlons.modules.petitions.exports import write_signatures_csv
from parlons.modules.petitions.forms import InvalidationForm, PetitionForm, thresholds_text
from parlons.modules.petitions.mailing import petition_kwargs
from parlons.modules.petitions.models import Invalidation, Petition, Status
from parlons.modules.petitions.views import _add_errors

MANAGERS = ("admin", "moderator")


def _instance(process_slug: str, instance_slug: str) -> ModuleInstance:
    instance = (
        ModuleInstance.objects.select_related("process__organisation")
        .filter(process__slug=process_slug, slug=instance_slug, module="petitions")
        .first()
    )
    if instance is None:
        raise Http404("No such petitions instance")
    return instance


def _kwargs(instance: ModuleInstance) -> dict[str, str]:
    return {
        "organisation_slug": instance.process.organisation.slug,
        "process_slug": instance.process.slug,
        "instance_slug": instance.slug,
    }


def _petition(instance: ModuleInstance, pk: int) -> Petition:
    petition = get_object_or_404(Petition, instance=instance, pk=pk)
    petition.instance = instance
    return petition


@organiser_required(*MANAGERS)
def index(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(process_slug, instance_slug)
    petitions = Petition.objects.filter(instance=instance).annotate(
        suspicious_count=Count("signatures", filter=~Q(signatures__suspicious="")),
        unconfirmed_count=Count("signatures", filter=Q(signatures__confirmed_at__isnull=True)),
    )
    return render(
        request,
        "petitions/backoffice/index.html",
        {
            "instance": instance,
            "process": instance.process,
            "petitions": petitions,
            "kw": _kwargs(instance),
        },
    )


@organiser_required(*MANAGERS)
def edit(request, organisation_slug, process_slug, instance_slug, pk=None):
    instance = _instance(process_slug, instance_slug)
    petition = _petition(instance, pk) if pk else None
    initial = {}
    if petition:
        initial = {name: getattr(petition, name) for name in services.FIELDS if name != "image"}
        initial["thresholds"] = thresholds_text(petition.thresholds)
    form = PetitionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.do_save_petition(
                instance=instance, actor=request.user, fields=form.cleaned_data, petition=petition
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The petition was saved."))
            return redirect("bo_petitions:review", **_kwargs(instance), pk=petition.pk)
    return render(
        request,
        "petitions/backoffice/edit.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "petition": petition,
            "kw": _kwargs(instance),
        },
    )


@organiser_required(*MANAGERS)
def review(request, organisation_slug, process_slug, instance_slug, pk):
    """Before publishing: the gentle checks of a campaign, then publish or reject."""
    instance = _instance(process_slug, instance_slug)
    petition = _petition(instance, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.do_publish_petition(petition=petition, actor=request.user)
                messages.success(request, _("The petition is published."))
            elif action == "reject":
                services.do_reject_petition(petition=petition, actor=request.user)
                messages.success(request, _("The proposal was rejected."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("bo_petitions:index", **_kwargs(instance))
    return render(
        request,
        "petitions/backoffice/review.html",
        {
            "instance": instance,
            "process": instance.process,
            "petition": petition,
            "advice": services.campaign_checks(petition=petition),
            "kw": _kwargs(instance),
            "public": reverse("petitions:petition", kwargs=petition_kwargs(petition)),
            "manage": reverse("petitions:manage", kwargs=petition_kwargs(petition)),
            "published": petition.status == Status.PUBLISHED,
        },
    )


@organiser_required(*MANAGERS)
def invalidate(request, organisation_slug, process_slug, instance_slug, pk):
    instance = _instance(process_slug, instance_slug)
    petition = _petition(instance, pk)
    form = InvalidationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.do_invalidate_signatures(
                petition=petition, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(n)d signatures were set aside; the count follows in a few seconds.")
                % {"n": done.matched},
            )
            return redirect("bo_petitions:invalidate", **_kwargs(instance), pk=petition.pk)
    return render(
        request,
        "petitions/backoffice/invalidate.html",
        {
            "instance": instance,
            "process": instance.process,
            "petition": petition,
            "form": form,
            "kw": _kwargs(instance),
            "past": Invalidation.objects.filter(petition=petition).order_by("-created_at"),
        },
    )


@organiser_required(*MANAGERS)
def signatures_csv(request, organisation_slug, process_slug, instance_slug, pk):
    instance = _instance(process_slug, instance_slug)
    petition = _petition(instance, pk)
    stream = io.StringIO()
    write_signatures_csv(petitions=[petition], stream=stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="petition-{petition.pk}-signatures.csv"'
    )
    return response
