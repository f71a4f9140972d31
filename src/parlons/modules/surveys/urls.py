from django.urls import path

from parlons.modules.surveys import views

urlpatterns = [
    path("", views.start, name="detail"),
    path("page/<slug:page_key>/", views.page, name="page"),
    path("done/", views.done, name="done"),
    path("results/", views.results, name="results"),
    path("resume/<str:token>/", views.resume, name="resume"),
]
