from django.urls import path

from parlons.modules.interpellations import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("proposals/", backoffice.proposals, name="proposals"),
    path("stances/", backoffice.stances, name="stances"),
    path("stances/<int:pk>/", backoffice.record_stances, name="record"),
    path("export/<slug:key>/", backoffice.export, name="export"),
]
