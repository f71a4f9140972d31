"""Public pages of petitions: list, petition page, signing, confirmation, count, widget."""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from parlons.core.permissions import decide
from parlons.core.processes.selectors import access_instance
from parlons.modules.petitions import memo, public_counts, selectors
from parlons.modules.petitions.forms import SignForm
from parlons.modules.petitions.mailing import absolute, petition_kwargs
from parlons.modules.petitions.services import may_manage
from parlons.modules.petitions.settings import setting
from parlons.modules.petitions.signing import (
    SignerInput,
    do_confirm_signature,
    do_sign_petition,
    do_unsubscribe,
    petition_is_open,
)

PAGE_CACHE = "public, max-age=10, stale-while-revalidate=60"
COUNT_CACHE = "public, max-age=5, stale-while-revalidate=30"


def _cacheable(request, response: HttpResponse, value: str = PAGE_CACHE) -> HttpResponse:
    """Shared caches may keep pages of visitors without a session (the same for all)."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        response["Cache-Control"] = value
        patch_vary_headers(response, ("Cookie",))
    return response


def index(request, organisation_slug, process_slug, instance_slug):
    instance = access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="petitions",
    )
    petitions = list(selectors.petitions_visible_to(person=request.user, instance=instance))
    propose = setting(instance, "participants_propose") and decide(
        person=request.user, capability="submit", instance=instance
    )
    response = render(
        request,
        "petitions/list.html",
        {
            "instance": instance,
            "process": instance.process,
            "petitions": petitions,
            "propose": propose,
        },
    )
    return _cacheable(request, response)


def _context(request, petition, form=None):
    instance = petition.instance
    page = absolute(reverse("petitions:petition", kwargs=petition_kwargs(petition)))
    return {
        "instance": instance,
        "process": instance.process,
        "petition": petition,
        "progress": selectors.get_progress(petition=petition),
        "updates": selectors.get_updates(petition=petition),
        "areas": selectors.get_counts_by_area(petition=petition),
        "open": petition_is_open(petition),
        "may_sign": decide(person=request.user, capability="sign", instance=instance),
        "manage": may_manage(person=request.user, petition=petition),
        "form": form or SignForm(),
        "page_url": page,
        "image_url": absolute(petition.image.url) if petition.image else "",
        "widget_url": absolute(reverse("petitions:widget", kwargs=petition_kwargs(petition))),
        "live_count_url": public_counts.public_count_url(petition),
    }


def petition(request, organisation_slug, process_slug, instance_slug, pk):
    found = selectors.access_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    response = render(request, "petitions/petition.html", _context(request, found))
    return _cacheable(request, response)


def _signer(request, form: SignForm) -> SignerInput:
    data = form.cleaned_data
    return SignerInput(
        name=data["name"],
        email=data["email"],
        postcode=data["postcode"],
        consent=data["consent"],
        comment=data["comment"],
        language=get_language() or settings.LANGUAGE_CODE,
        ip=_client_ip(request),
        honeypot=data["website"],
    )


def _client_ip(request) -> str | None:
    """The signer's address by the accounts' rule (``ALLAUTH_TRUSTED_PROXY_COUNT`` or
    ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER`` behind a proxy; else the peer's address)."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def _person(request):
    """The account holder, if the request carries their CSRF token; else a guest.

    The sign form is on cacheable pages, so it has no CSRF token for guests: a forged
    request can then only start a guest signature, which its e-mail must confirm.
    """
    if not request.user.is_authenticated:
        return request.user
    check = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    return request.user if check is None else AnonymousUser()


@csrf_exempt
def sign(request, organisation_slug, process_slug, instance_slug, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = selectors.access_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    embed = request.GET.get("embed") == "1"
    form = SignForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            do_sign_petition(petition=found, person=_person(request), signer=_signer(request, form))
        except ValidationError as error:
            _add_errors(form, error)
            status = 429 if getattr(error, "code", None) in ("rate_ip", "rate_petition") else 400
        else:
            context = {
                "instance": found.instance,
                "process": found.instance.process,
                "petition": found,
            }
            template = "petitions/widget_thanks.html" if embed else "petitions/thanks.html"
            response = _thanks(request, template, context)
            return _embeddable(response, found) if embed else response
    context = _context(request, found, form)
    response = render(
        request,
        "petitions/widget.html" if embed else "petitions/petition.html",
        context,
        status=status,
    )
    if embed:
        _embeddable(response, found)
    return response


def _thanks(request, template: str, context: dict) -> HttpResponse:
    """The thank-you page; for a guest without cookies it is the same page for all.

    Never for a page whose address holds a secret (the confirmation link): the language
    links of the kept page would hand the first visitor's address to the others.
    """
    if request.user.is_authenticated or request.COOKIES:
        return render(request, template, context)
    return HttpResponse(kept_thanks(template, context["petition"], request.path, lambda: request))


def kept_thanks(template: str, petition, path: str, make_request) -> bytes:
    """The guests' thank-you page at ``path``, rendered once (``make_request()``) and kept.

    The lean route (:mod:`.lean`) serves the same kept bytes under the same key.
    """
    context = {"instance": petition.instance, "process": petition.instance.process}
    key = (template, petition.pk, get_language(), path)
    return memo.guest_pages.get(
        key, lambda: render(make_request(), template, {**context, "petition": petition}).content
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for one in errors:
                form.add_error(field if field in form.fields else None, one)
    else:
        form.add_error(None, error)


def confirm(request, organisation_slug, process_slug, instance_slug, pk, token):
    found = selectors.access_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    context = {"instance": found.instance, "process": found.instance.process, "petition": found}
    try:
        do_confirm_signature(petition=found, token=token)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, "petitions/confirmed.html", context, status=400)
    if request.user.is_authenticated or request.COOKIES:
        return render(request, "petitions/confirmed.html", context)
    return HttpResponse(kept_confirmed(found, lambda: request))


def kept_confirmed(petition, make_request) -> bytes:
    """The guests' 'confirmed' page, rendered once (``make_request()``) and kept.

    The same page for every guest: rendered as if asked at the petition's address, so
    that no language link of the kept page holds this signer's secret link.  The lean
    route (:mod:`.lean`) serves the same kept bytes under the same key.
    """

    def make() -> bytes:
        page = reverse("petitions:petition", kwargs=petition_kwargs(petition))
        context = {"instance": petition.instance, "process": petition.instance.process}
        return _render_at(make_request(), page, {**context, "petition": petition})

    return memo.guest_pages.get(("petitions/confirmed.html", petition.pk, get_language()), make)


def _render_at(request, path: str, context: dict) -> bytes:
    """The confirmation page rendered for ``request`` as if it had asked ``path``."""
    neutral = copy.copy(request)
    neutral.path = neutral.path_info = path
    neutral.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": ""}
    return render(neutral, "petitions/confirmed.html", context).content


def count_body(*, person, process_slug: str, instance_slug: str, pk: int) -> tuple[bytes, str]:
    """The count JSON of the petition at this address and its ETag (a fresh read)."""
    found = selectors.access_petition(
        person=person, process_slug=process_slug, instance_slug=instance_slug, pk=pk, fresh=True
    )
    body = public_counts.count_json(found)
    return body, public_counts.etag_of(body)


def count(request, organisation_slug, process_slug, instance_slug, pk):
    """The count as JSON, nearly free for guests: the same bytes and ETag for all, kept
    a second in each process; a client that sends the ETag back gets 304 and no body."""

    def make() -> tuple[bytes, str]:
        return count_body(
            person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
        )

    guest = not request.COOKIES or not request.user.is_authenticated
    body, etag = memo.counts.get(request.path, make) if guest else make()
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    if not guest:
        patch_cache_control(response, private=True, no_cache=True)
        return response
    response["Cache-Control"] = COUNT_CACHE
    response["Vary"] = "Cookie"
    return response


@require_safe
def live_count(request, pk):
    """The live count file (see :mod:`.public_counts`) when granian or a CDN does not
    serve ``/live/`` itself (``runserver``, tests); 404 while there is none."""
    try:
        body = public_counts.count_file(pk).read_bytes()
    except FileNotFoundError:
        raise Http404("No such count") from None
    etag = public_counts.etag_of(body)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = COUNT_CACHE
    return response


def _embeddable(response: HttpResponse, petition) -> HttpResponse:
    """This page only may be framed: by the instance's partner sites, or by any site."""
    origins = setting(petition.instance, "embed_origins").split()
    response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": origins or ["*"]}
    response.xframe_options_exempt = True
    return response


@xframe_options_exempt
def widget(request, organisation_slug, process_slug, instance_slug, pk):
    found = selectors.access_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    response = render(request, "petitions/widget.html", _context(request, found))
    return _cacheable(request, _embeddable(response, found))


@csrf_exempt
def unsubscribe(request, organisation_slug, process_slug, instance_slug, pk, token):
    """GET asks; POST (the button, or a mail client's one-click) unsubscribes."""
    found = selectors.access_petition(
        person=request.user, process_slug=process_slug, instance_slug=instance_slug, pk=pk
    )
    context = {"instance": found.instance, "process": found.instance.process, "petition": found}
    if request.method == "POST":
        try:
            do_unsubscribe(petition=found, token=token)
        except ValidationError as error:
            context["error"] = error.messages[0]
            return render(request, "petitions/unsubscribe.html", context, status=400)
        context["done"] = True
    return render(request, "petitions/unsubscribe.html", context)
