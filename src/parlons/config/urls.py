"""URL configuration: the API, the superusers' admin, and the language-prefixed site.

Module URLs come from the registry: each module's public pages live under
``<organisation>/<process>/<module key>/<instance>/`` in the module's own namespace.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from parlons.api.urls import api
from parlons.core.registry import registry
from parlons.portal import guest_views
from parlons.portal.media import serve_media


def module_patterns(prefix: str, attribute: str, namespace_prefix: str = "") -> list:
    """One include per module, namespaced by its key (``bo_<key>`` in the back-office)."""
    patterns = []
    for declaration in registry:
        urlconf = getattr(declaration, attribute)
        if urlconf:
            namespace = namespace_prefix + declaration.key
            patterns.append(
                path(
                    f"{prefix}{declaration.key}/<slug:instance_slug>/",
                    include((urlconf, namespace), namespace=namespace),
                )
            )
    return patterns


def organisation_patterns() -> list:
    """Modules' organisation-wide back-office pages, namespaced ``bo_org_<key>``."""
    return [
        path(
            f"backoffice/<slug:organisation_slug>/{d.key}/",
            include((d.organisation_urls, f"bo_org_{d.key}"), namespace=f"bo_org_{d.key}"),
        )
        for d in registry
        if d.organisation_urls
    ]


urlpatterns = [
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("media/<path:path>", serve_media, name="media"),  # never as a page: see portal/media.py
    # files the batch jobs write, served by granian in front (see parlons serve)
    path("live/petitions/", include("parlons.modules.petitions.live_urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("account/tokens/", include("parlons.api.account_urls")),
    path("me/", include("parlons.portal.me_urls")),
    *module_patterns(
        "backoffice/<slug:organisation_slug>/processes/<slug:process_slug>/",
        "backoffice_urls",
        "bo_",
    ),
    *organisation_patterns(),
    path("backoffice/", include("parlons.backoffice.urls")),
    *module_patterns("<slug:organisation_slug>/<slug:process_slug>/", "urls"),
    path("mailbox/", include("parlons.core.notifications.urls")),
    path("guest/<str:token>/", guest_views.confirm, name="guest_confirm"),
    path("", include("parlons.portal.urls")),
)
