"""Back-office: a participant's data requests (download their data, erase their account).

People usually do both themselves from their account; these pages are for requests made
to the organisation (by letter, by e-mail, at the town hall).  Both actions are written
to the organisation's audit log.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.participants.models import Verification
from parlons.core.participants.privacy import (
    check_erase_participant,
    do_erase_participant,
    do_export_personal_data,
)
from parlons.core.participants.selectors import participant_linked_to
from parlons.core.participants.verification import METHODS
from parlons.core.permissions.access import organiser_required


def zip_response(archive: bytes, *, name: str) -> HttpResponse:
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


class FindForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the account"))


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "The person asked for it. Their account and personal data are deleted for "
            "good; their contributions stay, shown as anonymous."
        )
    )


@organiser_required("admin")
def privacy(request, organisation_slug):
    organisation = request.organisation
    source = request.POST if request.method == "POST" else request.GET
    find = FindForm(source if "email" in source else None)
    person = None
    if find.is_bound and find.is_valid():
        person = participant_linked_to(organisation=organisation, email=find.cleaned_data["email"])
        if person is None:
            find.add_error(
                "email",
                _("No account with this address has taken part in %(name)s.")
                % {"name": organisation.name},
            )
    erase = EraseForm(request.POST if request.POST.get("action") == "erase" else None)
    if request.method == "POST" and person is not None:
        action = request.POST.get("action")
        if action == "export":
            archive = do_export_personal_data(
                participant=person, actor=request.user, organisation=organisation
            )
            return zip_response(archive, name=f"parlons-data-{person.pk}")
        if action == "erase" and erase.is_valid():
            try:
                check_erase_participant(participant=person)
            except ValidationError as error:
                erase.add_error(None, error)
            else:
                do_erase_participant(
                    participant=person, actor=request.user, organisation=organisation
                )
                messages.success(request, _("The account was erased."))
                return redirect("backoffice:privacy", organisation_slug)
    verifications = [
        (METHODS.get(v.method, v.method), v)
        for v in Verification.objects.filter(participant=person, organisation=organisation)
        .select_related("area")
        .order_by("-verified_at")
    ]
    return render(
        request,
        "backoffice/privacy.html",
        {"find": find, "person": person, "erase": erase, "verifications": verifications},
    )
