"""Organisers' pages of a campaign: its set-up (directory, texts), its proposals, the
stances recorded from replies, the personal links, the exports."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.permissions import Refused
from parlons.core.permissions.access import organiser_required
from parlons.core.processes.models import ModuleInstance
from parlons.lib.forms import TranslatedFieldsForm
from parlons.lib.i18n import pick
from parlons.modules.interpellations import exports, selectors, services
from parlons.modules.interpellations.models import (
    Directory,
    Message,
    Position,
    Proposal,
    Representative,
)

STAFF = ("admin", "evaluator")
PER_PAGE = 50


class CampaignForm(TranslatedFieldsForm):
    translated = {
        "introduction": (False, forms.Textarea),
        "subject": (False, forms.TextInput),
        "template": (False, forms.Textarea),
    }
    translated_labels = {
        "introduction": gettext_lazy("Introduction (Markdown)"),
        "subject": gettext_lazy("Subject of the message"),
        "template": gettext_lazy("Message template (participants personalise it)"),
    }

    def __init__(self, *args, directories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directory"] = forms.ModelChoiceField(
            label=_("Representatives (directory)"),
            queryset=directories,
            required=False,
            empty_label=_("None yet"),
        )
        self.order_fields(["directory"])


class ProposalForm(TranslatedFieldsForm):
    translated = {"title": (True, forms.TextInput), "text": (False, forms.Textarea)}
    translated_labels = {
        "title": gettext_lazy("Title"),
        "text": gettext_lazy("Text (Markdown)"),
    }


class StanceSourceForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("Source (a link to the reply, or where it was given)"), max_length=500
    )
    stated_on = forms.DateField(
        label=gettext_lazy("Date of the reply"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (published)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _instance(process_slug: str, instance_slug: str) -> ModuleInstance:
    instance = (
        ModuleInstance.objects.select_related("process__organisation")
        .filter(process__slug=process_slug, slug=instance_slug, module="interpellations")
        .first()
    )
    if instance is None:
        raise Http404("No such campaign")
    return instance


def _urls(instance: ModuleInstance) -> dict[str, str]:
    kwargs = {
        "organisation_slug": instance.process.organisation.slug,
        "process_slug": instance.process.slug,
        "instance_slug": instance.slug,
    }
    names = ("index", "proposals", "stances")
    urls = {name: reverse(f"bo_interpellations:{name}", kwargs=kwargs) for name in names}
    urls["public"] = reverse("interpellations:detail", kwargs=kwargs)
    urls["scoreboard"] = reverse("interpellations:scoreboard", kwargs=kwargs)
    return urls


def _context(instance: ModuleInstance, **extra) -> dict:
    return {"instance": instance, "process": instance.process, "urls": _urls(instance), **extra}


@organiser_required(*STAFF)
def index(request, organisation_slug, process_slug, instance_slug):
    """The campaign's set-up, its figures and its exports."""
    instance = _instance(process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    directories = Directory.objects.filter(organisation=request.organisation)
    form = CampaignForm(
        request.POST or None,
        languages=instance.process.languages,
        directories=directories,
        initial={"directory": campaign.directory_id},
        initial_texts={
            "introduction": campaign.introduction,
            "subject": campaign.subject,
            "template": campaign.template,
        },
    )
    if request.method == "POST" and "admin" in request.roles and form.is_valid():
        try:
            services.do_save_campaign(
                actor=request.user,
                instance=instance,
                directory=form.cleaned_data["directory"],
                introduction=form.cleaned_data["introduction"],
                subject=form.cleaned_data["subject"],
                template=form.cleaned_data["template"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("The campaign was saved."))
            return redirect(request.get_full_path())
    kwargs = {"organisation_slug": organisation_slug, "process_slug": process_slug,
              "instance_slug": instance_slug}  # fmt: skip
    return render(
        request,
        "interpellations/backoffice/index.html",
        _context(
            instance,
            form=form,
            editable="admin" in request.roles,
            totals=selectors.totals(instance=instance),
            replies=Message.objects.filter(instance=instance, replied="yes").count(),
            exporters=[
                (label, reverse("bo_interpellations:export", kwargs={**kwargs, "key": key}))
                for key, label in exports.LABELS.items()
            ],
        ),
    )


@organiser_required("admin")
def proposals(request, organisation_slug, process_slug, instance_slug):
    """Add, change and delete the proposals."""
    instance = _instance(process_slug, instance_slug)
    editing = None
    if request.GET.get("edit", "").isdigit():
        editing = get_object_or_404(Proposal, instance=instance, pk=int(request.GET["edit"]))
    if request.method == "POST" and request.POST.get("delete", "").isdigit():
        found = get_object_or_404(Proposal, instance=instance, pk=int(request.POST["delete"]))
        services.do_delete_proposal(actor=request.user, proposal=found)
        flash.success(request, _("The proposal was deleted."))
        return redirect(request.path)
    form = ProposalForm(
        request.POST or None,
        languages=instance.process.languages,
        initial_texts={"title": editing.title, "text": editing.text} if editing else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_proposal(
                actor=request.user,
                instance=instance,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                proposal=editing,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("The proposal was saved."))
            return redirect(request.path)
    return render(
        request,
        "interpellations/backoffice/proposals.html",
        _context(
            instance,
            form=form,
            editing=editing,
            rows=[(p, pick(p.title)) for p in selectors.proposals_of(instance=instance)],
        ),
        status=400 if form.errors else 200,
    )


@organiser_required(*STAFF)
def stances(request, organisation_slug, process_slug, instance_slug):
    """The representatives, what they received, the replies reported, their stances."""
    instance = _instance(process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    if campaign.directory is None:
        flash.warning(request, _("Choose the campaign's directory first."))
        return redirect(_urls(instance)["index"])
    filters = selectors.ScoreFilters(
        group=(request.GET.get("group") or "")[:200],
        q=(request.GET.get("q") or "").replace("\x00", "")[:100].strip(),
    )
    board = selectors.scoreboard(
        instance=instance, directory=campaign.directory, filters=filters
    ).annotate(
        replies=Count("messages", filter=Q(messages__instance=instance, messages__replied="yes"))
    )
    if request.GET.get("written") == "yes":
        board = board.filter(received__gt=0)
    page = Paginator(board, PER_PAGE).get_page(request.GET.get("page"))
    proposals = selectors.proposals_of(instance=instance)
    return render(
        request,
        "interpellations/backoffice/stances.html",
        _context(
            instance,
            filters=filters,
            written=request.GET.get("written") == "yes",
            groups=selectors.groups_of(directory=campaign.directory),
            page=page,
            proposals=proposals,
            rows=[
                (rep, selectors.stance_cells(representative=rep, proposals=proposals))
                for rep in page.object_list
            ],
        ),
    )


@organiser_required(*STAFF)
def record_stances(request, organisation_slug, process_slug, instance_slug, pk: int):
    """Record a representative's stances from a reply, or send them their personal link."""
    instance = _instance(process_slug, instance_slug)
    campaign = selectors.get_campaign(instance=instance)
    if campaign.directory is None:
        raise Http404("No directory")
    rep = get_object_or_404(Representative, directory=campaign.directory, pk=pk)
    proposals = selectors.proposals_of(instance=instance)
    current = {s.proposal_id: s for s in rep.stances.filter(proposal__instance=instance)}
    if request.method == "POST" and "send_link" in request.POST:
        services.do_send_stance_links(actor=request.user, instance=instance, representatives=[rep])
        flash.success(request, _("The personal link was sent."))
        return redirect(request.path)
    form = StanceSourceForm(request.POST or None, initial={"stated_on": timezone.localdate()})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        positions = {str(p.pk): request.POST.get(f"proposal-{p.pk}", "") for p in proposals}
        try:
            services.do_record_stances(
                person=request.user,
                instance=instance,
                representative=rep,
                positions={k: v for k, v in positions.items() if v},
                source=form.cleaned_data["source"],
                stated_on=form.cleaned_data["stated_on"],
                comment=form.cleaned_data["comment"],
            )
        except (Refused, ValidationError) as error:
            errors = [str(error.decision.message)] if isinstance(error, Refused) else error.messages
        else:
            flash.success(request, _("The stances were recorded."))
            return redirect(_urls(instance)["stances"])
    replies = Message.objects.filter(instance=instance, representative=rep).exclude(replied="")
    return render(
        request,
        "interpellations/backoffice/record.html",
        _context(
            instance,
            representative=rep,
            form=form,
            errors=errors,
            fields=[(p, current[p.pk].position if p.pk in current else "") for p in proposals],
            positions=Position.choices,
            replies=replies,
            today=date.today(),
        ),
        status=400 if (errors or form.errors) else 200,
    )


@organiser_required("admin", "evaluator", "analyst")
def export(request, organisation_slug, process_slug, instance_slug, key: str):
    """Stream one export."""
    instance = _instance(process_slug, instance_slug)
    stream = exports.STREAMS.get(key)
    if stream is None:
        raise Http404("No such export")
    response = StreamingHttpResponse(stream(instance=instance), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{instance.slug}-{key}-{stamp}.csv"'
    return response
