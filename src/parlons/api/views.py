"""The person's API tokens: list, create (the secret shown once), revoke.  Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from parlons.api.forms import TokenForm
from parlons.api.models import ApiToken
from parlons.api.services import do_create_token, do_revoke_token


@never_cache
@login_required
def tokens(request):
    """The person's tokens and the form to create one; after creation, the secret once."""
    form = TokenForm(request.POST or None)
    secret = created = None
    if request.method == "POST" and form.is_valid():
        created, secret = do_create_token(participant=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(participant=request.user),
        "created": created,
        "secret": secret,
    }
    return render(request, "api/tokens.html", context)


@require_POST
@login_required
def revoke(request, token_id: int):
    """Revoke one of the person's own tokens (anyone else's is a 404)."""
    token = get_object_or_404(ApiToken, pk=token_id, participant=request.user)
    do_revoke_token(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
