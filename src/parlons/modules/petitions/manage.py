"""Pages of a petition's owner (and of the organisers) on the public site: propose a
petition, post updates, publish the target's response, download the signatures."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from parlons.core.processes.selectors import access_instance
from parlons.modules.petitions import selectors
from parlons.modules.petitions.exports import write_areas_csv, write_signatures_csv
from parlons.modules.petitions.forms import PetitionForm, UpdateForm
from parlons.modules.petitions.mailing import petition_kwargs
from parlons.modules.petitions.models import Update
from parlons.modules.petitions.services import (
    MANAGERS,
    campaign_checks,
    do_post_update,
    do_propose_petition,
)
from parlons.modules.petitions.views import _add_errors


@login_required
def propose(request, organisation_slug, process_slug, instance_slug):
    instance = access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="petitions",
    )
    form = PetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = do_propose_petition(
                instance=instance, person=request.user, fields=form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you: your petition will be published once moderators have read it."),
            )
            return redirect("petitions:manage", **petition_kwargs(petition))
    return render(
        request,
        "petitions/propose.html",
        {"instance": instance, "process": instance.process, "form": form},
    )


@login_required
def manage(request, organisation_slug, process_slug, instance_slug, pk):
    petition = selectors.access_managed_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    from parlons.core.permissions import roles_of

    staff = bool(
        roles_of(person=request.user, organisation=petition.instance.process.organisation)
        & MANAGERS
    )
    form = UpdateForm(request.POST or None, prefix="update")
    if request.method == "POST" and form.is_valid():
        kind = (
            Update.Kind.RESPONSE
            if staff and request.POST.get("kind") == "response"
            else Update.Kind.UPDATE
        )
        try:
            do_post_update(
                petition=petition,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                kind=kind,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Published. The signers who agreed will receive it by e-mail.")
            )
            return redirect("petitions:manage", **petition_kwargs(petition))
    return render(
        request,
        "petitions/manage.html",
        {
            "instance": petition.instance,
            "process": petition.instance.process,
            "petition": petition,
            "form": form,
            "staff": staff,
            "advice": campaign_checks(petition=petition),
            "updates": selectors.get_updates(petition=petition),
        },
    )


@login_required
def signatures_csv(request, organisation_slug, process_slug, instance_slug, pk):
    petition = selectors.access_managed_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    stream = io.StringIO()
    write_signatures_csv(petitions=[petition], stream=stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="petition-{petition.pk}-signatures.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def areas_csv(request, organisation_slug, process_slug, instance_slug, pk):
    petition = selectors.access_petition(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        pk=pk,
        fresh=True,
    )
    stream = io.StringIO()
    write_areas_csv(petitions=[petition], stream=stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="petition-{petition.pk}-areas.csv"'
    return response
