"""CPU per request of the hot path (sign POST, confirm GET, count GET), in-process.

Not collected by default (no ``test_`` prefix); run it by name, it prints figures:

    pytest -q -p no:xdist -s src/parlons/modules/petitions/tests/cpu_profile.py

It measures ``time.process_time()`` around N requests as a guest without cookies: through
Django's test client (the full middleware stack, the WSGI handler), then through the WSGI
front of the application (``parlons.config.lean``: the lean routes of the hot URLs).  It asserts
nothing about time (the machine is shared); it only checks the answers are right.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import time

import pytest
from django.utils.http import urlencode

from parlons.modules.petitions.tests.conftest import sign_data, urls

FORM = "application/x-www-form-urlencoded"  # what browsers send for this form
N = int(os.environ.get("PETITION_CPU_N", "300"))


def _per_request(label, calls):
    profile = cProfile.Profile() if os.environ.get("PETITION_CPU_PROFILE") else None
    start = time.process_time()
    if profile:
        profile.enable()
    for call in calls:
        call()
    if profile:
        profile.disable()
    spent = time.process_time() - start
    if profile:
        pstats.Stats(profile).sort_stats(
            os.environ.get("PETITION_CPU_SORT", "tottime")
        ).print_stats(40)
    print(f"\n{label}: {spent / len(calls) * 1000:.2f} ms CPU per request ({len(calls)} requests)")


@pytest.mark.django_db(transaction=True)
def test_cpu_per_request(make_petition):
    from django.test import Client

    from parlons.modules.petitions import memo
    from parlons.modules.petitions.models import Signature
    from parlons.modules.petitions.signing import confirmation_token

    petition = make_petition(settings={"signatures_per_ip_per_hour": 0})
    memo.clear_all()
    client = Client()
    sign = urls(petition, "sign")
    count = urls(petition, "count")
    assert client.post(sign, sign_data(-1)).status_code == 200  # warm up
    client.cookies.clear()

    def post(n):
        def call():
            response = client.post(sign, urlencode(sign_data(n)), content_type=FORM)
            assert response.status_code == 200, response.status_code
            client.cookies.clear()

        return call

    _per_request("sign POST", [post(n) for n in range(N)])
    signatures = list(Signature._base_manager.filter(petition=petition).order_by("pk"))
    links = [urls(petition, "confirm", token=confirmation_token(s)) for s in signatures[1:]]

    def get(path, ok=(200,)):
        def call():
            response = client.get(path)
            assert response.status_code in ok, response.status_code
            client.cookies.clear()

        return call

    _per_request("confirm GET", [get(link) for link in links])
    _per_request("count GET", [get(count) for _ in range(N * 10)])


@pytest.mark.django_db(transaction=True)
def test_cpu_per_request_lean(make_petition):
    from parlons.modules.petitions import memo
    from parlons.modules.petitions.models import Signature
    from parlons.modules.petitions.signing import confirmation_token
    from parlons.modules.petitions.tests.test_lean import call

    petition = make_petition(settings={"signatures_per_ip_per_hour": 0})
    memo.clear_all()
    sign, count = urls(petition, "sign"), urls(petition, "count")
    assert call("POST", sign, sign_data(-1)).lean  # warm up

    def request(method, path, data=None):
        def one():
            answer = call(method, path, data)
            assert answer.lean and answer.status_code == 200, answer.status_code

        return one

    _per_request("lean sign POST", [request("POST", sign, sign_data(n)) for n in range(N)])
    signatures = list(Signature._base_manager.filter(petition=petition).order_by("pk"))
    links = [urls(petition, "confirm", token=confirmation_token(s)) for s in signatures[1:]]
    _per_request("lean confirm GET", [request("GET", link) for link in links])
    _per_request("lean count GET", [request("GET", count) for _ in range(N * 10)])
