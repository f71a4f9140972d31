from django.urls import path

from parlons.modules.interpellations import directories_backoffice as views

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:directory_slug>/", views.directory, name="directory"),
]
