"""Organisers' pages: import a text, add questions, seed and moderate statements, and the
way to the answers and the moderation of the contribution toolkit."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from parlons.contributions.panels import backoffice_url
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance
from parlons.formats import polis
from parlons.modules.debates.importing import do_import_text, markdown_of_upload
from parlons.modules.debates.models import Article, Kind, Question, Statement
from parlons.modules.debates.polis_io import do_import_conversation
from parlons.modules.debates.services.maps import do_refresh_map
from parlons.modules.debates.services.questions import do_save_question
from parlons.modules.debates.services.statements import do_moderate_statement, do_seed_statement
from parlons.modules.debates.settings import kind_of


def _instance(process_slug: str, instance_slug: str) -> ModuleInstance:
    return get_object_or_404(
        ModuleInstance.objects.select_related("process__organisation"),
        process__slug=process_slug,
        slug=instance_slug,
        module="debates",
    )


def _do(request, action, success: str) -> None:
    try:
        action()
    except (Refused, ValidationError) as error:
        for message in errors_of(error):
            messages.error(request, message)
    else:
        messages.success(request, success)


MAX_ZIP = 200 * 1024 * 1024
MAX_TEXT_FILE = 20 * 1024 * 1024


def import_text(*, instance: ModuleInstance, actor, upload, text: str) -> None:
    """The pasted Markdown, or an uploaded Markdown or Word (.docx) file, into articles."""
    source = "markdown"
    if upload is not None:
        if upload.size > MAX_TEXT_FILE:
            raise ValidationError(_("This file is too large."), code="too_large")
        text, source = markdown_of_upload(name=upload.name, data=upload.read())
    do_import_text(actor=actor, instance=instance, text=text, source=source)


def import_polis_zip(*, instance: ModuleInstance, actor, upload) -> None:
    """A ZIP of the four Polis files into an empty map, then the map computed."""
    if upload is None:
        raise ValidationError(_("Choose a ZIP file."), code="missing")
    try:
        with zipfile.ZipFile(upload) as archive, tempfile.TemporaryDirectory() as folder:
            names = {Path(n).name: n for n in archive.namelist() if n.endswith(".csv")}
            if sum(archive.getinfo(n).file_size for n in names.values()) > MAX_ZIP:
                raise ValidationError(_("This file is too large."), code="too_large")
            for name, member in names.items():
                (Path(folder) / name).write_bytes(archive.read(member))
            conversation = polis.read_conversation(directory=folder)
    except zipfile.BadZipFile:
        raise ValidationError(_("This is not a ZIP file."), code="zip") from None
    except polis.PolisFormatError as error:
        raise ValidationError(
            _("The Polis files are not valid: %(error)s") % {"error": error}, code="polis"
        ) from None
    with transaction.atomic():
        do_import_conversation(actor=actor, instance=instance, conversation=conversation)
        do_refresh_map(instance=instance)


@organiser_required("admin", "moderator", "evaluator")
def index(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(process_slug, instance_slug)
    kind = kind_of(instance)
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "text" and kind == Kind.TEXT:
            _do(
                request,
                lambda: import_text(
                    instance=instance,
                    actor=request.user,
                    upload=request.FILES.get("file"),
                    text=request.POST.get("text", ""),
                ),
                _("The text was imported."),
            )
        elif form == "question" and kind == Kind.QUESTION:
            _do(
                request,
                lambda: do_save_question(
                    actor=request.user,
                    instance=instance,
                    title=request.POST.get("title", ""),
                    body=request.POST.get("body", ""),
                ),
                _("The question was saved."),
            )
        elif form == "statement" and kind == Kind.MAP:
            _do(
                request,
                lambda: do_seed_statement(
                    actor=request.user, instance=instance, body=request.POST.get("body", "")
                ),
                _("The statement was added."),
            )
        elif form == "polis" and kind == Kind.MAP:
            _do(
                request,
                lambda: import_polis_zip(
                    instance=instance, actor=request.user, upload=request.FILES.get("file")
                ),
                _("The conversation was imported."),
            )
        elif form == "moderate" and kind == Kind.MAP:
            statement = get_object_or_404(Statement, instance=instance, pk=request.POST.get("pk"))
            accept = request.POST.get("decision") == "accept"
            _do(
                request,
                lambda: do_moderate_statement(
                    actor=request.user, statement=statement, accept=accept
                ),
                _("The statement was accepted.") if accept else _("The statement was rejected."),
            )
        return redirect(request.path)
    articles = list(Article.objects.filter(instance=instance)) if kind == Kind.TEXT else []
    for article in articles:
        article.answer_url = backoffice_url(
            "answer", instance=instance, target="debates.article", pk=article.pk
        )
    return render(
        request,
        "debates/backoffice/index.html",
        {
            "instance": instance,
            "process": instance.process,
            "kind": kind,
            "articles": articles,
            "questions": list(Question.objects.filter(instance=instance)),
            "pending": list(Statement.objects.filter(instance=instance, status="pending")),
            "statements": Statement.objects.filter(instance=instance).count(),
            "moderation_url": backoffice_url("moderation", instance=instance),
        },
    )
