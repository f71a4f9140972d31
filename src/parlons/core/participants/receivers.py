"""Facts that allauth announces become verifications (allauth speaks only through signals)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed)
def record_confirmed_email(request, email_address, **kwargs) -> None:
    from parlons.core.participants.services import do_record_email_verification

    if email_address.user_id:
        do_record_email_verification(participant=email_address.user)
