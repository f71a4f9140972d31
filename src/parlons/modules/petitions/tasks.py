"""Tasks of the petitions module (thin: each calls one service)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_signature_mails() -> int:
    """Periodic: confirmation and 'already signed' e-mails, in batches."""
    from parlons.modules.petitions.mailing import do_send_signature_mails

    return do_send_signature_mails()


@task()
def count_signatures() -> int:
    """Periodic: the public counts, recomputed from the signatures."""
    from parlons.modules.petitions.counting import do_count_signatures

    return do_count_signatures()


@task()
def close_due_petitions() -> int:
    """Periodic: close the petitions whose deadline has passed."""
    from parlons.modules.petitions.counting import do_close_due_petitions

    return do_close_due_petitions()


@task()
def anonymise_closed_petitions() -> int:
    """Periodic: erase signers' personal data a set time after the close."""
    from parlons.modules.petitions.counting import do_anonymise_closed_petitions

    return do_anonymise_closed_petitions()


@task()
def send_update(*, update_id: int) -> int:
    """E-mail one update or response to the consenting signers."""
    from parlons.modules.petitions.mailing import do_send_update

    return do_send_update(update_id=update_id)
