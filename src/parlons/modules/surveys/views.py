"""Answering a questionnaire, page by page, without JavaScript; the published results."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from parlons.core.permissions import decide
from parlons.core.processes.models import Area
from parlons.modules.surveys import services
from parlons.modules.surveys.answering import parse_page
from parlons.modules.surveys.definition import visible_pages, visible_questions
from parlons.modules.surveys.models import Response
from parlons.modules.surveys.selectors import (
    access_questionnaire,
    find_draft,
    has_answered,
    load_response_data,
)
from parlons.modules.surveys.widgets import widget


def _session_key(questionnaire) -> str:
    return f"surveys:{questionnaire.pk}"


def _seed(request) -> str:
    seed = request.session.get("surveys_seed")
    if not seed:
        seed = request.session["surveys_seed"] = secrets.token_hex(8)
    return seed


def _draft(request, questionnaire):
    token = request.session.get(_session_key(questionnaire), "")
    return find_draft(
        questionnaire=questionnaire,
        person=request.user,
        token_hash=services.token_hash(token) if token else "",
    )


def _url(questionnaire, name, **kwargs):
    instance = questionnaire.instance
    return reverse(
        f"surveys:{name}",
        kwargs={
            "organisation_slug": instance.process.organisation.slug,
            "process_slug": instance.process.slug,
            "instance_slug": instance.slug,
            **kwargs,
        },
    )


def _base(questionnaire, **extra) -> dict:
    return {
        "instance": questionnaire.instance,
        "process": questionnaire.instance.process,
        "questionnaire": questionnaire,
        **extra,
    }


@never_cache
def start(request, organisation_slug, process_slug, instance_slug):
    questionnaire = access_questionnaire(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )
    decision = decide(person=request.user, capability="answer", instance=questionnaire.instance)
    draft = _draft(request, questionnaire) if decision else None
    pages = visible_pages(questionnaire.definition, draft.answers if draft else {})
    done = questionnaire.one_response and (
        has_answered(questionnaire=questionnaire, person=request.user)
        or questionnaire.pk in request.session.get("surveys_done", [])
    )
    first = pages[0]["key"] if pages else None
    resume = draft.page if draft and draft.page else first
    return render(
        request,
        "surveys/start.html",
        _base(
            questionnaire,
            decision=decision,
            draft=draft,
            done=done,
            first_url=_url(questionnaire, "page", page_key=resume) if resume else None,
            verify_url=reverse("portal:verify", args=[organisation_slug])
            if decision.reason == "verification_required"
            else "",
            results_url=_url(questionnaire, "results") if questionnaire.results_published else "",
        ),
    )


@never_cache
def page(request, organisation_slug, process_slug, instance_slug, page_key):
    questionnaire = access_questionnaire(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )
    if not decide(person=request.user, capability="answer", instance=questionnaire.instance):
        return redirect(_url(questionnaire, "detail"))
    draft = _draft(request, questionnaire)
    answers = dict(draft.answers) if draft else {}
    pages = visible_pages(questionnaire.definition, answers)
    keys = [p["key"] for p in pages]
    if page_key not in keys:
        return redirect(_url(questionnaire, "detail"))
    current = pages[keys.index(page_key)]
    if request.method == "POST":
        if "back" in request.POST:
            position = keys.index(page_key)
            return redirect(_url(questionnaire, "page", page_key=keys[max(0, position - 1)]))
        outcome = _post(request, questionnaire, current, draft, answers)
        if outcome is not None:
            return outcome
        posted, errors = request.POST, request.page_errors
    else:
        posted, errors = None, {}
    return _render_page(request, questionnaire, current, pages, answers, posted, errors)


def _postcodes(questionnaire) -> dict[str, str]:
    organisation = questionnaire.instance.process.organisation
    return {
        str(p).upper().replace(" ", ""): area.code
        for area in Area.objects.filter(organisation=organisation)
        for p in area.postcodes
    }


def _post(request, questionnaire, current, draft, answers):
    parsed = parse_page(
        page=current,
        data=request.POST,
        files=request.FILES,
        previous=answers,
        postcodes=_postcodes(questionnaire),
    )
    request.page_errors = parsed.errors
    if parsed.errors:
        return None
    merged = {
        k: v
        for k, v in answers.items()
        if k.split(".")[0] not in {q["key"] for q in current["questions"]}
    }
    for key, value in parsed.answers.items():
        merged[key] = answers.get(key) if value == {"kept": True} else value
    pages = visible_pages(questionnaire.definition, merged)
    keys = [p["key"] for p in pages]
    position = keys.index(current["key"]) if current["key"] in keys else len(keys) - 1
    last = position >= len(keys) - 1
    try:
        if last and "save" not in request.POST:
            response = services.do_submit_response(
                questionnaire=questionnaire,
                person=request.user,
                answers=merged,
                language=get_language(),
                draft=draft,
                guest_email=request.POST.get("guest_email", ""),
                files=parsed.uploads,
            )
        else:
            following = current["key"] if "save" in request.POST else keys[position + 1]
            saved, token = services.do_save_draft(
                questionnaire=questionnaire,
                person=request.user,
                draft=draft,
                answers=merged,
                page=following,
                language=get_language(),
                files=parsed.uploads,
            )
    except ValidationError as error:
        request.page_errors = {"__all__": " ".join(error.messages)}
        return None
    if last and "save" not in request.POST:
        request.session.pop(_session_key(questionnaire), None)
        request.session["surveys_last"] = response.pk
        if questionnaire.one_response:
            request.session["surveys_done"] = [
                *request.session.get("surveys_done", []),
                questionnaire.pk,
            ]
        return redirect(_url(questionnaire, "done"))
    if token:
        request.session[_session_key(questionnaire)] = token
    if "save" in request.POST:
        if not request.user.is_authenticated:
            link = request.build_absolute_uri(
                _url(questionnaire, "resume", token=request.session[_session_key(questionnaire)])
            )
            messages.success(
                request,
                _("Your answers are saved. To finish later, keep this link: %(link)s")
                % {"link": link},
            )
        else:
            messages.success(
                request, _("Your answers are saved. Come back to finish whenever you like.")
            )
        return redirect(_url(questionnaire, "detail"))
    return redirect(_url(questionnaire, "page", page_key=following))


def _render_page(request, questionnaire, current, pages, answers, posted, errors):
    keys = [p["key"] for p in pages]
    position = keys.index(current["key"])
    seed = _seed(request)
    section = next(
        (s for s in questionnaire.definition["sections"] if s["key"] == current.get("section")),
        None,
    )
    widgets = [
        widget(question=q, answers=answers, posted=posted, error=errors.get(q["key"]), seed=seed)
        for q in visible_questions(current, answers)
    ]
    last = position == len(pages) - 1
    here = {q["key"] for q in current["questions"]}
    later = questionnaire.definition["pages"][
        [p["key"] for p in questionnaire.definition["pages"]].index(current["key"]) + 1 :
    ]
    maybe_more = last and any(
        rule["question"] in here
        for p in later
        for rule in (p.get("condition") or {}).get("rules", [])
    )
    return render(
        request,
        "surveys/page.html",
        _base(
            questionnaire,
            page=current,
            section=section,
            widgets=widgets,
            number=position + 1,
            total=len(pages),
            first=position == 0,
            last=last,
            maybe_more=maybe_more,
            general_error=errors.get("__all__", ""),
            error_count=len(errors),
            ask_email=last and questionnaire.confirm_guests and not request.user.is_authenticated,
            guest_email=(posted or {}).get("guest_email", ""),
        ),
        status=400 if errors else 200,
    )


@never_cache
def resume(request, organisation_slug, process_slug, instance_slug, token):
    questionnaire = access_questionnaire(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )
    if (
        find_draft(questionnaire=questionnaire, person=None, token_hash=services.token_hash(token))
        is None
    ):
        raise Http404("No such draft")
    request.session[_session_key(questionnaire)] = token
    return redirect(_url(questionnaire, "detail"))


@never_cache
def done(request, organisation_slug, process_slug, instance_slug):
    questionnaire = access_questionnaire(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )
    response = Response.objects.filter(
        pk=request.session.get("surveys_last"), questionnaire=questionnaire
    ).first()
    if response is None:
        return redirect(_url(questionnaire, "detail"))
    feedback = _feedback(questionnaire, response) if questionnaire.is_quiz else []
    return render(
        request,
        "surveys/done.html",
        _base(
            questionnaire,
            response=response,
            feedback=feedback,
            results_url=_url(questionnaire, "results") if questionnaire.results_published else "",
        ),
    )


def _feedback(questionnaire, response) -> list[dict]:
    from parlons.lib.i18n import pick
    from parlons.modules.surveys.definition import choice_labels, iter_questions

    items = []
    for _page, question in iter_questions(questionnaire.definition):
        if "correct" not in question:
            continue
        labels = {
            code: pick(label) if not isinstance(label, str) else label
            for code, label in choice_labels(question)
        }
        value = response.answers.get(question["key"])
        chosen = value if isinstance(value, list) else ([] if value is None else [value])
        items.append(
            {
                "text": pick(question["text"]),
                "given": ", ".join(str(labels.get(c, c)) for c in chosen) or "—",
                "correct": ", ".join(str(labels.get(c, c)) for c in question["correct"]),
                "right": services.is_correct(question=question, value=value),
                "explanation": pick(question.get("explanation")),
            }
        )
    return items


def results(request, organisation_slug, process_slug, instance_slug):
    """The published results, every cell under the minimum size hidden."""
    from parlons.modules.surveys.results import question_results

    questionnaire = access_questionnaire(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )
    if not questionnaire.results_published:
        raise Http404("Results not published")
    data = load_response_data(questionnaire=questionnaire)
    minimum = questionnaire.min_cell_size
    found = question_results(questionnaire=questionnaire, data=data, minimum=minimum, public=True)
    return render(
        request,
        "surveys/results_public.html",
        _base(
            questionnaire,
            results=[r for r in found if r.kind not in ("short_text", "long_text", "file")],
            total=len(data) if len(data) >= minimum else None,
            minimum=minimum,
        ),
    )
