"""Template filter ``tr``: organiser content in the visitor's language (a builtin)."""

from django import template

from parlons.lib.i18n import pick

register = template.Library()


@register.filter(name="tr")
def tr(value) -> str:
    """``{{ process.title|tr }}``: the text in the active language, with fallbacks."""
    return pick(value)


@register.filter(name="markdown")
def markdown_filter(value) -> str:
    """``{{ page.body|tr|markdown }}``: safe HTML from Markdown."""
    from parlons.lib.markdown import render

    return render(value)
