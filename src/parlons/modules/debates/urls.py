from django.urls import path

from parlons.contributions.urls import contribution_path
from parlons.modules.debates import mapviews, views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("articles/new/", views.propose_article, name="propose_article"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("articles/<int:pk>/vote/", views.vote_article, name="vote_article"),
    path("articles/<int:pk>/amend/", views.amend, name="amend"),
    path("articles/<int:pk>/sources/", views.add_source, name="add_source"),
    path("amendments/<int:pk>/", views.amendment, name="amendment"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/position/", views.take_position, name="position"),
    path("argue/<str:target>/<int:pk>/", views.argue, name="argue"),
    path("statements/<int:pk>/vote/", mapviews.vote_statement, name="vote_statement"),
    path("statements/new/", mapviews.submit_statement, name="submit_statement"),
    path("map/", mapviews.opinion_map, name="map"),
    contribution_path("debates"),
]
