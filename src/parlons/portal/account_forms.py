"""Forms of the participant's own pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from parlons.core.participants.models import AgeBand, Gender


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown next to your contributions."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    notify_replies = forms.BooleanField(
        label=_("E-mail me when someone replies to me"), required=False
    )
    notify_updates = forms.BooleanField(
        label=_("E-mail me the news of processes I took part in"), required=False
    )


class DemographicsForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that these answers are kept to measure who takes part. They are "
            "only ever shown in aggregate, and I can withdraw them at any time."
        ),
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=[("", "—"), *AgeBand.choices]
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    area_code = forms.CharField(label=_("Neighbourhood or town"), required=False, max_length=40)


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: my account and personal data are deleted for good; my "
            "contributions stay, shown as anonymous."
        ),
    )


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=12)


class CensusForm(forms.Form):
    identifier = forms.CharField(label=_("Number on the list"), max_length=40)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)


class AgeForm(forms.Form):
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
