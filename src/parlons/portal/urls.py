from django.urls import path

from parlons.portal import account_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:organisation_slug>/", views.organisation, name="organisation"),
    path("<slug:organisation_slug>/theme.css", views.theme, name="theme"),
    path("<slug:organisation_slug>/verify/", account_views.verify, name="verify"),
    path("<slug:organisation_slug>/<slug:process_slug>/", views.process, name="process"),
    path(
        "<slug:organisation_slug>/<slug:process_slug>/phases/<int:phase_id>/",
        views.phase,
        name="phase",
    ),
]
