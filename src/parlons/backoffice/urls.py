from django.urls import path

from parlons.backoffice import privacy, verifications, views

app_name = "backoffice"

org = "<slug:organisation_slug>/"
proc = org + "processes/<slug:process_slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(org, views.dashboard, name="dashboard"),
    path(org + "processes/new/", views.process_create, name="process_create"),
    path(proc, views.process_detail, name="process"),
    path(proc + "edit/", views.process_edit, name="process_edit"),
    path(proc + "invitations/", views.invitations, name="invitations"),
    path(proc + "phases/new/", views.phase_edit, name="phase_create"),
    path(proc + "phases/<int:phase_id>/", views.phase_edit, name="phase_edit"),
    path(proc + "modules/new/", views.instance_edit, name="instance_create"),
    path(proc + "modules/<int:instance_id>/", views.instance_edit, name="instance_edit"),
    path(org + "members/", views.members, name="members"),
    path(org + "branding/", views.branding, name="branding"),
    path(org + "audit/", views.audit, name="audit"),
    path(org + "verifications/", verifications.verifications, name="verifications"),
    path(org + "verifications/areas/new/", verifications.area_edit, name="area_create"),
    path(org + "verifications/areas/<int:area_id>/", verifications.area_edit, name="area_edit"),
    path(org + "privacy/", privacy.privacy, name="privacy"),
]
