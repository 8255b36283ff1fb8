from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [
    path("brand/new/", views.create, name="create"),
    path("brand/profile/", views.edit, name="edit"),
    path("brand/team/", views.team, name="team"),
    path("brand/team/<int:pk>/remove/", views.remove_member, name="remove_member"),
    path("brand/join/<str:token>/", views.join, name="join"),
]
