"""Back-office: census lists, voting codes, conflicts and revocations."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.participants.models import Verification, VerificationConflict
from parlons.core.participants.services import (
    do_generate_codes,
    do_import_census,
    do_revoke_verification,
)
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import Area
from parlons.core.processes.services import do_save_area, parse_postcodes
from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.uploads import csv_validators


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Census or voter list (CSV: identifier, date of birth YYYY-MM-DD)"),
        validators=csv_validators(),
    )


class CodesForm(forms.Form):
    batch = forms.CharField(label=gettext_lazy("Batch name"), max_length=80)
    count = forms.IntegerField(
        label=gettext_lazy("Number of codes"), min_value=1, max_value=100_000
    )


class AreaForm(TranslatedFieldsForm):
    translated = {"name": (True, forms.TextInput)}
    translated_labels = {"name": gettext_lazy("Name")}
    code = forms.SlugField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy("Letters, digits and hyphens, e.g. old-town."),
    )
    postcodes = forms.CharField(
        label=gettext_lazy("Postcodes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Separated by commas or lines."),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a file of postcodes (CSV or text, one per line)"),
        required=False,
        validators=csv_validators(),
    )

    def clean(self):
        data = super().clean()
        upload = data.pop("file", None)
        if upload:
            try:
                data["postcodes"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("This file is not a CSV file in UTF-8."))
        if not parse_postcodes(data.get("postcodes") or ""):
            self.add_error("postcodes", _("Give at least one postcode."))
        return data


@organiser_required("admin")
def area_edit(request, organisation_slug, area_id=None):
    """Add an area of the organisation, or change its name and postcodes."""
    organisation = request.organisation
    area = get_object_or_404(Area, pk=area_id, organisation=organisation) if area_id else None
    form = AreaForm(
        request.POST or None,
        request.FILES or None,
        languages=organisation.languages,
        initial_texts={"name": area.name} if area else {},
        initial={"code": area.code, "postcodes": "\n".join(area.postcodes)} if area else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_save_area(
                organisation=organisation, actor=request.user, values=form.cleaned_data, area=area
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The area was saved."))
            return redirect("backoffice:verifications", organisation_slug)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Change the area") if area else _("Add an area"),
            "submit": _("Save"),
            "multipart": True,
        },
    )


def _iso_date(text: str) -> str | None:
    """A birth date written YYYY-MM-DD or DD/MM/YYYY, as YYYY-MM-DD; None if it is not one."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def read_census(upload) -> list[tuple[str, str]]:
    """Rows of (identifier, ISO birth date); a bad line raises with its number.

    Commas, semicolons (a spreadsheet saved in French) or tabs separate the columns; a
    first line that is a header is skipped.
    """
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("This file is not a CSV file in UTF-8. Save it as “CSV UTF-8” and try again.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip():
            continue
        birth = _iso_date(row[-1]) if len(row) == 2 else None
        if number == 1 and birth is None:
            continue  # a header
        if birth is None or not row[0].strip():
            raise ValidationError(
                _("Line %(n)d: expected an identifier and a date of birth (YYYY-MM-DD).")
                % {"n": number}
            )
        rows.append((row[0].strip(), birth))
    if not rows:
        raise ValidationError(_("The file holds no line to load."))
    return rows


@organiser_required("admin")
def verifications(request, organisation_slug):
    organisation = request.organisation
    census = CensusUploadForm(
        request.POST if "census" in request.POST else None, request.FILES or None
    )
    codes = CodesForm(request.POST if "codes" in request.POST else None)
    if "census" in request.POST and census.is_valid():
        try:
            count = do_import_census(
                organisation=organisation,
                actor=request.user,
                rows=read_census(census.cleaned_data["file"]),
            )
        except ValidationError as error:
            census.add_error("file", error)
        else:
            messages.success(request, _("%(n)d entries loaded.") % {"n": count})
            return redirect("backoffice:verifications", organisation_slug)
    if "codes" in request.POST and codes.is_valid():
        batch = codes.cleaned_data["batch"]
        plain = do_generate_codes(
            organisation=organisation,
            actor=request.user,
            batch=batch,
            count=codes.cleaned_data["count"],
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="codes-{batch}.csv"'
        writer = csv.writer(response)
        writer.writerow(["batch", "code"])
        writer.writerows([batch, code] for code in plain)
        return response
    if "revoke" in request.POST:
        verification = get_object_or_404(
            Verification, pk=request.POST["revoke"], organisation=organisation
        )
        do_revoke_verification(
            verification=verification, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The verification was revoked."))
        return redirect("backoffice:verifications", organisation_slug)
    return render(
        request,
        "backoffice/verifications.html",
        {
            "census": census,
            "codes": codes,
            "areas": Area.objects.filter(organisation=organisation).order_by("code"),
            "conflicts": VerificationConflict.objects.filter(organisation=organisation)
            .select_related("holder", "claimant")
            .order_by("-created_at")[:100],
            "recent": Verification.objects.filter(
                organisation=organisation, revoked_at__isnull=True
            )
            .select_related("participant", "area")
            .order_by("-verified_at")[:100],
        },
    )
