from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("creator/start/", views.onboarding, name="onboarding"),
]
