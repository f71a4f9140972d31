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


def test_parallel_signers_are_written_in_shared_statements_and_none_is_lost(make_petition):
    from django.contrib.auth.models import AnonymousUser

    from parlons.core.tenancy import scopes_disabled
    from parlons.modules.petitions.models import Signature
    from parlons.modules.petitions.signing import SignerInput, do_sign_petition, signatures_group

    petition = make_petition()
    # 1,200 distinct signers, 300 of whom sign a second time
    addresses = [f"s{n}@example.org" for n in range(1200)] + [
        f"s{n}@example.org" for n in range(0, 1200, 4)
    ]
    before = signatures_group.batches, signatures_group.items

    def sign(address):
        with scopes_disabled():
            return do_sign_petition(
                petition=_fresh(petition),
                person=AnonymousUser(),
                signer=SignerInput(name="S", email=address, postcode="75011"),
            )

    results = in_parallel(sign, addresses, threads=32)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    ids = [r for r in results if r is not None]
    assert len(ids) == len(set(ids)) == 1200  # each new signer got their own row's id
    assert Signature.objects.count() == 1200
    assert set(Signature.objects.values_list("pk", flat=True)) == set(ids)
    batches = signatures_group.batches - before[0]
    assert signatures_group.items - before[1] == len(addresses)
    assert batches < len(addresses)  # shared statements, not one per signer


def test_one_statement_for_many_rows_skips_repeats_within_and_across(make_petition):
    from django.db import connection
    from django.utils import timezone

    from parlons.modules.petitions.models import Mail, Signature
    from parlons.modules.petitions.signing import SIGNED_COLUMNS, insert_signatures

    petition = make_petition()

    def row(email, name):
        values = {
            "petition_id": petition.pk,
            "participant_id": None,
            "email": email,
            "name": name,
            "postcode": "75011",
            "consent": True,
            "comment": "",
            "language": "fr",
            "ip": "192.0.2.1",
            "created_at": timezone.now(),
            "confirmed_at": None,
            "mail_due": Mail.CONFIRM,
            "suspicious": "",
        }
        return tuple(values[c] for c in SIGNED_COLUMNS)

    first = insert_signatures([row("a@example.org", "A"), row("b@example.org", "B")])
    assert all(first) and first[0] != first[1]
    second = insert_signatures(
        [row("c@example.org", "C"), row("a@example.org", "A again"), row("c@example.org", "C2")]
    )
    assert second[0] is not None and second[1] is None and second[2] is None
    assert connection.vendor == "postgresql"
    names = dict(Signature.objects.values_list("email", "name"))
    assert names == {"a@example.org": "A", "b@example.org": "B", "c@example.org": "C"}
    assert str(Signature.objects.get(email="c@example.org").ip) == "192.0.2.1"


def test_one_statement_confirms_many_and_a_link_twice_in_it_counts_once(make_petition):
    from django.utils import timezone

    from parlons.modules.petitions.models import Mail, Signature
    from parlons.modules.petitions.signing import confirm_signatures

    petition = make_petition()
    made = [
        Signature.objects.create(
            petition=petition,
            email=f"c{n}@example.org",
            name="C",
            postcode="75011",
            mail_due=Mail.NONE,
        )
        for n in range(3)
    ]
    now = timezone.now()
    a, b, c = (s.pk for s in made)
    assert confirm_signatures(
        [(a, petition.pk, now), (b, petition.pk, now), (a, petition.pk, now)]
    ) == [
        True,
        True,
        False,
    ]
    # already confirmed, another petition's id, and one still waiting
    assert confirm_signatures(
        [(a, petition.pk, now), (c, petition.pk + 1, now), (c, petition.pk, now)]
    ) == [
        False,
        False,
        True,
    ]
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 3
