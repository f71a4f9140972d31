from django.urls import path

from parlons.modules.pages import backoffice

urlpatterns = [path("", backoffice.edit, name="index")]
