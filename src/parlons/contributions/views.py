"""Public contribution actions: thin views that parse, call a service and go back.

Mounted by each module under its instance's address (:func:`.urls.contribution_path`),
so that the organisation scope, the process and the instance come from the URL.
Every action is a POST answered by a redirect to the object's page, with a message;
a refused or invalid comment comes back with its text (kept in the session once).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parlons.contributions import services
from parlons.contributions.models import Comment, CommentVersion
from parlons.contributions.panels import DRAFT_KEY
from parlons.contributions.selectors import target_object
from parlons.contributions.targets import COMMENT_LABEL, targets
from parlons.core.permissions import Refused
from parlons.core.processes.selectors import access_instance


def errors_of(error: Exception) -> list[str]:
    """The messages of a refusal or a validation error, in the person's language."""
    if isinstance(error, Refused):
        return [str(error.decision.message)]
    return [str(message) for message in error.messages]


def _instance(request, kwargs: dict) -> Any:
    return access_instance(
        person=request.user,
        process_slug=kwargs["process_slug"],
        instance_slug=kwargs["instance_slug"],
        module=kwargs["module"],
    )


def _object(instance: Any, label: str, pk: int) -> Any:
    """The object ``label``/``pk`` inside ``instance``, or 404."""
    if label == COMMENT_LABEL:
        obj = Comment.objects.filter(pk=pk, instance=instance).first()
    elif label in targets and targets.get(label).module == instance.module:
        target = targets.get(label)
        obj = (
            target.model_class().objects.filter(pk=pk, **{target.instance_field: instance}).first()
        )
    else:
        obj = None
    if obj is None:
        raise Http404("No such object")
    setattr(
        obj, "instance" if label == COMMENT_LABEL else targets.get(label).instance_field, instance
    )
    return obj


def _back(obj: Any, anchor: str = "") -> HttpResponseRedirect:
    if isinstance(obj, Comment):
        parent = target_object(obj)
        return HttpResponseRedirect(targets.of(parent).url(parent) + f"#comment-{obj.pk}")
    return HttpResponseRedirect(targets.of(obj).url(obj) + anchor)


def _login(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.META.get("HTTP_REFERER") or request.get_full_path())
    return None


def _fail(request, error: Exception) -> None:
    for message in errors_of(error):
        messages.error(request, message)


@require_POST
def comment(request, target: str, pk: int, **kwargs):
    """Write a comment or a reply (``parent`` in the form)."""
    if response := _login(request):
        return response
    instance = _instance(request, kwargs)
    obj = _object(instance, target, pk)
    body, alignment = request.POST.get("body", ""), request.POST.get("alignment")
    parent = request.POST.get("parent") or ""
    try:
        created = services.do_comment(
            person=request.user, obj=obj, body=body, alignment=alignment, parent_id=parent or None
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
        request.session[DRAFT_KEY] = {
            "key": f"{target}:{pk}:{parent}",
            "parent": parent,
            "body": body[:6000],
            "alignment": alignment or "",
            "errors": errors_of(error),
        }
        return _back(obj, "#comment-form" if not parent else f"#comment-{parent}")
    if created.hidden_at is not None:
        messages.warning(
            request, _("Your comment will be visible once a moderator has looked at it.")
        )
    else:
        messages.success(request, _("Your comment was published."))
    return HttpResponseRedirect(_back(obj).url.split("#")[0] + f"#comment-{created.pk}")


def _own_comment(request, pk: int, kwargs: dict) -> Comment:
    instance = _instance(request, kwargs)
    found = _object(instance, COMMENT_LABEL, pk)
    return found


@require_POST
def comment_edit(request, pk: int, **kwargs):
    if response := _login(request):
        return response
    found = _own_comment(request, pk, kwargs)
    try:
        services.do_edit_comment(
            person=request.user,
            comment=found,
            body=request.POST.get("body", ""),
            alignment=request.POST.get("alignment"),
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your comment was changed."))
    return _back(found)


@require_POST
def comment_delete(request, pk: int, **kwargs):
    if response := _login(request):
        return response
    found = _own_comment(request, pk, kwargs)
    try:
        services.do_delete_comment(person=request.user, comment=found)
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your comment was deleted."))
    return _back(found)


@require_GET
def comment_history(request, pk: int, **kwargs):
    """The previous texts of an edited comment (hidden and deleted ones show nothing)."""
    found = _own_comment(request, pk, kwargs)
    if not found.visible:
        raise Http404("No history to show")
    parent = target_object(found)
    return render(
        request,
        "contributions/history.html",
        {
            "comment": found,
            "versions": CommentVersion.objects.filter(comment=found),
            "parent_title": targets.of(parent).title(parent),
            "parent_url": targets.of(parent).url(parent) + f"#comment-{found.pk}",
            "instance": found.instance,
        },
    )


@require_POST
def support(request, target: str, pk: int, **kwargs):
    """Support the object (``value=1``, the default) or react against it (``value=-1``)."""
    if response := _login(request):
        return response
    obj = _object(_instance(request, kwargs), target, pk)
    value = -1 if request.POST.get("value") == "-1" else 1
    try:
        services.do_support(person=request.user, obj=obj, value=value)
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            _("Your support was recorded.") if value == 1 else _("Your reaction was recorded."),
        )
    return _back(obj, "#support")


@require_POST
def withdraw(request, target: str, pk: int, **kwargs):
    if response := _login(request):
        return response
    obj = _object(_instance(request, kwargs), target, pk)
    try:
        services.do_withdraw_support(person=request.user, obj=obj)
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Your support was withdrawn."))
    return _back(obj, "#support")


@require_POST
def report(request, target: str, pk: int, **kwargs):
    if response := _login(request):
        return response
    obj = _object(_instance(request, kwargs), target, pk)
    try:
        services.do_report(
            person=request.user,
            obj=obj,
            reason=request.POST.get("reason", ""),
            details=request.POST.get("details", ""),
        )
    except (Refused, ValidationError) as error:
        _fail(request, error)
    else:
        messages.success(request, _("Thank you: the moderators will look at your report."))
    return _back(obj, "#report")
