"""Messages from participants to their representatives, and the follow-up that asks
whether they replied.

Each message is one row under the unique constraint (campaign, representative, sender's
e-mail). The e-mails leave by tasks after commit: to the representative with the
participant as Reply-To, and a copy to the participant. A guest's messages wait until the
guest follows the confirmation link.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parlons.contributions.text import clean_text
from parlons.core.audit.services import log_action
from parlons.core.notifications.services import queue_email
from parlons.core.permissions import ensure
from parlons.core.processes.models import ModuleInstance
from parlons.modules.interpellations.models import Campaign, Message, Representative
from parlons.modules.interpellations.selectors import find_postcode, has_postcodes
from parlons.modules.interpellations.services.stances import stance_link_path
from parlons.modules.interpellations.settings import setting

SUBJECT_LENGTH = (3, 200)
BODY_MIN = 20
REPLY_SALT = "interpellations.reply"
REPLY_LINK_VALIDITY = timedelta(days=90)


@dataclass(frozen=True)
class MessageDraft:
    """A checked message, ready to write: one row per representative."""

    campaign: Campaign
    representatives: tuple[Representative, ...]
    sender_key: str
    sender_name: str
    sender_email: str
    postcode: str
    subject: str
    body: str
    rate_keys: tuple[str, ...]


def sender_key(email: str) -> str:
    return email.strip().lower()


def _sender(person: Any, name: str, email: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if getattr(person, "is_authenticated", False):
        email = person.email
        name = (name or "").strip() or person.public_name
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address, to receive the copy and the replies.")]
    try:
        name = clean_text(name, max_length=120, min_length=2)
    except ValidationError as error:
        errors["name"] = error.messages
    if errors:
        raise ValidationError(errors)
    return name, email


def _texts(instance: ModuleInstance, subject: str, body: str) -> tuple[str, str]:
    errors = {}
    try:
        subject = clean_text(subject, min_length=SUBJECT_LENGTH[0], max_length=SUBJECT_LENGTH[1])
    except ValidationError as error:
        errors["subject"] = error.messages
    try:
        body = clean_text(
            body, min_length=BODY_MIN, max_length=setting(instance, "message_max_length")
        )
    except ValidationError as error:
        errors["body"] = error.messages
    if errors:
        raise ValidationError(errors)
    return subject, body


def _recipients(campaign: Campaign, ids: Sequence[Any], postcode: str) -> list[Representative]:
    wanted = {int(i) for i in ids if str(i).isdigit()}
    if not wanted:
        raise ValidationError(
            {"representatives": _("Choose at least one representative to write to.")}
        )
    limit = setting(campaign.instance, "representatives_per_message")
    if len(wanted) > limit:
        raise ValidationError(
            {"representatives": ngettext(
                "One message goes to %(count)d representative at most.",
                "One message goes to %(count)d representatives at most.",
                limit,
            ) % {"count": limit}}
        )  # fmt: skip
    reps = Representative.objects.filter(
        directory=campaign.directory, pk__in=wanted, left_at__isnull=True
    ).exclude(email="")
    if postcode or has_postcodes(directory=campaign.directory):
        areas = find_postcode(directory=campaign.directory, postcode=postcode).area_ids
        reps = reps.filter(constituencies__code__in=areas).distinct()
    found = list(reps.order_by("pk"))
    if len(found) != len(wanted):
        raise ValidationError(
            {"representatives": _("Write only to the representatives of your constituency.")}
        )
    return found


def _rate_keys(instance: ModuleInstance, key: str, ip: str) -> tuple[str, ...]:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return (f"interp:rate:{instance.pk}:s:{digest}", f"interp:rate:{instance.pk}:ip:{ip or '-'}")


def _check_rate(instance: ModuleInstance, keys: tuple[str, ...], count: int) -> None:
    limits = (setting(instance, "messages_per_hour"), setting(instance, "messages_per_hour_per_ip"))
    for key, limit in zip(keys, limits, strict=True):
        if (cache.get(key) or 0) + count > limit:
            raise ValidationError(
                _("Too many messages sent in the last hour from here. Try again later."),
                code="rate",
            )


def _count_rate(keys: tuple[str, ...], count: int) -> None:
    for key in keys:
        cache.add(key, 0, timeout=3600)
        try:
            cache.incr(key, count)
        except ValueError:  # expired between add and incr
            cache.set(key, count, timeout=3600)


def check_send_messages(
    *,
    person: Any,
    instance: ModuleInstance,
    representatives: Sequence[Any],
    name: str = "",
    email: str = "",
    postcode: str = "",
    subject: str,
    body: str,
    ip: str = "",
) -> MessageDraft:
    """May ``person`` (or a guest giving ``name`` and ``email``) send this message now?

    The phase must open ``interpellate``; the representatives must sit for the
    postcode's constituencies; the texts must fit; the sender must not have written to
    them in this campaign already nor sent too many messages in the last hour.
    """
    ensure(person=person, capability="interpellate", instance=instance)
    campaign = Campaign.objects.select_related("directory").filter(instance=instance).first()
    if campaign is None or campaign.directory is None:
        raise ValidationError(_("This campaign has no representatives yet."), code="directory")
    campaign.instance = instance
    sender_name, sender_email = _sender(person, name, email)
    subject, body = _texts(instance, subject, body)
    reps = _recipients(campaign, representatives, postcode)
    key = sender_key(sender_email)
    _refuse_repeats(instance, reps, key)
    rate_keys = _rate_keys(instance, key, ip)
    _check_rate(instance, rate_keys, len(reps))
    return MessageDraft(
        campaign=campaign,
        representatives=tuple(reps),
        sender_key=key,
        sender_name=sender_name,
        sender_email=sender_email,
        postcode=postcode.replace(" ", "")[:10],
        subject=subject,
        body=body,
        rate_keys=rate_keys,
    )


def _already(instance: ModuleInstance, reps: Sequence[Representative]) -> ValidationError:
    names = ", ".join(r.name for r in reps)
    return ValidationError(
        {"representatives": ngettext(
            "You have already written to %(names)s in this campaign: one message per "
            "representative.",
            "You have already written to %(names)s in this campaign: one message per "
            "representative.",
            len(reps),
        ) % {"names": names}},
        code="already_sent",
    )  # fmt: skip


def _refuse_repeats(instance: ModuleInstance, reps: Sequence[Representative], key: str) -> None:
    done = set(
        Message.objects.filter(
            instance=instance, representative__in=reps, sender_key=key
        ).values_list("representative_id", flat=True)
    )
    if done:
        raise _already(instance, [r for r in reps if r.pk in done])


@transaction.atomic
def do_send_messages(
    *, person: Any, instance: ModuleInstance, **values: Any
) -> tuple[list[Message], bool]:
    """Write one message per representative and send them (a guest's after confirmation).

    Returns the messages and whether they wait for the guest's confirmation. A repeat
    that races past the check meets the unique constraint: the same error, nothing kept.
    """
    draft = check_send_messages(person=person, instance=instance, **values)
    language = (translation.get_language() or "")[:8]
    authenticated = getattr(person, "is_authenticated", False)
    now = timezone.now()
    messages = []
    for rep in draft.representatives:
        try:
            with transaction.atomic():
                messages.append(
                    Message.objects.create(
                        instance=instance,
                        representative=rep,
                        participant=person if authenticated else None,
                        sender_key=draft.sender_key,
                        sender_name=draft.sender_name,
                        sender_email=draft.sender_email,
                        postcode=draft.postcode,
                        subject=draft.subject,
                        body=draft.body,
                        language=language,
                        confirmed_at=now if authenticated else None,
                    )
                )
        except IntegrityError:
            raise _already(instance, [rep]) from None
    log_action(
        actor=person,
        code="interpellations.message.written",
        target=instance,
        data={"messages": len(messages)},
    )
    _count_rate(draft.rate_keys, len(messages))
    if authenticated:
        _dispatch(instance, messages)
        return messages, False
    _ask_confirmation(instance, messages, draft, language)
    return messages, True


def _ask_confirmation(instance, messages, draft: MessageDraft, language: str) -> None:
    from parlons.core.participants.guests import do_open_guest

    guest, path = do_open_guest(
        organisation=instance.process.organisation,
        process=instance.process,
        email=draft.sender_email,
        language=language,
        module="interpellations",
    )
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(guest=guest)
    queue_email(
        to=draft.sender_email,
        template="interpellations/email/confirm",
        context={
            "instance": instance,
            "name": draft.sender_name,
            "representatives": [m.representative.name for m in messages],
            "link": _absolute(path),
        },
        language=language,
    )


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def do_confirm_messages(*, guest: Any) -> list[Message]:
    """The guest confirmed their address: send their messages waiting for it (once)."""
    pending = list(
        Message.objects.select_for_update()
        .filter(guest=guest, confirmed_at__isnull=True, erased_at__isnull=True)
        .select_related("representative", "instance__process__organisation")
    )
    if not pending:
        return []
    Message.objects.filter(pk__in=[m.pk for m in pending]).update(confirmed_at=timezone.now())
    by_instance: dict[int, list[Message]] = defaultdict(list)
    for message in pending:
        by_instance[message.instance_id].append(message)
    for group in by_instance.values():
        log_action(
            actor=None,
            code="interpellations.message.confirmed",
            target=group[0].instance,
            data={"messages": len(group)},
        )
        _dispatch(group[0].instance, group)
    return pending


def _dispatch(instance: ModuleInstance, messages: Sequence[Message]) -> None:
    """Queue the e-mails to the representatives and the participant's copy; mark as sent."""
    organisation = instance.process.organisation
    rep_language = organisation.default_language
    for message in messages:
        queue_email(
            to=message.representative.email,
            subject=message.subject,
            template="interpellations/email/to_representative",
            context={
                "message": message,
                "instance": instance,
                "organisation": organisation,
                "stance_link": _absolute(stance_link_path(instance, message.representative)),
            },
            language=rep_language,
            reply_to=[message.sender_email],
        )
    first = messages[0]
    queue_email(
        to=first.sender_email,
        template="interpellations/email/copy",
        context={
            "message": first,
            "instance": instance,
            "representatives": [m.representative.name for m in messages],
            "scoreboard": _absolute(_url(instance, "scoreboard")),
        },
        language=first.language or None,
    )
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(sent_at=timezone.now())


def _url(instance: ModuleInstance, name: str, **kwargs: Any) -> str:
    return reverse(
        f"interpellations:{name}",
        kwargs={
            "organisation_slug": instance.process.organisation.slug,
            "process_slug": instance.process.slug,
            "instance_slug": instance.slug,
            **kwargs,
        },
    )


def reply_token(*, instance: ModuleInstance, key: str) -> str:
    return signing.dumps({"i": instance.pk, "s": key}, salt=REPLY_SALT)


def read_reply_token(token: str) -> tuple[int, str]:
    """The campaign and sender a follow-up link names, or ValidationError."""
    try:
        data = signing.loads(token, salt=REPLY_SALT, max_age=REPLY_LINK_VALIDITY.total_seconds())
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid or has expired."), code="link") from None
    return int(data["i"]), str(data["s"])


def do_send_followups(*, now: datetime | None = None) -> int:
    """Ask each participant whose messages left long enough ago whether they had a reply.

    One e-mail per participant and campaign; each message is claimed by a conditional
    update, so two runs at once send nothing twice. Returns the e-mails queued.
    """
    now = now or timezone.now()
    due = (
        Message.objects.filter(
            sent_at__lte=now - timedelta(days=1),  # the shortest delay a campaign may set
            followup_at__isnull=True,
            erased_at__isnull=True,
        )
        .select_related("instance__process__organisation", "representative")
        .order_by("instance_id", "sender_key", "pk")
    )
    groups: dict[tuple[int, str], list[Message]] = defaultdict(list)
    for message in due.iterator(chunk_size=1000):
        days = setting(message.instance, "followup_days")
        if message.sent_at <= now - timedelta(days=days):
            groups[(message.instance_id, message.sender_key)].append(message)
    queued = 0
    for (_instance_id, key), group in groups.items():
        with transaction.atomic():
            claimed = Message.objects.filter(
                pk__in=[m.pk for m in group], followup_at__isnull=True
            ).update(followup_at=now)
            if not claimed:
                continue
            instance = group[0].instance
            queue_email(
                to=group[0].sender_email,
                template="interpellations/email/followup",
                context={
                    "instance": instance,
                    "representatives": [m.representative.name for m in group],
                    "link": _absolute(
                        _url(instance, "reply", token=reply_token(instance=instance, key=key))
                    ),
                },  # fmt: skip
                language=group[0].language or None,
            )
            queued += 1
    return queued


REPLIES = ("yes", "no")


@transaction.atomic
def do_record_reply(
    *, instance: ModuleInstance, key: str, representative_id: Any, replied: str, text: str = ""
) -> Message:
    """The participant says whether a representative replied (and may paste the reply)."""
    message = (
        Message.objects.select_for_update()
        .filter(instance=instance, sender_key=key, representative_id=representative_id)
        .first()
        if str(representative_id).isdigit()
        else None
    )
    if message is None:
        raise ValidationError(_("You did not write to this representative."), code="message")
    if replied not in REPLIES:
        raise ValidationError({"replied": _("Say whether they replied.")})
    text = clean_text(text, max_length=20000, min_length=0) if text else ""
    message.replied, message.reply_text = replied, text
    message.save(update_fields=["replied", "reply_text"])
    log_action(actor=None, code="interpellations.reply.reported", target=instance)
    return message
