"""Public pages of a campaign: find your representatives, write to them, the scoreboard,
each representative's page, and the two personal links (a representative's stances, a
participant's follow-up)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from parlons.contributions.views import errors_of
from parlons.core.permissions import Refused, decide
from parlons.lib.i18n import pick
from parlons.modules.interpellations import selectors, services
from parlons.modules.interpellations.forms import (
    MessageForm,
    PostcodeForm,
    ReplyForm,
    position_field,
)
from parlons.modules.interpellations.models import Constituency, Message, Position, Representative
from parlons.modules.interpellations.services.messages import read_reply_token
from parlons.modules.interpellations.services.stances import read_stance_token

PER_PAGE = 50


def _instance(request, process_slug: str, instance_slug: str):
    return selectors.access_campaign(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug
    )


def _url(instance, name: str, **kwargs: Any) -> str:
    return reverse(
        f"interpellations:{name}",
        kwargs={
            "organisation_slug": instance.process.organisation.slug,
            "process_slug": instance.process.slug,
            "instance_slug": instance.slug,
            **kwargs,
        },
    )


def _base(instance, campaign, **extra) -> dict:
    return {
        "instance": instance,
        "process": instance.process,
        "campaign": campaign,
        "urls": {
            "detail": _url(instance, "detail"),
            "write": _url(instance, "write"),
            "scoreboard": _url(instance, "scoreboard"),
        },
        **extra,
    }


@require_GET
def detail(request, organisation_slug, process_slug, instance_slug):
    """The campaign: its introduction, its proposals, and "find your representatives"."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    directory = campaign.directory
    postcodes = directory is not None and selectors.has_postcodes(directory=directory)
    return render(
        request,
        "interpellations/detail.html",
        _base(
            instance,
            campaign,
            proposals=selectors.proposals_of(instance=instance),
            totals=selectors.totals(instance=instance),
            decision=decide(person=request.user, capability="interpellate", instance=instance),
            postcodes=postcodes,
            postcode_form=PostcodeForm(),
            constituencies=Constituency.objects.filter(directory=directory)
            if directory is not None and not postcodes
            else [],
        ),
    )


def _closed(request, instance, campaign, decision):
    if decision.reason == "login_required":
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "interpellations/closed.html",
        _base(instance, campaign, decision=decision),
        status=403,
    )


def _where(request, directory, data) -> tuple[dict, Any]:
    """Resolve the postcode (and chosen constituency) to area codes, or what to ask next."""
    postcode = (data.get("postcode") or "").strip()[:10]
    chosen = (data.get("area") or "").strip()[:100]
    if not selectors.has_postcodes(directory=directory):  # the area code itself ("IT:Sud")
        if not Constituency.objects.filter(directory=directory, code=chosen).exists():
            return {"error": _("Choose your constituency.")}, None
        return {"postcode": "", "area": chosen}, (chosen,)
    area = chosen.rpartition(":")[2]  # "<commune>:<constituency>"
    try:
        match = selectors.find_postcode(directory=directory, postcode=postcode)
    except ValidationError as error:
        return {"error": error.message_dict["postcode"][0], "postcode": postcode}, None
    state = {"postcode": match.postcode, "area": chosen}
    if not match.needs_choice:
        return state, match.area_ids
    if area and area in match.area_ids:
        return state, (area,)
    state["choices"] = selectors.area_choices(directory=directory, match=match)
    return state, None


@never_cache
@require_http_methods(["GET", "POST"])
def write(request, organisation_slug, process_slug, instance_slug):
    """Your representatives and the message to them (postcode first, then a choice of
    commune or constituency where the postcode spans several)."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    decision = decide(person=request.user, capability="interpellate", instance=instance)
    if not decision:
        return _closed(request, instance, campaign, decision)
    if campaign.directory is None:
        raise Http404("This campaign has no directory yet")
    data = request.POST if request.method == "POST" else request.GET
    state, areas = _where(request, campaign.directory, data)
    context = _base(instance, campaign, state=state, postcode_form=PostcodeForm(initial=state))
    if areas is None:
        status = 400 if state.get("error") else 200
        return render(request, "interpellations/where.html", context, status=status)
    reps = selectors.representatives_in(directory=campaign.directory, area_codes=areas)
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        initial={"subject": pick(campaign.subject), "body": pick(campaign.template)},
    )
    chosen = request.POST.getlist("representatives") if request.method == "POST" else []
    if request.method == "POST":
        sent = _send(request, instance, form, state, chosen)
        if sent is not None:
            return sent
    context.update(
        form=form,
        representatives=reps,
        chosen={str(c) for c in chosen} if chosen else {str(r.pk) for r in reps},
        proposals=selectors.proposals_of(instance=instance),
    )
    return render(
        request, "interpellations/write.html", context, status=400 if form.errors else 200
    )


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:45]


def _send(request, instance, form, state, chosen):
    if not form.is_valid():
        return None
    try:
        _sent, pending = services.do_send_messages(
            person=request.user,
            instance=instance,
            representatives=chosen,
            name=form.cleaned_data.get("name", ""),
            email=form.cleaned_data.get("email", ""),
            postcode=state.get("postcode", ""),
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            ip=_ip(request),
        )
    except (Refused, ValidationError) as error:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                if field == "representatives":
                    form.representative_errors = errors
                    form.add_error(None, [])  # makes the form invalid: status 400
                else:
                    form.add_error(field if field in form.fields else None, errors)
        else:
            for message in errors_of(error):
                form.add_error(None, message)
        return None
    return HttpResponseRedirect(_url(instance, "sent") + ("?pending=1" if pending else ""))


@require_GET
def sent(request, organisation_slug, process_slug, instance_slug):
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    return render(
        request,
        "interpellations/sent.html",
        _base(instance, campaign, pending=request.GET.get("pending") == "1"),
    )


def guest_confirmed(*, request, guest):
    """A guest followed the confirmation link: their messages leave now."""
    confirmed = services.do_confirm_messages(guest=guest)
    instance = confirmed[0].instance if confirmed else None
    if instance is None:
        found = Message.objects.filter(guest=guest).select_related("instance__process").first()
        instance = found.instance if found else None
    campaign = selectors.get_campaign(instance=instance) if instance else None
    return render(
        request,
        "interpellations/confirmed.html",
        {
            **(_base(instance, campaign) if instance else {}),
            "count": len(confirmed),
        },
    )


def _filters(request, directory) -> selectors.ScoreFilters:
    return selectors.ScoreFilters(
        group=(request.GET.get("group") or "")[:200],
        area=(request.GET.get("area") or "")[:80],
        q=(request.GET.get("q") or "").replace("\x00", "")[:100].strip(),
    )


@require_GET
def scoreboard(request, organisation_slug, process_slug, instance_slug):
    """Where each representative stands on each proposal, with filters by group and area."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    directory = campaign.directory
    proposals = selectors.proposals_of(instance=instance)
    rows, page, filters = [], None, selectors.ScoreFilters()
    if directory is not None:
        filters = _filters(request, directory)
        board = selectors.scoreboard(instance=instance, directory=directory, filters=filters)
        page = Paginator(board, PER_PAGE).get_page(request.GET.get("page"))
        rows = [
            (rep, selectors.stance_cells(representative=rep, proposals=proposals))
            for rep in page.object_list
        ]
    return render(
        request,
        "interpellations/scoreboard.html",
        _base(
            instance,
            campaign,
            proposals=proposals,
            rows=rows,
            page=page,
            filters=filters,
            groups=selectors.groups_of(directory=directory) if directory else [],
            areas=Constituency.objects.filter(directory=directory) if directory else [],
        ),
    )


@require_GET
def representative(request, organisation_slug, process_slug, instance_slug, pk: int):
    """One representative: constituencies, group, stances with their sources, messages."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    if campaign.directory is None:
        raise Http404("No directory")
    rep = selectors.access_representative(directory=campaign.directory, pk=pk)
    proposals = selectors.proposals_of(instance=instance)
    stances = {s.proposal_id: s for s in rep.stances.filter(proposal__instance=instance)}
    return render(
        request,
        "interpellations/representative.html",
        _base(
            instance,
            campaign,
            representative=rep,
            rows=[(p, stances.get(p.pk)) for p in proposals],
            received=selectors.messages_received(instance=instance, representative=rep),
        ),
    )


def _invalid(request, instance, campaign, message: str):
    return render(
        request,
        "interpellations/invalid_link.html",
        _base(instance, campaign, message=message),
        status=404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def stance_link(request, organisation_slug, process_slug, instance_slug, token: str):
    """A representative states their stance on each proposal through their personal link."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    try:
        instance_id, rep_id = read_stance_token(token)
    except ValidationError as error:
        return _invalid(request, instance, campaign, error.messages[0])
    rep = Representative.objects.filter(pk=rep_id, directory=campaign.directory).first()
    if instance_id != instance.pk or rep is None:
        return _invalid(request, instance, campaign, _("This personal link is not valid."))
    proposals = selectors.proposals_of(instance=instance)
    current = {s.proposal_id: s.position for s in rep.stances.filter(proposal__instance=instance)}
    fields = {str(p.pk): position_field(pick(p.title), current.get(p.pk, "")) for p in proposals}
    errors: list[str] = []
    if request.method == "POST":
        positions = {key: request.POST.get(f"proposal-{key}", Position.NO_ANSWER) for key in fields}
        try:
            services.do_record_stances(
                person=request.user,
                instance=instance,
                representative=rep,
                positions=positions,
                comment=request.POST.get("comment", "")[:5000],
                by_representative=True,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            flash.success(request, _("Thank you: your stances are published on the scoreboard."))
            return HttpResponseRedirect(_url(instance, "representative", pk=rep.pk))
    return render(
        request,
        "interpellations/stance_link.html",
        _base(
            instance,
            campaign,
            representative=rep,
            fields=[(p, current.get(p.pk, Position.NO_ANSWER)) for p in proposals],
            positions=Position.choices,
            errors=errors,
        ),
        status=400 if errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def reply(request, organisation_slug, process_slug, instance_slug, token: str):
    """The follow-up link: the participant says whether each representative replied."""
    instance = _instance(request, process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    try:
        instance_id, key = read_reply_token(token)
    except ValidationError as error:
        return _invalid(request, instance, campaign, error.messages[0])
    if instance_id != instance.pk:
        return _invalid(request, instance, campaign, _("This link is not valid."))
    written = list(
        Message.objects.filter(instance=instance, sender_key=key, sent_at__isnull=False)
        .select_related("representative")
        .order_by("pk")
    )
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_record_reply(
                instance=instance,
                key=key,
                representative_id=request.POST.get("representative", ""),
                replied=form.cleaned_data["replied"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("Thank you: the organisers will read it."))
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "interpellations/reply.html",
        _base(instance, campaign, written=written, form=form),
        status=400 if form.errors else 200,
    )
