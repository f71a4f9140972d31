from django.urls import path

from parlons.contributions.urls import contribution_backoffice_path
from parlons.modules.debates import backoffice

urlpatterns = [path("", backoffice.index, name="index"), contribution_backoffice_path("debates")]
