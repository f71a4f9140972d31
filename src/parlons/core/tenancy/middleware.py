"""Activate the organisation scope for requests under an organisation's URL."""

from __future__ import annotations

from django.http import Http404
from django.urls import Resolver404, resolve

from parlons.core import tenancy


class ScopeMiddleware:
    """Resolve the URL once; if it names ``organisation_slug``, scope the request to it.

    Unknown organisations answer 404 here, before any view runs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from parlons.core.organisations.models import Organisation

        request.organisation = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("organisation_slug")
        if slug is None:
            return self.get_response(request)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404("No such organisation")
        request.organisation = organisation
        with tenancy.scope(organisation=organisation):
            return self.get_response(request)
