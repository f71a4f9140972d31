from django.urls import path

from parlons.modules.petitions import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("new/", backoffice.edit, name="new"),
    path("<int:pk>/edit/", backoffice.edit, name="edit"),
    path("<int:pk>/", backoffice.review, name="review"),
    path("<int:pk>/invalidate/", backoffice.invalidate, name="invalidate"),
    path("<int:pk>/signatures.csv", backoffice.signatures_csv, name="signatures_csv"),
]
