"""Addresses of the contribution views, mounted by each module under its instances.

In a module's ``urls.py``::

    urlpatterns = [..., contribution_path("ideas")]

and in its ``backoffice_urls.py``::

    urlpatterns = [..., contribution_backoffice_path("ideas")]

The views are then reversed as ``<module>:contributions:<name>`` and
``bo_<module>:contributions:<name>`` (see :func:`.panels.action_url`).
"""

from __future__ import annotations

from django.urls import include, path

from parlons.contributions import backoffice, views

public = [
    path("<str:target>/<int:pk>/comment/", views.comment, name="comment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
    path("<str:target>/<int:pk>/support/", views.support, name="support"),
    path("<str:target>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:target>/<int:pk>/report/", views.report, name="report"),
]

staff = [
    path("moderation/", backoffice.moderation, name="moderation"),
    path("moderation/blocks/", backoffice.blocks, name="blocks"),
    path("moderation/block/<int:participant_id>/", backoffice.block, name="block"),
    path("moderation/words/", backoffice.words, name="words"),
    path("answer/<str:target>/<int:pk>/", backoffice.answer, name="answer"),
]


def contribution_path(module: str):
    """The public contribution views for ``module``'s instances (a ``path`` to include)."""
    return path("contributions/", include((public, "contributions")), {"module": module})


def contribution_backoffice_path(module: str):
    """The moderation and answer pages for ``module``'s instances in the back-office."""
    return path("contributions/", include((staff, "contributions")), {"module": module})
