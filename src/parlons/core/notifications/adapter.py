"""allauth's e-mails (confirmation, login code, password reset) go through the task queue."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation
from django.utils.html import strip_tags

from parlons.core.notifications.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, sending its e-mails with :func:`queue_email` after commit."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's e-mail in the language of the page the person is on, then queue it."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request)}
            | context,
        )
        alternatives = getattr(message, "alternatives", [])
        html = [content for content, mimetype in alternatives if mimetype == "text/html"]
        if message.content_subtype == "html":  # allauth found only an HTML template
            html, body = [message.body], strip_tags(message.body)
        else:
            body = message.body
        queue_email(
            to=message.to,
            subject=message.subject,
            body=body,
            html_body=html[0] if html else "",
            language=translation.get_language(),
            headers=message.extra_headers,
            from_email=message.from_email,
        )
