"""Who may enter the back-office of an organisation."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from parlons.core.permissions import roles_of


def has_two_factor(person) -> bool:
    """Whether the person has an authenticator app set up (allauth's TOTP)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()


ALL_ROLES = ("admin", "moderator", "evaluator", "analyst", "mediator")


def organiser_required(*roles: str):
    """Require a logged-in member of ``request.organisation`` holding one of ``roles``.

    Non-members get the same 404 as a missing organisation.  Administrators must have
    set up two-factor authentication first; they are sent to set it up.
    """
    wanted = set(roles or ALL_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = roles_of(person=request.user, organisation=request.organisation)
            if not held & wanted:
                raise Http404("Not an organiser here")
            request.roles = held
            if "admin" in held and not has_two_factor(request.user):
                messages.warning(
                    request,
                    _(
                        "Administrators protect their account with "
                        "two-factor authentication. Set it up to continue."
                    ),
                )
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.get_full_path()}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
