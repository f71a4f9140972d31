"""The person's API tokens, under ``/<lang>/account/tokens/``."""

from django.urls import path

from parlons.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:token_id>/revoke/", views.revoke, name="revoke"),
]
