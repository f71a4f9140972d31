"""Every change to a petition: create, check and publish, propose and moderate, post
updates and the target's response, invalidate signatures in bulk."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parlons.core.audit.services import log_action
from parlons.core.permissions import decide, roles_of
from parlons.modules.petitions.models import (
    Invalidation,
    Petition,
    Signature,
    Status,
    Update,
)

FIELDS = ("title", "ask", "text", "target", "goal", "deadline", "image", "image_alt", "thresholds")
MANAGERS = {"admin", "moderator"}
ASK_ADVISED = 150  # characters: an ask people read at a glance


def may_manage(*, person: Any, petition: Petition) -> bool:
    """The petition's owner, or the organisation's admins and moderators."""
    if not getattr(person, "is_authenticated", False):
        return False
    if petition.owner_id == person.pk:
        return True
    return bool(
        roles_of(person=person, organisation=petition.instance.process.organisation) & MANAGERS
    )


def campaign_checks(*, petition: Petition) -> list[str]:
    """Gentle advice before publishing, after the ten rules of an online campaign.

    None of these blocks publishing; each says what would make the campaign stronger.
    """
    advice = []
    if not petition.target.strip():
        advice.append(
            _("Name the decision-maker who can grant your ask: a campaign needs a target.")
        )
    if petition.deadline is None:
        advice.append(_("Choose a deadline: a clear date gives people a reason to sign now."))
    if len(petition.ask) > ASK_ADVISED:
        advice.append(
            _("Your ask is long (%(n)d characters): a clear ask fits in %(max)d.")
            % {"n": len(petition.ask), "max": ASK_ADVISED}
        )
    if petition.ask.count("?") + petition.ask.count(";") > 1:
        advice.append(_("Ask for one thing: one call to action is easier to sign and to grant."))
    if len(petition.text.split()) < 50:
        advice.append(
            _("Tell the story: why it matters, who it touches. A few paragraphs help people care.")
        )
    if not petition.image:
        advice.append(
            _("Add an image: a visual makes the petition recognisable when it is shared.")
        )
    if not petition.goal:
        advice.append(_("Set a goal that is reachable: people sign more when they see progress."))
    return advice


def check_petition(*, fields: dict[str, Any], now: datetime | None = None) -> None:
    """Hard rules (translated ValidationError per field); the gentle ones are advice."""
    now = now or timezone.now()
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = gettext_lazy("Give the petition a title.")
    if not (fields.get("ask") or "").strip():
        errors["ask"] = gettext_lazy("Say what you ask for.")
    deadline = fields.get("deadline")
    if deadline is not None and deadline <= now:
        errors["deadline"] = gettext_lazy("The deadline must be in the future.")
    counts = [t["count"] for t in fields.get("thresholds") or []]
    if counts != sorted(set(counts)) or any(c <= 0 for c in counts):
        errors["thresholds"] = gettext_lazy("Thresholds go up, each with a different count.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_petition(
    *, instance: Any, actor: Any, fields: dict[str, Any], petition: Petition | None = None
) -> Petition:
    """Create a draft petition in ``instance`` or change ``petition`` (not its status)."""
    check_petition(fields=fields)
    created = petition is None
    petition = petition or Petition(
        instance=instance, owner=actor if actor.is_authenticated else None
    )
    for name in FIELDS:
        if name in fields and not (name == "image" and fields[name] is None):
            setattr(petition, name, fields[name])
    petition.save()
    log_action(
        actor=actor,
        code="petitions.petition.created" if created else "petitions.petition.edited",
        target=petition,
    )
    return petition


@transaction.atomic
def do_publish_petition(*, petition: Petition, actor: Any) -> Petition:
    """Publish a draft or a proposal (staff), after the gentle checks were shown."""
    if not roles_of(person=actor, organisation=petition.instance.process.organisation) & MANAGERS:
        raise ValidationError(_("Only the organisers' team can publish a petition."))
    petition.status = Status.PUBLISHED
    petition.published_at = petition.published_at or timezone.now()
    petition.save(update_fields=["status", "published_at"])
    log_action(actor=actor, code="petitions.petition.published", target=petition)
    return petition


@transaction.atomic
def do_propose_petition(*, instance: Any, person: Any, fields: dict[str, Any]) -> Petition:
    """A participant proposes a petition; moderators publish or reject it."""
    from parlons.modules.petitions.settings import setting

    decision = decide(person=person, capability="submit", instance=instance)
    if not decision:
        raise ValidationError(decision.message)
    if not setting(instance, "participants_propose"):
        raise ValidationError(_("Participants do not propose petitions here."))
    petition = do_save_petition(instance=instance, actor=person, fields=fields)
    petition.status = Status.PENDING
    petition.save(update_fields=["status"])
    return petition


@transaction.atomic
def do_reject_petition(*, petition: Petition, actor: Any) -> Petition:
    """Moderators turn a proposal down; it stays visible to its owner only."""
    if not roles_of(person=actor, organisation=petition.instance.process.organisation) & MANAGERS:
        raise ValidationError(_("Only the organisers' team can moderate a petition."))
    petition.status = Status.REJECTED
    petition.save(update_fields=["status"])
    log_action(actor=actor, code="petitions.petition.rejected", target=petition)
    return petition


@transaction.atomic
def do_post_update(
    *, petition: Petition, actor: Any, title: str, body: str, kind: str = Update.Kind.UPDATE
) -> Update:
    """Publish news (or the target's response) on the page; e-mailed in batches by a task."""
    from parlons.modules.petitions.tasks import send_update

    if not may_manage(person=actor, petition=petition):
        raise ValidationError(_("Only the petition's owner and the organisers can post updates."))
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the update a title.")
    if not body.strip():
        errors["body"] = _("Write the update.")
    elif len(body) > Update._meta.get_field("body").max_length:
        errors["body"] = _("The update is too long (at most %(max)d characters).") % {
            "max": Update._meta.get_field("body").max_length
        }
    if len(title) > Update._meta.get_field("title").max_length:
        errors["title"] = _("The title is too long.")
    if errors:
        raise ValidationError(errors)
    update = Update.objects.create(
        petition=petition, kind=kind, title=title.strip(), body=body.strip(), author=actor
    )
    if kind == Update.Kind.RESPONSE:
        petition.response, petition.response_at = update.body, update.created_at
        petition.save(update_fields=["response", "response_at"])
    code = (
        "petitions.response.published"
        if kind == Update.Kind.RESPONSE
        else "petitions.update.posted"
    )
    log_action(actor=actor, code=code, target=petition, data={"update": update.pk})
    transaction.on_commit(lambda: send_update.enqueue(update_id=update.pk))
    return update


def _matching(petition: Petition, *, domain: str, network: str, since, until):
    signatures = Signature._base_manager.filter(petition=petition, invalidated_at__isnull=True)
    if domain:
        signatures = signatures.filter(email__iendswith="@" + domain.lower().lstrip("@"))
    if since:
        signatures = signatures.filter(created_at__gte=since)
    if until:
        signatures = signatures.filter(created_at__lt=until)
    if network:
        net = ipaddress.ip_network(network, strict=False)
        ids = [
            pk
            for pk, ip in signatures.exclude(ip__isnull=True).values_list("pk", "ip")
            if ipaddress.ip_address(ip) in net
        ]
        signatures = signatures.filter(pk__in=ids)
    return signatures


@transaction.atomic
def do_invalidate_signatures(
    *,
    petition: Petition,
    actor: Any,
    reason: str,
    domain: str = "",
    network: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> Invalidation:
    """Staff set aside every signature matching all the given criteria, with an audit."""
    if not roles_of(person=actor, organisation=petition.instance.process.organisation) & MANAGERS:
        raise ValidationError(_("Only the organisers' team can invalidate signatures."))
    if not (domain or network or since or until):
        raise ValidationError(
            _("Give at least one criterion: a domain, an IP range or a time window.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these signatures are set aside.")})
    if network:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ValidationError(
                {"network": _("Give an IP range such as 203.0.113.0/24.")}
            ) from None
    invalidation = Invalidation.objects.create(
        petition=petition,
        actor=actor,
        domain=domain,
        network=network,
        since=since,
        until=until,
        reason=reason.strip(),
    )
    matched = _matching(petition, domain=domain, network=network, since=since, until=until).update(
        invalidated_at=timezone.now(), invalidation=invalidation
    )
    invalidation.matched = matched
    invalidation.save(update_fields=["matched"])
    log_action(
        actor=actor,
        code="petitions.signatures.invalidated",
        target=petition,
        data={"invalidation": invalidation.pk, "matched": matched, "reason": invalidation.reason},
    )
    return invalidation
