"""On PostgreSQL: parallel confirmations and parallel signatures never lose nor duplicate."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _fresh(petition):
    from parlons.modules.petitions.models import Petition

    return Petition.objects.select_related("instance__process__organisation").get(pk=petition.pk)


def test_1000_parallel_confirmations_of_500_signers_count_500(make_petition):
    from django.contrib.auth.models import AnonymousUser

    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.petitions.counting import do_count_signatures
    from parlons.modules.petitions.models import Signature
    from parlons.modules.petitions.signing import (
        SignerInput,
        confirmation_token,
        do_confirm_signature,
        do_sign_petition,
    )

    petition = make_petition()
    for n in range(500):
        do_sign_petition(
            petition=petition,
            person=AnonymousUser(),
            signer=SignerInput(name=f"S {n}", email=f"s{n}@example.org", postcode="75011"),
        )
    tokens = [confirmation_token(s) for s in Signature.objects.order_by("pk")]
    assert len(tokens) == 500

    def confirm(token):
        with scopes_disabled():
            return do_confirm_signature(petition=_fresh(petition), token=token)

    results = in_parallel(confirm, tokens + tokens, threads=16)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 500, [r for r in results if isinstance(r, Exception)][:3]
    assert {r.code for r in refused} == {"reused"}
    do_count_signatures()
    petition.refresh_from_db()
    assert petition.signature_count == 500
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 500


def test_parallel_signatures_of_one_email_leave_one(make_petition):
    from django.contrib.auth.models import AnonymousUser

    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.petitions.models import Mail, Signature
    from parlons.modules.petitions.signing import SignerInput, do_sign_petition

    petition = make_petition()

    def sign(n):
        with scopes_disabled():
            return do_sign_petition(
                petition=_fresh(petition),
                person=AnonymousUser(),
                signer=SignerInput(name=f"S {n}", email="same@example.org", postcode="75011"),
            )

    results = in_parallel(sign, range(40), threads=16)
    assert sum(r is not None for r in results) == 1, results[:3]
    assert Signature.objects.count() == 1
    assert Signature.objects.get().mail_due == Mail.CONFIRM
