"""Template helpers for the public site."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def instance_url(instance, process=None) -> str:
    """The public address of a module instance (its module's ``detail`` view)."""
    process = process or instance.process
    return reverse(
        f"{instance.module}:detail",
        kwargs={
            "organisation_slug": process.organisation.slug,
            "process_slug": process.slug,
            "instance_slug": instance.slug,
        },
    )


@register.filter
def module_name(instance, modules) -> str:
    """The translated name of the module an instance uses."""
    declaration = modules.get(instance.module)
    return declaration.name if declaration else instance.module


@register.filter
def capability_label(key: str) -> str:
    """The translated name of a capability (``vote`` → "voter" in French)."""
    from parlons.core.registry import CAPABILITIES

    capability = CAPABILITIES.get(key)
    return capability.label if capability else key


@register.filter
def verification_label(method: str) -> str:
    """The translated name of a verification method (``census`` → "On the census…")."""
    from parlons.core.participants.verification import METHODS

    return METHODS.get(method, method)
