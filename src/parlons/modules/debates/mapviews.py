"""Public pages of an opinion map: one statement at a time, submitting, the map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused, decide
from parlons.core.processes.selectors import access_instance
from parlons.modules.debates import charts, selectors
from parlons.modules.debates.hooks import instance_kwargs
from parlons.modules.debates.models import Kind, Reaction, Statement
from parlons.modules.debates.services import statements
from parlons.modules.debates.settings import kind_of, setting


def _instance(request, process_slug: str, instance_slug: str):
    instance = access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="debates",
    )
    if kind_of(instance) != Kind.MAP:
        raise Http404("Not an opinion map")
    return instance


def _home(instance) -> str:
    return reverse("debates:detail", kwargs=instance_kwargs(instance))


def vote_page(request, instance):
    """The next statement to vote on, the form to submit one, the way to the map."""
    voted, shown = selectors.map_progress(instance=instance, person=request.user)
    return render(
        request,
        "debates/vote.html",
        {
            "instance": instance,
            "process": instance.process,
            "statement": selectors.next_statement(instance=instance, person=request.user),
            "reactions": [
                (r.value, r.label) for r in (Reaction.AGREE, Reaction.DISAGREE, Reaction.PASS)
            ],
            "voted": voted,
            "shown": shown,
            "vote": decide(person=request.user, capability="vote", instance=instance),
            "submit": decide(person=request.user, capability="submit", instance=instance),
            "max_length": setting(instance, "statement_max_length"),
            "premoderated": setting(instance, "premoderate_statements"),
        },
    )


def _login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or request.get_full_path())
    return None


@require_POST
def vote_statement(request, organisation_slug, process_slug, instance_slug, pk):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    found = Statement.objects.filter(instance=instance, pk=pk).first()
    if found is None:
        raise Http404("No such statement")
    found.instance = instance
    try:
        statements.do_vote_statement(
            person=request.user, statement=found, value=request.POST.get("value")
        )
    except (Refused, ValidationError) as error:
        for message in errors_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Your vote was recorded."))
    return HttpResponseRedirect(_home(instance) + "#statement")


@require_POST
def submit_statement(request, organisation_slug, process_slug, instance_slug):
    if response := _login(request):
        return response
    instance = _instance(request, process_slug, instance_slug)
    try:
        created = statements.do_submit_statement(
            person=request.user, instance=instance, body=request.POST.get("body", "")
        )
    except (Refused, ValidationError) as error:
        for message in errors_of(error):
            messages.error(request, message)
        return HttpResponseRedirect(_home(instance) + "#new-statement")
    if created.status == Statement.Status.PENDING:
        messages.success(request, _("Thank you: your statement will be shown once moderated."))
    else:
        messages.success(request, _("Your statement was published."))
    return HttpResponseRedirect(_home(instance) + "#new-statement")


def opinion_map(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(request, process_slug, instance_slug)
    found = selectors.map_of(instance=instance, person=request.user)
    me = str(found["voter"].number) if found["voter"] else None
    chart = charts.map_points(participants=found["participants"], me=me)
    return render(
        request,
        "debates/map.html",
        {
            "instance": instance,
            "process": instance.process,
            "map": found,
            "chart": chart,
            "centres": charts.group_centres(groups=found["groups"], chart=chart),
            "voted": selectors.map_progress(instance=instance, person=request.user)[0],
        },
    )
