"""Template context every page needs: the site, the organisation, language links."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from parlons.core.registry import registry


def site(request) -> dict:
    """Language switcher links to the same page in each language, and the organisation."""
    path = request.get_full_path()
    return {
        "site_name": "Parlons",
        "organisation": getattr(request, "organisation", None),
        "backoffice_menu": [
            {"label": d.organisation_menu, "url_name": f"bo_org_{d.key}:index"}
            for d in registry
            if d.organisation_urls
        ],
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
    }
