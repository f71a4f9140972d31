"""Back-office forms.  Forms parse and validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.core.organisations.models import Role
from parlons.core.participants.verification import METHODS
from parlons.core.processes.models import Visibility
from parlons.core.registry import CAPABILITIES, registry
from parlons.lib.forms import TranslatedFieldsForm, language_choices
from parlons.lib.uploads import image_validators


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker, which reads and writes only ``YYYY-MM-DDTHH:MM``."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ProcessForm(TranslatedFieldsForm):
    translated = {
        "title": (True, forms.TextInput),
        "summary": (False, forms.TextInput),
        "description": (False, forms.Textarea),
    }
    translated_labels = {
        "title": _("Title"),
        "summary": _("Summary"),
        "description": _("Description (Markdown)"),
    }
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. budget-2027."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    published = forms.BooleanField(label=_("Published"), required=False, initial=True)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=language_choices, widget=forms.CheckboxSelectMultiple
    )


class PhaseForm(TranslatedFieldsForm):
    translated = {"title": (True, forms.TextInput), "description": (False, forms.Textarea)}
    translated_labels = {"title": _("Title"), "description": _("Description (Markdown)")}
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())

    def __init__(self, *args, instances=(), current=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.instances = list(instances)
        self.opening_groups = []
        for instance in self.instances:
            declaration = registry.get(instance.module)
            names = []
            for capability in declaration.capabilities:
                name = f"open_{instance.pk}_{capability}"
                self.fields[name] = forms.BooleanField(
                    label=CAPABILITIES[capability].label,
                    required=False,
                    initial=(instance.pk, capability) in current,
                )
                names.append(name)
            self.opening_groups.append((instance, names))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A phase must end after it starts."))
        data["openings"] = [
            (instance, name.rsplit("_", 1)[1])
            for instance, names in self.opening_groups
            for name in names
            if data.get(name)
        ]
        return data

    def grouped(self):
        """(instance, bound fields) pairs for a fieldset per instance."""
        return [
            (instance, [self[name] for name in names]) for instance, names in self.opening_groups
        ]


class InstanceForm(TranslatedFieldsForm):
    translated = {"title": (True, forms.TextInput)}
    translated_labels = {"title": _("Title")}
    module = forms.ChoiceField(label=_("Module"))
    slug = forms.SlugField(label=_("Address"), max_length=80)
    required_verifications = forms.MultipleChoiceField(
        label=_("Required verifications"),
        required=False,
        choices=list(METHODS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("With the “Minimum age” verification: the age a person must have reached."),
    )

    def __init__(self, *args, fixed_module=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(d.key, d.name) for d in registry]
        if fixed_module:
            self.fields["module"].disabled = True
            self.fields["module"].initial = fixed_module

    def clean(self):
        data = super().clean()
        required = {m: {} for m in data.get("required_verifications", [])}
        minimum = data.pop("minimum_age", None)
        if "age" in required:
            if not minimum:
                self.add_error("minimum_age", _("Say which age the verification requires."))
            required["age"] = {"min": minimum}
        data["required_verifications"] = required
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"))


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class BrandingForm(TranslatedFieldsForm):
    translated = {"description": (False, forms.Textarea)}
    translated_labels = {"description": _("Description (Markdown)")}
    name = forms.CharField(label=_("Name"), max_length=120)
    primary_colour = forms.RegexField(
        label=_("Main colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    accent_colour = forms.RegexField(
        label=_("Accent colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=image_validators(),
        help_text=_("PNG, JPEG, GIF or WebP, up to 2 MB. Shown on a white background."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=language_choices, widget=forms.CheckboxSelectMultiple
    )
    default_language = forms.ChoiceField(label=_("Default language"), choices=language_choices)
