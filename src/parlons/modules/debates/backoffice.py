"""Organisers' pages: import a text, add questions, seed and moderate statements, and the
way to the answers and the moderation of the contribution toolkit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from parlons.contributions.panels import backoffice_url
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance
from parlons.modules.debates.importing import do_import_text
from parlons.modules.debates.models import Article, Kind, Question, Statement
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


@organiser_required("admin", "moderator", "evaluator")
def index(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(process_slug, instance_slug)
    kind = kind_of(instance)
    if request.method == "POST":
        form = request.POST.get("form")
        if form == "text" and kind == Kind.TEXT:
            upload = request.FILES.get("file")
            text = upload.read().decode("utf-8", "replace") if upload else request.POST.get("text")
            _do(
                request,
                lambda: do_import_text(actor=request.user, instance=instance, text=text),
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
