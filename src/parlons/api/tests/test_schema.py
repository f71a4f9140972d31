"""Schemathesis against the OpenAPI document: no server error, every response as documented.

The demo city is loaded so that reads find real objects: about half of the generated
addresses are replaced by real ones.  Every request carries the demo organiser's token,
so writes are tried as an administrator of the demo city.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from parlons.config.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Path parameter name -> a real value, filled by the ``demo`` fixture before generation.
REAL: dict[str, str] = {}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: REAL[name] for name in path_parameters if name in REAL}
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Call the WSGI application as Django's test client does: a request's end must not
    close the database connection, which holds the test's transaction (PostgreSQL)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token() -> str:
    """Load the demo city, note real addresses in it, return its organiser's token."""
    from parlons.api.services import do_create_token
    from parlons.core.operations.demo import demo_people, load_demo
    from parlons.core.processes.models import ModuleInstance

    organisation = load_demo()
    instance = ModuleInstance.objects.filter(process__organisation=organisation).first()
    REAL.update(
        slug=organisation.slug,
        organisation=organisation.slug,
        process_slug=instance.process.slug,
        process=instance.process.slug,
        instance=instance.slug,
    )
    _token, secret = do_create_token(participant=demo_people().organiser, name="schemathesis")
    return secret


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_document(case, demo_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {demo_token}"}, checks=CHECKS)
