"""Back-office pages of the toolkit, mounted by each module under its instances:
the moderation queue, blocks, the word filter and the official answer form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.contributions import services
from parlons.contributions.forms import AnswerForm, BlockForm, WordListsForm
from parlons.contributions.models import Block, WordList
from parlons.contributions.panels import backoffice_url
from parlons.contributions.selectors import moderation_queue
from parlons.contributions.targets import targets
from parlons.contributions.views import _object, errors_of
from parlons.contributions.wordlists import default_words
from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance


def _instance(kwargs: dict) -> ModuleInstance:
    instance = (
        ModuleInstance.objects.select_related("process__organisation")
        .filter(
            process__slug=kwargs["process_slug"],
            slug=kwargs["instance_slug"],
            module=kwargs["module"],
        )
        .first()
    )
    if instance is None:
        raise Http404("No such module instance")
    return instance


def _fail(request, error: Exception) -> None:
    for message in errors_of(error):
        messages.error(request, message)


ACTIONS = {
    "hide": (services.do_hide, gettext_lazy("The contribution is hidden.")),
    "restore": (services.do_restore, gettext_lazy("The contribution is visible again.")),
    "dismiss": (services.do_dismiss_reports, gettext_lazy("The reports were dismissed.")),
}


@organiser_required("admin", "moderator")
def moderation(request, **kwargs):
    """Reported (or hidden) contributions of one instance, and the decisions on them."""
    instance = _instance(kwargs)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise Http404("No such action")
        obj = _object(instance, request.POST.get("target", ""), _int(request.POST.get("pk")))
        service, done = ACTIONS[action]
        extra = {"note": request.POST.get("note", "")} if action == "hide" else {}
        try:
            service(person=request.user, obj=obj, **extra)
        except (Refused, ValidationError) as error:
            _fail(request, error)
        else:
            messages.success(request, done)
        return redirect(request.get_full_path())
    show = "hidden" if request.GET.get("show") == "hidden" else "reported"
    return render(
        request,
        "contributions/backoffice/moderation.html",
        {
            "instance": instance,
            "process": instance.process,
            "items": moderation_queue(instance=instance, show=show),
            "show": show,
            "urls": {
                "queue": backoffice_url("moderation", instance=instance),
                "blocks": backoffice_url("blocks", instance=instance),
                "words": backoffice_url("words", instance=instance),
            },
        },
    )


def _lines(text: str) -> list[str]:
    return sorted({line.strip() for line in text.splitlines() if line.strip()})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such object") from None


@organiser_required("admin", "moderator")
def block(request, participant_id: int, **kwargs):
    """Block a participant in the organisation, with a message e-mailed to them."""
    instance = _instance(kwargs)
    participant = get_object_or_404(get_user_model(), pk=participant_id)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_block(
                person=request.user,
                participant=participant,
                organisation=request.organisation,
                message=form.cleaned_data["message"],
                module=instance.module,
            )
        except (Refused, ValidationError) as error:
            for message in errors_of(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The participant is blocked and was told why."))
            return redirect(backoffice_url("blocks", instance=instance))
    return render(
        request,
        "contributions/backoffice/block.html",
        {
            "instance": instance,
            "process": instance.process,
            "participant": participant,
            "form": form,
            "queue_url": backoffice_url("moderation", instance=instance),
        },
    )


@organiser_required("admin", "moderator")
def blocks(request, **kwargs):
    """The participants blocked in the organisation; lift a block."""
    instance = _instance(kwargs)
    if request.method == "POST":
        found = get_object_or_404(Block, pk=_int(request.POST.get("block")))
        try:
            services.do_lift_block(person=request.user, block=found, module=instance.module)
        except (Refused, ValidationError) as error:
            _fail(request, error)
        else:
            messages.success(request, _("The block was lifted."))
        return redirect(request.get_full_path())
    rows = (
        Block.objects.filter(organisation=request.organisation, lifted_at__isnull=True)
        .select_related("participant", "blocked_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "contributions/backoffice/blocks.html",
        {
            "instance": instance,
            "process": instance.process,
            "blocks": rows,
            "queue_url": backoffice_url("moderation", instance=instance),
        },
    )


@organiser_required("admin", "moderator")
def words(request, **kwargs):
    """The organisation's spam and profanity words, per language."""
    instance = _instance(kwargs)
    organisation = request.organisation
    own = {
        (row.kind, row.language): row.words.splitlines()
        for row in WordList.objects.filter(organisation=organisation)
    }
    lists = {
        (kind, code): own.get((kind, code), default_words(language=code, kind=kind))
        for kind in WordList.Kind.values
        for code, _name in settings.LANGUAGES
    }
    form = WordListsForm(request.POST or None, lists=lists)
    if request.method == "POST" and form.is_valid():
        try:
            for (kind, code), current in lists.items():
                words = form.cleaned_data[f"{kind}_{code}"]
                if _lines(words) != _lines("\n".join(current)):
                    services.do_save_word_list(
                        person=request.user,
                        organisation=organisation,
                        language=code,
                        kind=kind,
                        words=words,
                        module=instance.module,
                    )
        except (Refused, ValidationError) as error:
            for message in errors_of(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The word lists were saved."))
            return redirect(request.get_full_path())
    return render(
        request,
        "contributions/backoffice/words.html",
        {
            "instance": instance,
            "process": instance.process,
            "form": form,
            "queue_url": backoffice_url("moderation", instance=instance),
        },
    )


@organiser_required("admin", "evaluator")
def answer(request, target: str, pk: int, **kwargs):
    """Give or change the official answer to one object."""
    instance = _instance(kwargs)
    obj = _object(instance, target, pk)
    declared = targets.of(obj)
    from parlons.contributions.selectors import answers_of

    current = answers_of(target_type=declared.label, ids=[obj.pk]).get(obj.pk)
    form = AnswerForm(
        request.POST or None,
        statuses=declared.statuses,
        languages=instance.process.languages,
        initial_texts={"explanation": current.explanation if current else {}},
        initial={"status": current.status if current else None},
    )
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.do_answer(
                person=request.user,
                obj=obj,
                status=form.cleaned_data["status"],
                explanation=form.cleaned_data["explanation"],
            )
        except (Refused, ValidationError) as error:
            for message in errors_of(error):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The answer is published; the author and the supporters are told by e-mail."),
            )
            return redirect(back or declared.url(obj))
    return render(
        request,
        "contributions/backoffice/answer.html",
        {
            "instance": instance,
            "process": instance.process,
            "obj": obj,
            "title": declared.title(obj),
            "public_url": declared.url(obj),
            "form": form,
            "next": back,
        },
    )
