"""The participant's own pages: profile, demographics, verification, data, deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from parlons.core.participants import services
from parlons.core.participants.models import Demographics, Verification, valid_verifications
from parlons.core.participants.privacy import (
    check_erase_participant,
    do_erase_participant,
    do_export_personal_data,
)
from parlons.core.participants.verification import METHODS
from parlons.portal.account_forms import (
    AgeForm,
    CensusForm,
    CodeForm,
    DeleteAccountForm,
    DemographicsForm,
    PostcodeForm,
    ProfileForm,
)


def zip_response(archive: bytes, *, name: str) -> HttpResponse:
    """A downloaded ZIP named ``<name>-<date>.zip``, never cached."""
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def profile(request):
    person = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": person.display_name,
            "language": person.language,
            "notify_replies": person.notify_replies,
            "notify_updates": person.notify_updates,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.do_update_profile(participant=person, values=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect(f"/{person.language}/me/")
    return render(request, "portal/me/profile.html", {"form": form})


@login_required
def demographics(request):
    row = Demographics.objects.filter(participant=request.user).first()
    initial = {"consent": row is not None}
    if row:
        initial.update(age_band=row.age_band, gender=row.gender, area_code=row.area_code)
    form = DemographicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.do_save_demographics(
            participant=request.user, consent=data["consent"], values=data
        )
        messages.success(
            request,
            _("Your answers were saved.") if data["consent"] else _("Your answers were deleted."),
        )
        return redirect("me:demographics")
    return render(request, "portal/me/demographics.html", {"form": form})


@login_required
def data(request):
    if request.method == "POST":
        archive = do_export_personal_data(participant=request.user, actor=request.user)
        return zip_response(archive, name="parlons-my-data")
    return render(request, "portal/me/data.html")


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = request.user
        try:
            check_erase_participant(participant=person)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            do_erase_participant(participant=person, actor=person)
            messages.success(request, _("Your account was deleted."))
            return redirect("portal:home")
    return render(request, "portal/me/delete.html", {"form": form})


FORMS = {"postcode": PostcodeForm, "census": CensusForm, "code": CodeForm, "age": AgeForm}


def _apply(method, form, person, organisation):
    data = form.cleaned_data
    if method == "postcode":
        return services.do_verify_postcode(
            participant=person, organisation=organisation, postcode=data["postcode"]
        )
    if method == "census":
        return services.do_verify_census(
            participant=person,
            organisation=organisation,
            identifier=data["identifier"],
            birth_date=data["birth_date"],
        )
    if method == "code":
        return services.do_redeem_code(
            participant=person, organisation=organisation, code=data["code"]
        )
    return services.do_verify_age(participant=person, birth_date=data["birth_date"])


@login_required
def verify(request, organisation_slug):
    """Every verification method the organisation offers, one form each."""
    organisation = request.organisation
    forms = {m: cls(prefix=m) for m, cls in FORMS.items()}
    method = request.POST.get("method")
    if request.method == "POST" and method in FORMS:
        form = forms[method] = FORMS[method](request.POST, prefix=method)
        if form.is_valid():
            try:
                _apply(method, form, request.user, organisation)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Thank you: you are verified."))
                target = request.POST.get("next", "")
                if url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    return redirect(target)
                return redirect("portal:verify", organisation_slug)
    held = (
        Verification.objects.filter(valid_verifications(), participant=request.user)
        .filter(organisation__in=[organisation, None])
        .order_by("method")
    )
    return render(
        request,
        "portal/me/verify.html",
        {
            "forms": [(m, METHODS[m], f) for m, f in forms.items()],
            "held": [(METHODS.get(v.method, v.method), v) for v in held],
            "next": request.GET.get("next") or request.POST.get("next", ""),
        },
    )
