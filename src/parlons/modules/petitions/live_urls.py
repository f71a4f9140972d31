"""The live count files' address, outside the language prefix (``/live/petitions/``).

Granian (``parlons serve``) or a CDN answers these addresses before Django; this is the
fallback for ``runserver`` and the test server.
"""

from django.urls import path

from parlons.modules.petitions import views

urlpatterns = [
    path("<int:pk>.json", views.live_count, name="live_count"),
]
