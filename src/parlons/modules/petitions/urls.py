from django.urls import path

from parlons.modules.petitions import manage, views

urlpatterns = [
    path("", views.index, name="detail"),
    path("propose/", manage.propose, name="propose"),
    path("<int:pk>/", views.petition, name="petition"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/confirm/<str:token>/", views.confirm, name="confirm"),
    path("<int:pk>/count.json", views.count, name="count"),
    path("<int:pk>/widget/", views.widget, name="widget"),
    path("<int:pk>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/manage/", manage.manage, name="manage"),
    path("<int:pk>/signatures.csv", manage.signatures_csv, name="signatures_csv"),
    path("<int:pk>/areas.csv", manage.areas_csv, name="areas_csv"),
]
