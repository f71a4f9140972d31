"""Back-office views: thin — parse a form, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.backoffice.forms import (
    BrandingForm,
    InstanceForm,
    InviteForm,
    MemberForm,
    PhaseForm,
    ProcessForm,
)
from parlons.core.audit.models import AuditEntry
from parlons.core.audit.sentences import describe
from parlons.core.organisations.models import Member, Organisation
from parlons.core.organisations.services import do_add_member, do_remove_member, do_update_branding
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance, Phase, Process
from parlons.core.processes.services import (
    do_invite_participant,
    do_save_instance,
    do_save_phase,
    do_save_process,
    do_withdraw_invitation,
)
from parlons.core.registry import registry
from parlons.core.tenancy import scopes_disabled


def _fail(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def home(request):
    """The organisations where the person holds a role."""
    with scopes_disabled():
        if request.user.is_superuser:
            organisations = list(Organisation.objects.all())
        else:
            organisations = list(
                Organisation.objects.filter(members__participant=request.user).distinct()
            )
    if len(organisations) == 1:
        return redirect("backoffice:dashboard", organisation_slug=organisations[0].slug)
    return render(request, "backoffice/home.html", {"organisations": organisations})


@organiser_required()
def dashboard(request, organisation_slug):
    processes = Process.objects.order_by("-created_at")
    return render(request, "backoffice/dashboard.html", {"processes": processes})


@organiser_required("admin")
def process_create(request, organisation_slug):
    organisation = request.organisation
    form = ProcessForm(
        request.POST or None,
        languages=organisation.languages,
        initial={"languages": organisation.languages},
    )
    if request.method == "POST" and form.is_valid():
        try:
            process = do_save_process(
                organisation=organisation, actor=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The process was created."))
            return redirect("backoffice:process", organisation_slug, process.slug)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("New process"),
            "submit": _("Create the process"),
        },
    )


@organiser_required()
def process_detail(request, organisation_slug, process_slug):
    process = get_object_or_404(Process, slug=process_slug)
    phases = Phase.objects.filter(process=process).prefetch_related("openings__instance")
    instances = ModuleInstance.objects.filter(process=process)
    return render(
        request,
        "backoffice/process.html",
        {
            "process": process,
            "phases": phases,
            "instances": instances,
            "modules": {d.key: d for d in registry},
            "invited": process.invited.order_by("email"),
            "invite": InviteForm(),
        },
    )


@organiser_required("admin")
def invitations(request, organisation_slug, process_slug):
    """Invite an account to the process, or withdraw an invitation (POST only)."""
    process = get_object_or_404(Process, slug=process_slug)
    if request.method == "POST" and "withdraw" in request.POST:
        person = get_object_or_404(process.invited, pk=request.POST["withdraw"])
        do_withdraw_invitation(process=process, participant=person, actor=request.user)
        messages.success(request, _("The invitation was withdrawn."))
    elif request.method == "POST":
        form = InviteForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors["email"])
            do_invite_participant(
                process=process, email=form.cleaned_data["email"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation was sent."))
    return redirect(
        f"{reverse('backoffice:process', args=[organisation_slug, process_slug])}#invited"
    )


@organiser_required("admin")
def process_edit(request, organisation_slug, process_slug):
    process = get_object_or_404(Process, slug=process_slug)
    form = ProcessForm(
        request.POST or None,
        languages=request.organisation.languages,
        initial_texts={
            "title": process.title,
            "summary": process.summary,
            "description": process.description,
        },
        initial={
            "slug": process.slug,
            "visibility": process.visibility,
            "published": process.published,
            "languages": process.languages,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_save_process(
                organisation=request.organisation,
                actor=request.user,
                values=form.cleaned_data,
                process=process,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The process was saved."))
            return redirect("backoffice:process", organisation_slug, process.slug)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "process": process,
            "title": _("Edit the process"),
            "submit": _("Save"),
        },
    )


@organiser_required("admin")
def phase_edit(request, organisation_slug, process_slug, phase_id=None):
    process = get_object_or_404(Process, slug=process_slug)
    phase = get_object_or_404(Phase, pk=phase_id, process=process) if phase_id else None
    instances = list(ModuleInstance.objects.filter(process=process))
    current = set()
    if phase:
        current = {(o.instance_id, o.capability) for o in phase.openings.all()}
    form = PhaseForm(
        request.POST or None,
        languages=process.languages,
        instances=instances,
        current=current,
        initial_texts={"title": phase.title, "description": phase.description} if phase else {},
        initial={"starts_at": phase.starts_at, "ends_at": phase.ends_at} if phase else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_save_phase(
                process=process,
                actor=request.user,
                values=data,
                openings=data["openings"],
                phase=phase,
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The phase was saved."))
            return redirect("backoffice:process", organisation_slug, process.slug)
    return render(
        request,
        "backoffice/phase_form.html",
        {
            "form": form,
            "process": process,
            "phase": phase,
            "title": _("Edit the phase") if phase else _("New phase"),
        },
    )


@organiser_required("admin")
def instance_edit(request, organisation_slug, process_slug, instance_id=None):
    """Add a module to a process (choose the module first), or change an instance.

    The module's own settings (its ``settings_form``) are part of the same form.
    """
    process = get_object_or_404(Process, slug=process_slug)
    instance = (
        get_object_or_404(ModuleInstance, pk=instance_id, process=process) if instance_id else None
    )
    module = (
        instance.module if instance else request.POST.get("module") or request.GET.get("module")
    )
    if module not in registry:
        return render(
            request,
            "backoffice/choose_module.html",
            {"process": process, "modules": list(registry)},
        )
    declaration = registry.get(module)
    form = InstanceForm(
        request.POST or None,
        languages=process.languages,
        fixed_module=module,
        initial_texts={"title": instance.title} if instance else {},
        initial={
            "slug": instance.slug,
            "required_verifications": list(instance.required_verifications),
            "minimum_age": (instance.required_verifications.get("age") or {}).get("min"),
        }
        if instance
        else {},
    )
    settings_form = (
        declaration.settings_form(
            request.POST or None,
            prefix="settings",
            initial=instance.settings if instance else None,
        )
        if declaration.settings_form
        else None
    )
    valid = request.method == "POST" and form.is_valid()
    valid = valid and (settings_form is None or settings_form.is_valid())
    if valid:
        settings = settings_form.cleaned_data if settings_form else {}
        values = {**form.cleaned_data, "module": module, "settings": settings}
        try:
            instance = do_save_instance(
                process=process, actor=request.user, values=values, instance=instance
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The module instance was saved."))
            return redirect("backoffice:process", organisation_slug, process.slug)
    return render(
        request,
        "backoffice/instance_form.html",
        {
            "form": form,
            "settings_form": settings_form,
            "declaration": declaration,
            "process": process,
            "title": _("Edit the module instance") if instance else _("Add a module"),
            "submit": _("Save"),
        },
    )


@organiser_required("admin")
def members(request, organisation_slug):
    form = MemberForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        member = get_object_or_404(Member, pk=request.POST["remove"])
        try:
            do_remove_member(member=member, actor=request.user)
            messages.success(request, _("The role was removed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("backoffice:members", organisation_slug)
    if request.method == "POST" and form.is_valid():
        try:
            do_add_member(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The role was given."))
            return redirect("backoffice:members", organisation_slug)
    rows = Member.objects.select_related("participant").order_by("participant__email", "role")
    return render(request, "backoffice/members.html", {"form": form, "members": rows})


@organiser_required("admin")
def branding(request, organisation_slug):
    organisation = request.organisation
    form = BrandingForm(
        request.POST or None,
        request.FILES or None,
        languages=organisation.languages,
        initial_texts={"description": organisation.description},
        initial={
            "name": organisation.name,
            "primary_colour": organisation.primary_colour,
            "accent_colour": organisation.accent_colour,
            "languages": organisation.languages,
            "default_language": organisation.default_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if not values.get("logo"):
            values.pop("logo", None)
        try:
            do_update_branding(organisation=organisation, actor=request.user, values=values)
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The branding was saved."))
            return redirect("backoffice:branding", organisation_slug)
    return render(
        request,
        "backoffice/form.html",
        {
            "form": form,
            "title": _("Branding"),
            "submit": _("Save"),
            "multipart": True,
        },
    )


@organiser_required("admin", "analyst")
def audit(request, organisation_slug):
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-pk")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, describe(entry)) for entry in page]
    return render(request, "backoffice/audit.html", {"page": page, "rows": rows})
