"""Forms of the budget pages: thin, the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.i18n import pick
from parlons.modules.budgets.models import BallotType, FollowUp, Rule, Status


class Named(forms.ModelChoiceField):
    """Choices named in the reader's language (``title`` or ``name``)."""

    def label_from_instance(self, obj) -> str:
        return pick(getattr(obj, "title", None) or getattr(obj, "name", None)) or str(obj)


class ProjectForm(forms.Form):
    budget = Named(label=_("Budget"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=150)
    body = forms.CharField(label=_("Description"), widget=forms.Textarea)
    cost = forms.IntegerField(label=_("Estimated cost"), min_value=1)
    category = forms.CharField(label=_("Category"), max_length=80, required=False)
    area = Named(label=_("Area"), queryset=None, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    image = forms.FileField(label=_("Image"), required=False)

    def __init__(self, *args, budgets, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets
        self.fields["area"].queryset = areas


class BudgetForm(TranslatedFieldsForm):
    """A budget's settings; the title in each language of the process."""

    translated = {"title": (True, forms.TextInput)}
    translated_labels = {"title": _("Title")}

    slug = forms.SlugField(label=_("Address"), max_length=60)
    amount = forms.IntegerField(label=_("Amount"), min_value=1)
    currency = forms.CharField(label=_("Currency"), max_length=8, initial="EUR")
    area = Named(label=_("Voters resident of"), queryset=None, required=False)
    ballot_type = forms.ChoiceField(label=_("Ballot"), choices=BallotType.choices)
    min_choices = forms.IntegerField(label=_("Minimum number of projects"), min_value=0, initial=1)
    max_choices = forms.IntegerField(
        label=_("Maximum number of projects"),
        min_value=1,
        required=False,
        help_text=_("For a ranking, the number of projects each voter ranks."),
    )
    max_cost = forms.IntegerField(
        label=_("Maximum total cost"),
        min_value=1,
        required=False,
        help_text=_("Approval ballots only; empty for no limit."),
    )
    points = forms.IntegerField(label=_("Points to share"), min_value=1, initial=10)
    max_points_per_project = forms.IntegerField(
        label=_("Maximum points on one project"), min_value=1, required=False
    )
    rule = forms.ChoiceField(
        label=_("Rule"),
        choices=Rule.choices,
        help_text=_("Published before the vote opens; fixed once it has begun."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class EvaluateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    revised_cost = forms.IntegerField(label=_("Revised cost"), min_value=1, required=False)
    justification = forms.CharField(
        label=_("Public justification"), widget=forms.Textarea, required=False
    )
    merged_into = forms.ModelChoiceField(label=_("Merged into"), queryset=None, required=False)
    field_order = ["status", "revised_cost", "justification", "merged_into"]

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = others


class PaperForm(forms.Form):
    reference = forms.CharField(label=_("Number of the paper ballot"), max_length=40)


class FollowUpForm(forms.Form):
    followup = forms.ChoiceField(label=_("Follow-up status"), choices=FollowUp.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    spent = forms.IntegerField(label=_("Spent so far"), min_value=0)
    note = forms.CharField(label=_("News of the project"), widget=forms.Textarea, required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=150)
    due = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    done = forms.BooleanField(label=_("Done"), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo of the works"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Pabulib file (.pb)"))
    slug = forms.SlugField(label=_("Address of the past budget"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=150)
