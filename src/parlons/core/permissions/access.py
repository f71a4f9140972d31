"""Who may enter the back-office of an organisation."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from parlons.core.permissions import roles_of

ALL_ROLES = ("admin", "moderator", "evaluator", "analyst", "mediator")


def organiser_required(*roles: str):
    """Require a logged-in member of ``request.organisation`` holding one of ``roles``.

    Non-members get the same 404 as a missing organisation.
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
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
