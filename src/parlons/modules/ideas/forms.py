"""Forms of the idea box: submitting, the list's filters, the back-office pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.contributions.forms import AttachmentsForm, LocationForm
from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.i18n import pick
from parlons.modules.ideas.models import ANSWERS, Category, Status
from parlons.modules.ideas.selectors import ORDERS
from parlons.modules.ideas.services import BODY_LENGTH, TITLE_LENGTH

ORDER_LABELS = {
    "random": _("Random"),
    "newest": _("Newest"),
    "oldest": _("Oldest"),
    "supported": _("Most supported"),
    "commented": _("Most commented"),
}


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return pick(obj.name)


class IdeaForm(LocationForm, AttachmentsForm):
    """Parses what a participant typed; the services judge it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_LENGTH[1],
        help_text=_("A short sentence that says what you propose."),
    )
    body = forms.CharField(
        label=_("Your idea"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_LENGTH[1],
        help_text=_(
            "What, where, for whom, and why. Markdown for emphasis, lists and links; no HTML."
        ),
    )
    category = CategoryChoice(
        label=_("Category"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("This category does not exist in this idea box.")},
    )

    field_order = ["title", "body", "category", "area", "address", "latitude", "longitude"]

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not categories:
            del self.fields["category"]
        else:
            self.fields["category"].queryset = Category.objects.filter(
                pk__in=[category.pk for category in categories]
            )
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "data-similar": "title"})
        self.order_fields(self.field_order)

    def values(self) -> dict:
        """The keyword arguments of ``do_submit_idea``/``do_edit_idea``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "category": data.get("category"),
            "location": {
                "latitude": data.get("latitude"),
                "longitude": data.get("longitude"),
                "address": data.get("address") or "",
                "area": data.get("area"),
            },
            "uploads": data.get("attachments") or [],
            "attachment_title": data.get("attachment_description") or "",
        }


class FilterForm(forms.Form):
    """The list's search, filters and order (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[(o, ORDER_LABELS[o]) for o in ORDERS]
    )

    def __init__(self, *args, categories=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["category"].choices = anything + [(c.code, pick(c.name)) for c in categories]
        self.fields["area"].choices = anything + [(a.code, pick(a.name)) for a in areas]
        statuses = [s for s in Status if s != Status.WITHDRAWN]
        self.fields["status"].choices = anything + [(s.value, s.label) for s in statuses]
        for name in ("category", "area", "status", "order"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "“%(value)s” is not one of the choices."
            )


class CategoryForm(TranslatedFieldsForm):
    translated = {"name": (True, forms.TextInput)}
    translated_labels = {"name": _("Name")}


class BulkStatusForm(TranslatedFieldsForm):
    """Evaluators: one status (and explanation) for the ideas ticked in the list."""

    translated = {"explanation": (False, forms.Textarea)}
    translated_labels = {"explanation": _("Public explanation")}
    status = forms.ChoiceField(label=_("New status"), choices=[(s.value, s.label) for s in ANSWERS])
