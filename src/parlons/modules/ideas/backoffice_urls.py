from django.urls import path

from parlons.contributions.urls import contribution_backoffice_path
from parlons.modules.ideas import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("settings/", backoffice.settings_page, name="settings"),
    path("categories/", backoffice.categories, name="categories"),
    path("export/<slug:key>/", backoffice.export, name="export"),
    contribution_backoffice_path("ideas"),
]
