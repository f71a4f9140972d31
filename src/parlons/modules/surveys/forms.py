"""Back-office forms of the questionnaire builder (they parse; services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.i18n import pick
from parlons.modules.surveys.definition import OPS, TYPES

RULES = 3


class ConditionFields:
    """Up to three rules "show only if <question> <op> <value>", joined by AND or OR."""

    def add_condition_fields(self, earlier: list[tuple[str, str]], condition: dict | None) -> None:
        rules = (condition or {}).get("rules", [])
        self.fields["condition_mode"] = forms.ChoiceField(
            label=_("Show only if"),
            choices=[
                ("all", _("all these rules hold (AND)")),
                ("any", _("one of these rules holds (OR)")),
            ],
            initial=(condition or {}).get("mode", "all"),
            required=False,
        )
        for n in range(1, RULES + 1):
            rule = rules[n - 1] if n <= len(rules) else {}
            self.fields[f"rule_{n}_question"] = forms.ChoiceField(
                label=_("Rule %(n)s: question") % {"n": n},
                choices=[("", "—"), *earlier],
                required=False,
                initial=rule.get("question", ""),
            )
            self.fields[f"rule_{n}_op"] = forms.ChoiceField(
                label=_("Rule %(n)s: test") % {"n": n},
                choices=list(OPS.items()),
                required=False,
                initial=rule.get("op", "is"),
            )
            value = rule.get("value")
            self.fields[f"rule_{n}_value"] = forms.CharField(
                label=_("Rule %(n)s: answer codes (e.g. 1,3) or number") % {"n": n},
                required=False,
                initial=",".join(str(v) for v in value)
                if isinstance(value, list)
                else (value or ""),
            )

    def condition(self) -> dict | None:
        rules = []
        for n in range(1, RULES + 1):
            question = self.cleaned_data.get(f"rule_{n}_question")
            if not question:
                continue
            op = self.cleaned_data.get(f"rule_{n}_op") or "is"
            raw = self.cleaned_data.get(f"rule_{n}_value") or ""
            if op in ("is", "is_not"):
                value = [_code(part) for part in raw.split(",") if part.strip()]
            elif op in ("gte", "lte"):
                value = raw.strip()
            else:
                value = None
            rules.append({"question": question, "op": op, "value": value})
        return (
            {"mode": self.cleaned_data.get("condition_mode") or "all", "rules": rules}
            if rules
            else None
        )


def _code(text: str):
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


class SettingsForm(TranslatedFieldsForm):
    translated = {"intro": (False, forms.Textarea), "thanks": (False, forms.Textarea)}
    translated_labels = {
        "intro": _("Introduction (Markdown)"),
        "thanks": _("Thank-you message (Markdown)"),
    }
    is_quiz = forms.BooleanField(
        label=_("This is a quiz (questions have right answers and a score)"), required=False
    )
    one_response = forms.BooleanField(label=_("One response per participant"), required=False)
    allow_guests = forms.BooleanField(
        label=_("Guests may answer without an account"), required=False
    )
    confirm_guests = forms.BooleanField(
        label=_("Guests confirm their response by e-mail"), required=False
    )
    min_cell_size = forms.IntegerField(
        label=_("Minimum cell size of published results"), min_value=1, max_value=100, initial=5
    )


class PageForm(ConditionFields, TranslatedFieldsForm):
    translated = {"title": (False, forms.TextInput), "description": (False, forms.Textarea)}
    translated_labels = {"title": _("Page title"), "description": _("Page text (Markdown)")}
    key = forms.SlugField(
        label=_("Page key"), max_length=40, help_text=_("Lowercase letters, digits and _, e.g. p2.")
    )
    section = forms.ChoiceField(label=_("Section"), required=False)

    def __init__(self, *args, sections=(), earlier=(), condition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [
            ("", "—"),
            *((s["key"], pick(s["title"]) or s["key"]) for s in sections),
        ]
        self.add_condition_fields(list(earlier), condition)


class SectionForm(TranslatedFieldsForm):
    translated = {"title": (True, forms.TextInput)}
    translated_labels = {"title": _("Section title")}
    key = forms.SlugField(label=_("Section key"), max_length=40)


class QuestionForm(ConditionFields, TranslatedFieldsForm):
    translated = {
        "text": (True, forms.TextInput),
        "help": (False, forms.TextInput),
        "options": (False, forms.Textarea),
        "rows": (False, forms.Textarea),
        "scale_low": (False, forms.TextInput),
        "scale_high": (False, forms.TextInput),
        "explanation": (False, forms.TextInput),
    }
    translated_labels = {
        "text": _("Question"),
        "help": _("Help text"),
        "options": _("Options, one per line (columns of a matrix)"),
        "rows": _("Matrix rows, one per line"),
        "scale_low": _("Label of the lowest point"),
        "scale_high": _("Label of the highest point"),
        "explanation": _("Explanation shown after a quiz"),
    }
    key = forms.SlugField(
        label=_("Question key"),
        max_length=40,
        help_text=_(
            "Lowercase letters, digits and _, e.g. q3. Used as the column name of exports."
        ),
    )
    type = forms.ChoiceField(label=_("Type"), choices=list(TYPES.items()))
    required = forms.BooleanField(label=_("Required"), required=False)
    other = forms.BooleanField(label=_("Offer “other” with a text"), required=False)
    random_order = forms.BooleanField(label=_("Show the options in random order"), required=False)
    scale_min = forms.IntegerField(label=_("Scale from"), required=False, initial=1)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False, initial=5)
    minimum = forms.FloatField(label=_("Smallest number accepted"), required=False)
    maximum = forms.FloatField(label=_("Largest number accepted"), required=False)
    integer = forms.BooleanField(label=_("Whole numbers only"), required=False)
    correct = forms.CharField(
        label=_("Quiz: code(s) of the right answer, e.g. 2 or 1,3"), required=False
    )
    points = forms.IntegerField(label=_("Quiz: points"), required=False, min_value=1, initial=1)

    def __init__(self, *args, earlier=(), condition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_condition_fields(list(earlier), condition)


class DuplicateForm(TranslatedFieldsForm):
    translated = {"title": (True, forms.TextInput)}
    translated_labels = {"title": _("Title of the copy")}
    slug = forms.SlugField(label=_("Address of the copy"), max_length=80)


class DefinitionImportForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire definition (JSON)"))


class ResponsesUploadForm(forms.Form):
    file = forms.FileField(label=_("Responses (CSV)"))


class PublishForm(forms.Form):
    published = forms.BooleanField(required=False)
