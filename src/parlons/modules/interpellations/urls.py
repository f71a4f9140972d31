from django.urls import path

from parlons.modules.interpellations import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("write/", views.write, name="write"),
    path("sent/", views.sent, name="sent"),
    path("scoreboard/", views.scoreboard, name="scoreboard"),
    path("representatives/<int:pk>/", views.representative, name="representative"),
    path("stance/<str:token>/", views.stance_link, name="stance_link"),
    path("reply/<str:token>/", views.reply, name="reply"),
]
