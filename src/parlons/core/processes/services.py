"""Every change to processes, phases, module instances and openings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parlons.core.audit.services import log_action
from parlons.core.organisations.models import Organisation
from parlons.core.participants.verification import METHODS
from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process
from parlons.core.registry import ModuleRegistry, registry

PROCESS_FIELDS = (
    "slug",
    "title",
    "summary",
    "description",
    "visibility",
    "published",
    "languages",
    "image",
)


@transaction.atomic
def do_save_process(
    *, organisation: Organisation, actor: Any, values: dict, process: Process | None = None
) -> Process:
    """Create a process (``process`` None) or update one, from cleaned form values."""
    created = process is None
    process = process or Process(organisation=organisation)
    for name in PROCESS_FIELDS:
        if name in values:
            setattr(process, name, values[name])
    process.full_clean()
    process.save()
    if "areas" in values:
        process.areas.set(values["areas"])
    code = "processes.process.created" if created else "processes.process.updated"
    log_action(actor=actor, code=code, target=process, organisation=organisation)
    return process


def check_openings(
    *, openings: Iterable[tuple[ModuleInstance, str]], modules: ModuleRegistry | None = None
) -> None:
    """Refuse capabilities a module does not offer or a combination it does not allow."""
    modules = modules if modules is not None else registry
    by_instance: dict[ModuleInstance, set[str]] = {}
    for instance, capability in openings:
        by_instance.setdefault(instance, set()).add(capability)
    for instance, capabilities in by_instance.items():
        declaration = modules.get(instance.module)
        unknown = capabilities - set(declaration.capabilities)
        if unknown:
            raise ValidationError(
                _("%(module)s does not offer: %(caps)s")
                % {"module": declaration.name, "caps": ", ".join(sorted(unknown))}
            )
        allowed = declaration.phase_combinations
        if allowed and not any(capabilities <= set(c) for c in allowed):
            raise ValidationError(
                _("A phase cannot open %(caps)s together on %(module)s.")
                % {"caps": ", ".join(sorted(capabilities)), "module": declaration.name}
            )


@transaction.atomic
def do_save_phase(
    *,
    process: Process,
    actor: Any,
    values: dict,
    openings: Iterable[tuple[ModuleInstance, str]],
    phase: Phase | None = None,
) -> Phase:
    """Create or update a phase and replace the capabilities it opens."""
    openings = list(openings)
    check_openings(openings=openings)
    created = phase is None
    phase = phase or Phase(process=process)
    for name in ("title", "description", "starts_at", "ends_at", "position"):
        if name in values:
            setattr(phase, name, values[name])
    phase.full_clean()
    phase.save()
    Opening.objects.filter(phase=phase).delete()
    Opening.objects.bulk_create(
        [Opening(phase=phase, instance=instance, capability=cap) for instance, cap in openings]
    )
    log_action(
        actor=actor,
        code="processes.phase.created" if created else "processes.phase.updated",
        target=phase,
        organisation=process.organisation,
        data={"openings": sorted(f"{i.slug}:{c}" for i, c in openings)},
    )
    return phase


@transaction.atomic
def do_delete_phase(*, phase: Phase, actor: Any) -> None:
    """Delete a phase and its openings."""
    organisation = phase.process.organisation
    log_action(actor=actor, code="processes.phase.deleted", target=phase, organisation=organisation)
    phase.delete()


def check_instance_values(*, values: dict, modules: ModuleRegistry | None = None) -> dict:
    """Validate the module key, the required verifications and the module's settings."""
    modules = modules if modules is not None else registry
    if values.get("module") not in modules:
        raise ValidationError(_("Unknown module."))
    unknown = set(values.get("required_verifications", {})) - set(METHODS)
    if unknown:
        raise ValidationError(_("Unknown verification: %s") % ", ".join(sorted(unknown)))
    declaration = modules.get(values["module"])
    if declaration.settings_form is not None:
        form = declaration.settings_form(data=values.get("settings") or {})
        if not form.is_valid():
            raise ValidationError(
                [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
            )
        values = {**values, "settings": form.cleaned_data}
    return values


@transaction.atomic
def do_save_instance(
    *, process: Process, actor: Any, values: dict, instance: ModuleInstance | None = None
) -> ModuleInstance:
    """Create or update a module instance from validated values."""
    values = check_instance_values(values=values)
    created = instance is None
    instance = instance or ModuleInstance(process=process, module=values["module"])
    if not created and values["module"] != instance.module:
        raise ValidationError(_("The module of an existing instance cannot change."))
    for name in ("slug", "title", "settings", "required_verifications", "position"):
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    log_action(
        actor=actor,
        code="processes.instance.created" if created else "processes.instance.updated",
        target=instance,
        organisation=process.organisation,
        data={"module": instance.module},
    )
    return instance


@transaction.atomic
def do_invite_participant(*, process: Process, email: str, actor: Any):
    """Invite the account with ``email`` to ``process`` (private processes) and tell them.

    The e-mail, in the person's language, links to the process; it leaves after commit.
    """
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from parlons.core.notifications.services import queue_email
    from parlons.core.participants.models import Participant
    from parlons.lib.i18n import pick

    person = Participant.objects.filter(email__iexact=email.strip(), erased_at=None).first()
    if person is None:
        raise ValidationError(
            _("No account uses this e-mail address. Ask the person to sign up first.")
        )
    if process.invited.filter(pk=person.pk).exists():
        raise ValidationError(_("This person is already invited."))
    process.invited.add(person)
    log_action(
        actor=actor,
        code="processes.invitation.added",
        target=process,
        organisation=process.organisation,
        data={"participant": person.pk},
    )
    with translation.override(person.language):
        path = reverse("portal:process", args=[process.organisation.slug, process.slug])
        values = {
            "title": pick(process.title),
            "organisation": process.organisation.name,
            "url": settings.SITE_URL + path,
        }
        queue_email(
            to=person.email,
            subject=_("You are invited to take part: %(title)s") % values,
            body=_(
                "%(organisation)s invites you to take part in “%(title)s”, a process "
                "open to invited participants only.\n\nLog in and follow this link: %(url)s"
            )
            % values,
            language=person.language,
        )
    return person


@transaction.atomic
def do_withdraw_invitation(*, process: Process, participant: Any, actor: Any) -> None:
    """Take back an invitation; the person no longer sees the private process."""
    process.invited.remove(participant)
    log_action(
        actor=actor,
        code="processes.invitation.removed",
        target=process,
        organisation=process.organisation,
        data={"participant": participant.pk},
    )


def parse_postcodes(text: str) -> list[str]:
    """Postcodes separated by commas, semicolons, tabs or lines, once each, in upper case
    and without inner spaces (``SW1A 1AA`` is kept as ``SW1A1AA``, as typed ones are).
    Words without a digit (a header such as ``postcode``) are not postcodes."""
    import re

    seen: dict[str, None] = {}
    for token in re.split(r"[,;\t\r\n]+", text.upper()):
        token = "".join(token.split())
        if any(character.isdigit() for character in token):
            seen.setdefault(token, None)
    return list(seen)


@transaction.atomic
def do_save_area(*, organisation: Organisation, actor: Any, values: dict, area=None):
    """Create or change an area of the organisation and the postcodes it covers.

    Residents verify by postcode against these lists (``participants.do_verify_postcode``).
    """
    from parlons.core.processes.models import Area

    created = area is None
    area = area or Area(organisation=organisation)
    postcodes = values.get("postcodes", area.postcodes)
    if isinstance(postcodes, str):
        postcodes = parse_postcodes(postcodes)
    taken = {
        code
        for other in Area.objects.filter(organisation=organisation).exclude(pk=area.pk)
        for code in other.postcodes
    } & set(postcodes)
    if taken:
        raise ValidationError(
            _("These postcodes already belong to another area: %(codes)s")
            % {"codes": ", ".join(sorted(taken))}
        )
    area.code = values.get("code", area.code)
    area.name = values.get("name", area.name)
    area.postcodes = postcodes
    area.full_clean()
    area.save()
    log_action(
        actor=actor,
        code="processes.area.created" if created else "processes.area.updated",
        target=area,
        organisation=organisation,
        data={"postcodes": len(postcodes)},
    )
    return area
