"""Form pieces: a module's own forms inherit the location and attachment fields;
the back-office forms for answers, blocks and word lists."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from parlons.contributions.models import WordList
from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.i18n import pick


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (checked later by content)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super().clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AttachmentsForm(forms.Form):
    """Inherit to take images and PDF documents; :func:`services.check_attachments`
    judges them by content against the instance's limits."""

    attachments = MultipleFileField(
        label=_("Images or documents"),
        required=False,
        help_text=_("JPEG, PNG or WebP images and PDF documents."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )
    attachment_description = forms.CharField(
        label=_("Describe the image for people who cannot see it"),
        required=False,
        max_length=200,
    )


class LocationForm(forms.Form):
    """Inherit to take a location; pass ``areas`` (a queryset) to the constructor."""

    address = forms.CharField(label=_("Address or place"), required=False, max_length=200)
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("Optional, in decimal degrees (for example 45.1885)."),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        help_text=_("Optional, in decimal degrees (for example 5.7245)."),
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("This area is not part of this process.")},
    )

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if areas is None:
            del self.fields["area"]
        else:
            self.fields["area"].label_from_instance = lambda area: pick(area.name)


class AnswerForm(TranslatedFieldsForm):
    translated = {"explanation": (False, forms.Textarea)}
    translated_labels = {"explanation": _("Public explanation")}
    status = forms.ChoiceField(label=_("Status"), choices=())

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(statuses)


class BlockForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the participant"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("Say why, and how to contact the moderators. It is sent by e-mail."),
    )


class WordListsForm(forms.Form):
    """One text area per language and kind: one word or phrase per line."""

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        lists = lists or {}
        for code, _name in settings.LANGUAGES:
            language = get_language_info(code)["name_local"]
            for kind, label in WordList.Kind.choices:
                self.fields[f"{kind}_{code}"] = forms.CharField(
                    label=f"{label} ({language})",
                    required=False,
                    widget=forms.Textarea(attrs={"lang": code, "rows": 6}),
                    initial="\n".join(lists.get((kind, code), [])),
                )
