from django.urls import path

from parlons.core.notifications import views

app_name = "mailbox"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:key>/", views.message, name="message"),
]
