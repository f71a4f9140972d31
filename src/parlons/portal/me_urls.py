from django.urls import path

from parlons.portal import account_views

app_name = "me"

urlpatterns = [
    path("", account_views.profile, name="profile"),
    path("demographics/", account_views.demographics, name="demographics"),
    path("data/", account_views.data, name="data"),
    path("delete/", account_views.delete, name="delete"),
]
