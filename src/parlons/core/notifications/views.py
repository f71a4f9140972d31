"""The local mailbox pages of the embedded mode (staff only)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.http import require_GET

from parlons.core.notifications.selectors import (
    access_mailbox,
    access_mailbox_message,
    get_mailbox_directory,
    get_mailbox_messages,
)


def _login_first(view):
    """Send anonymous visitors of an existing mailbox to the login page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and get_mailbox_directory() is not None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@_login_first
def index(request):
    directory = access_mailbox(person=request.user)
    emails = get_mailbox_messages(directory=directory)
    return render(request, "notifications/mailbox.html", {"emails": emails})


@require_GET
@_login_first
def message(request, key: str):
    email = access_mailbox_message(person=request.user, key=key)
    return render(request, "notifications/mailbox_message.html", {"email": email})
