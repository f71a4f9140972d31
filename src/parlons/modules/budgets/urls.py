from django.urls import path

from parlons.contributions.urls import contribution_path
from parlons.modules.budgets import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("new/", views.new_project, name="new"),
    path("follow-up/", views.followup, name="followup"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("budget/<slug:budget_slug>/", views.budget, name="budget"),
    path("budget/<slug:budget_slug>/results/", views.results, name="results"),
    path("budget/<slug:budget_slug>/ballots.pb", views.pb_file, name="pb"),
    contribution_path("budgets"),
]
