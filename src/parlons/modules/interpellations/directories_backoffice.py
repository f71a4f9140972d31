"""Organisers' pages for the organisation's directories of representatives: create one,
import its files, re-import them and read what changed."""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.permissions.access import organiser_required
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Directory, Representative, Source

MAX_UPLOAD_MB = 20
FILE_LABELS = {
    "file": gettext_lazy("File (CSV or Popolo JSON)"),
    "deputies": gettext_lazy("Deputies (Datan CSV)"),
    "communes": gettext_lazy("Communes and constituencies (INSEE CSV)"),
    "postcodes": gettext_lazy("Postcodes and communes (La Poste CSV)"),
    "regions": gettext_lazy("Regions of the MEPs (CSV, optional)"),
}


class ImportForm(forms.Form):
    """The files of one import; ``name`` and ``source`` only for a new directory."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    source = forms.ChoiceField(label=gettext_lazy("Kind of file"), choices=Source.choices)
    file = forms.FileField(label=FILE_LABELS["file"], required=False)
    deputies = forms.FileField(label=FILE_LABELS["deputies"], required=False)
    communes = forms.FileField(label=FILE_LABELS["communes"], required=False)
    postcodes = forms.FileField(label=FILE_LABELS["postcodes"], required=False)
    regions = forms.FileField(label=FILE_LABELS["regions"], required=False)
    mapping = forms.CharField(
        label=gettext_lazy("Column mapping (CSV: field=column, separated by commas)"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            "Fields: id, name, given_name, family_name, group, group_abbreviation, party, "
            "email, phone, image, website, area_id, area_name. Example: "
            "id=member_id, name=display_as, email=member_email, area_id=pcon_code"
        ),
    )

    def __init__(self, *args, directory: Directory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if directory is not None:
            del self.fields["name"]
            self.fields["source"].initial = directory.source
            self.fields["source"].disabled = True

    def clean(self):
        data = super().clean()
        for name in FILE_LABELS:
            upload = data.get(name)
            if upload is not None and upload.size > MAX_UPLOAD_MB * 1024 * 1024:
                self.add_error(name, _("%(count)d MB at most.") % {"count": MAX_UPLOAD_MB})
        return data

    def files_as_text(self) -> dict:
        """The uploads as text streams, as the readers expect them."""
        return {
            name: io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
            for name in FILE_LABELS
            if (upload := self.cleaned_data.get(name)) is not None
        }


def _import(request, form: ImportForm, directory: Directory | None):
    """Create the directory if new, read the files, import; the report or None."""
    data = form.cleaned_data
    source = directory.source if directory is not None else data["source"]
    try:
        parsed = services.read_directory_files(
            source=source, files=form.files_as_text(), mapping=data.get("mapping", "")
        )
        if directory is None:
            directory = services.do_create_directory(
                actor=request.user,
                organisation=request.organisation,
                name=data.get("name", ""),
                source=source,
            )
        report = services.do_import_directory(
            actor=request.user, directory=directory, parsed=parsed
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return directory, None
    return directory, report


@organiser_required("admin")
def index(request, organisation_slug):
    """The directories and a form to import a new one."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = directory = None
    if request.method == "POST" and form.is_valid():
        directory, report = _import(request, form, None)
    directories = Directory.objects.filter(organisation=request.organisation)
    counts = dict(
        Representative.objects.filter(
            directory__organisation=request.organisation, left_at__isnull=True
        )
        .values_list("directory")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "interpellations/backoffice/directories.html",
        {
            "form": form,
            "report": report,
            "directory": directory,
            "rows": [(d, counts.get(d.pk, 0)) for d in directories],
        },
        status=400 if form.errors else 200,
    )


@organiser_required("admin")
def directory(request, organisation_slug, directory_slug):
    """One directory: its representatives in numbers, and a re-import with its report."""
    found = get_object_or_404(Directory, organisation=request.organisation, slug=directory_slug)
    form = ImportForm(request.POST or None, request.FILES or None, directory=found)
    report = None
    if request.method == "POST" and form.is_valid():
        _found, report = _import(request, form, found)
    reps = Representative.objects.filter(directory=found)
    return render(
        request,
        "interpellations/backoffice/directory.html",
        {
            "directory": found,
            "form": form,
            "report": report,
            "sitting": reps.filter(left_at__isnull=True).count(),
            "left": reps.filter(left_at__isnull=False).count(),
            "sample": reps.filter(left_at__isnull=True).prefetch_related("constituencies")[:20],
        },
        status=400 if form.errors else 200,
    )
