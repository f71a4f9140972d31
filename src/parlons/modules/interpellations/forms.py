"""Forms of the public pages: the postcode, the message, a stance, a reply."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parlons.modules.interpellations.models import Position


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label=_("Your postcode"), max_length=10, required=False)


class MessageForm(forms.Form):
    """The message; the representatives are the ticked boxes of the page."""

    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=400)
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 14}))


class ReplyForm(forms.Form):
    replied = forms.ChoiceField(
        label=_("Did they reply?"),
        choices=(("yes", _("Yes")), ("no", _("No, not yet"))),
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Their reply (optional: paste it for the organisers)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )


def position_field(label: str, initial: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Position.choices,
        initial=initial or Position.NO_ANSWER,
        widget=forms.RadioSelect,
    )
