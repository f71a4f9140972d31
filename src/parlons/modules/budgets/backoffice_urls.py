from django.urls import path

from parlons.contributions.urls import contribution_backoffice_path
from parlons.modules.budgets import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("budgets/new/", backoffice.budget_form, name="budget_new"),
    path("budgets/<slug:budget_slug>/", backoffice.budget_form, name="budget_edit"),
    path("budgets/<slug:budget_slug>/paper/", backoffice.paper, name="paper"),
    path("budgets/<slug:budget_slug>/close/", backoffice.close, name="close"),
    path("projects/<int:pk>/evaluate/", backoffice.evaluate, name="evaluate"),
    path("projects/<int:pk>/follow-up/", backoffice.followup, name="followup"),
    path("import/", backoffice.import_pb, name="import"),
    path("export/<slug:key>/", backoffice.export, name="export"),
    contribution_backoffice_path("budgets"),
]
