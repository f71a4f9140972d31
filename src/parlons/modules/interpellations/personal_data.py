"""What the interpellation module holds about a participant: the messages they wrote."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parlons.modules.interpellations.models import Message


def export(*, participant: Any) -> dict:
    """The participant's messages (by account or by their e-mail address)."""
    rows = Message.objects.filter(participant=participant, erased_at__isnull=True).select_related(
        "representative"
    )
    return {
        "messages": [
            {
                "representative": m.representative.name,
                "subject": m.subject,
                "body": m.body,
                "postcode": m.postcode,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                "replied": m.replied,
            }
            for m in rows
        ]
    }


def erase(*, participant: Any) -> None:
    """Anonymise the participant's messages; the counts of messages received stay."""
    Message.objects.filter(participant=participant).update(
        participant=None,
        sender_key="erased:" + str(participant.pk) + ":" + timezone.now().isoformat(),
        sender_name="",
        sender_email="erased@invalid",
        postcode="",
        body="",
        reply_text="",
        erased_at=timezone.now(),
    )
