from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [
    path("brand/new/", views.create, name="create"),
]
