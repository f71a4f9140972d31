from django.urls import path

from parlons.modules.pages import views

urlpatterns = [path("", views.detail, name="detail")]
