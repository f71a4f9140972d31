"""The landing page of a guest's confirmation link; the module answers the guest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from parlons.core.participants.guests import do_confirm_guest
from parlons.core.registry import registry
from parlons.core.tenancy import scope, scopes_disabled


@never_cache
def confirm(request, token: str):
    with scopes_disabled():
        try:
            guest, _first = do_confirm_guest(token=token)
        except ValidationError as error:
            return render(
                request, "portal/guest_invalid.html", {"message": error.messages[0]}, status=404
            )
        organisation = guest.organisation
    declaration = registry.get(guest.module) if guest.module in registry else None
    if declaration is None or declaration.guest_confirmed is None:
        return render(request, "portal/guest_confirmed.html", {"guest": guest})
    request.organisation = organisation
    with scope(organisation=organisation):
        return declaration.guest_confirmed(request=request, guest=guest)
