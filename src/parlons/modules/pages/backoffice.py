"""Organisers edit the page text."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance
from parlons.lib.forms import TranslatedFieldsForm
from parlons.modules.pages.models import Page
from parlons.modules.pages.services import do_edit_page


class PageForm(TranslatedFieldsForm):
    translated = {"body": (False, forms.Textarea)}
    translated_labels = {"body": gettext_lazy("Text (Markdown)")}


@organiser_required("admin")
def edit(request, organisation_slug, process_slug, instance_slug):
    instance = get_object_or_404(
        ModuleInstance.objects.select_related("process"),
        process__slug=process_slug,
        slug=instance_slug,
        module="pages",
    )
    page = Page.objects.filter(instance=instance).first()
    form = PageForm(
        request.POST or None,
        languages=instance.process.languages,
        initial_texts={"body": page.body if page else {}},
    )
    if request.method == "POST" and form.is_valid():
        do_edit_page(instance=instance, body=form.cleaned_data["body"], actor=request.user)
        messages.success(request, _("The page was saved."))
        return redirect("backoffice:process", organisation_slug, process_slug)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "process": instance.process,
            "title": _("Edit the page"),
            "submit": _("Save"),
        },
    )
