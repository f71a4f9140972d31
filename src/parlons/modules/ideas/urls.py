from django.urls import path

from parlons.contributions.urls import contribution_path
from parlons.modules.ideas import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("new/", views.new, name="new"),
    path("similar/", views.similar, name="similar"),
    path("map/", views.ideas_map, name="map"),
    path("<int:pk>/", views.idea, name="idea"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    contribution_path("ideas"),
]
