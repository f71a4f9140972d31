"""Public pages of a debate: the text and its articles, amendments, questions.

Opinion maps are in ``mapviews.py``.  Every action is a POST answered by a redirect with
a message; refusals and errors come back as translated messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parlons.contributions.panels import action_url, panel_for
from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused, decide
from parlons.core.processes.selectors import access_instance
from parlons.modules.debates import charts, selectors
from parlons.modules.debates.hooks import (
    amendment_url,
    article_url,
    instance_kwargs,
    question_url,
)
from parlons.modules.debates.models import Choice, Kind, Question, Stance
from parlons.modules.debates.services import questions, text
from parlons.modules.debates.settings import kind_of


def _instance(request, process_slug: str, instance_slug: str):
    return access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="debates",
    )


def _base(instance) -> dict:
    return {"instance": instance, "process": instance.process}


def _fail(request, error: Exception) -> None:
    for message in errors_of(error):
        messages.error(request, message)


def _decisions(request, instance, *capabilities: str) -> dict:
    return {c: decide(person=request.user, capability=c, instance=instance) for c in capabilities}


def _vote_urls(instance, comments) -> None:
    for comment in comments:
        on = {"target": "contributions.comment", "pk": comment.pk}
        comment.support_url = action_url("support", instance=instance, **on)
        comment.withdraw_url = action_url("withdraw", instance=instance, **on)


def _arguments(request, instance, obj) -> dict:
    found = selectors.arguments_of(obj=obj, person=request.user)
    _vote_urls(instance, found["for"] + found["against"])
    return found


def detail(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(request, process_slug, instance_slug)
    kind = kind_of(instance)
    if kind == Kind.MAP:
        from parlons.modules.debates.mapviews import vote_page

        return vote_page(request, instance)
    if kind == Kind.QUESTION:
        found = list(Question.objects.filter(instance=instance, hidden_at__isnull=True))
        for question in found:
            question.instance = instance
            question.balance = selectors.balance_of(question=question)
        return render(request, "debates/questions.html", {**_base(instance), "questions": found})
    order = "debated" if request.GET.get("order") == "debated" else "text"
    groups = selectors.sections_of(instance=instance, person=request.user, order=order)
    return render(
        request,
        "debates/text.html",
        {
            **_base(instance),
            "groups": groups,
            "order": order,
            "submit": decide(person=request.user, capability="submit", instance=instance),
        },
    )


@require_POST
def propose_article(request, organisation_slug, process_slug, instance_slug):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    try:
        created = text.do_propose_article(
            person=request.user,
            instance=instance,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
        return HttpResponseRedirect(
            reverse("debates:detail", kwargs=instance_kwargs(instance)) + "#propose"
        )
    messages.success(request, _("Your proposal was published."))
    return HttpResponseRedirect(article_url(created))


def article(request, organisation_slug, process_slug, instance_slug, pk):
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_article(instance=instance, pk=pk)
    if found.hidden_at is not None:
        raise Http404("Hidden article")
    tally = selectors.article_tallies(articles=[found])[found.pk]
    mine = selectors.mine_of(person=request.user, articles=[found]).get(found.pk)
    amendments = selectors.amendments_of(article=found, person=request.user)
    return render(
        request,
        "debates/article.html",
        {
            **_base(instance),
            "article": found,
            "tally": tally,
            "mine": mine,
            "choices": [(c.value, c.label) for c in (Choice.AGREE, Choice.DISAGREE, Choice.MIXED)],
            "amendments": amendments,
            "arguments": _arguments(request, instance, found),
            "sources": list(found.sources.all()),
            "panel": panel_for(request=request, obj=found),
            "may": _decisions(request, instance, "vote", "amend", "argue"),
            "argue_url": _argue_url(instance, "article", found.pk),
        },
    )


def _argue_url(instance, target: str, pk: int) -> str:
    return reverse(
        "debates:argue", kwargs={**instance_kwargs(instance), "target": target, "pk": pk}
    )


def _login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or request.get_full_path())
    return None


@require_POST
def vote_article(request, organisation_slug, process_slug, instance_slug, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_article(instance=instance, pk=pk)
    try:
        text.do_vote_article(person=request.user, article=found, value=request.POST.get("value"))
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your vote was recorded."))
    return HttpResponseRedirect(article_url(found) + "#vote")


def amend(request, organisation_slug, process_slug, instance_slug, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_article(instance=instance, pk=pk)
    values = {"body": found.body, "explanation": ""}
    errors: dict = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("body", "explanation")}
        try:
            created = text.do_amend(person=request.user, article=found, **values)
        except Refused as error:
            messages.error(request, str(error.decision.message))
            return HttpResponseRedirect(article_url(found))
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}
            )
        else:
            messages.success(request, _("Your amendment was published."))
            return HttpResponseRedirect(amendment_url(created))
    decision = decide(person=request.user, capability="amend", instance=instance)
    return render(
        request,
        "debates/amend.html",
        {
            **_base(instance),
            "article": found,
            "values": values,
            "errors": errors,
            "decision": decision,
        },
    )


def amendment(request, organisation_slug, process_slug, instance_slug, pk):
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_amendment(instance=instance, pk=pk)
    return render(
        request,
        "debates/amendment.html",
        {
            **_base(instance),
            "amendment": found,
            "article": found.article,
            "diff": selectors.diff_of(original=found.article.body, amended=found.body),
            "panel": panel_for(request=request, obj=found),
            "arguments": _arguments(request, instance, found),
            "may": _decisions(request, instance, "vote", "argue"),
            "argue_url": _argue_url(instance, "amendment", found.pk),
        },
    )


ARGUABLE = {
    "article": selectors.access_article,
    "amendment": selectors.access_amendment,
    "question": selectors.access_question,
}


@require_POST
def argue(request, organisation_slug, process_slug, instance_slug, target, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    if target not in ARGUABLE:
        raise Http404("Nothing to argue on")
    obj = ARGUABLE[target](instance=instance, pk=pk)
    back = {"article": article_url, "amendment": amendment_url, "question": question_url}[target]
    try:
        created = text.do_argue(
            person=request.user,
            obj=obj,
            side=request.POST.get("side"),
            body=request.POST.get("body", ""),
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
        return HttpResponseRedirect(back(obj) + "#arguments")
    if created.hidden_at is not None:
        messages.warning(request, _("Your argument will be shown once a moderator has seen it."))
    else:
        messages.success(request, _("Your argument was published."))
    return HttpResponseRedirect(back(obj) + f"#comment-{created.pk}")


@require_POST
def add_source(request, organisation_slug, process_slug, instance_slug, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_article(instance=instance, pk=pk)
    try:
        text.do_add_source(
            person=request.user,
            article=found,
            url=request.POST.get("url", ""),
            title=request.POST.get("title", ""),
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your source was added."))
    return HttpResponseRedirect(article_url(found) + "#sources")


def question(request, organisation_slug, process_slug, instance_slug, pk):
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_question(instance=instance, pk=pk)
    balance = selectors.balance_of(question=found)
    history = selectors.balance_over_time(question=found)
    mine = None
    if request.user.is_authenticated:
        mine = found.positions.filter(participant=request.user).values_list("value", flat=True)
        mine = next(iter(mine), None)
    return render(
        request,
        "debates/question.html",
        {
            **_base(instance),
            "question": found,
            "balance": balance,
            "bars": charts.balance_bars(balance=balance),
            "history": [(day, charts.balance_bars(balance=day)) for day in history],
            "mine": mine,
            "stances": [(s.value, s.label) for s in (Stance.FOR, Stance.AGAINST, Stance.UNDECIDED)],
            "arguments": _arguments(request, instance, found),
            "panel": panel_for(request=request, obj=found),
            "may": _decisions(request, instance, "vote", "argue"),
            "argue_url": _argue_url(instance, "question", found.pk),
        },
    )


@require_POST
def take_position(request, organisation_slug, process_slug, instance_slug, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.access_question(instance=instance, pk=pk)
    try:
        questions.do_take_position(
            person=request.user, question=found, value=request.POST.get("value")
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your position was recorded."))
    return HttpResponseRedirect(question_url(found) + "#position")
