from django.urls import path

from . import views as stats_views

app_name = "stats"
urlpatterns = [
    path("creator/stats/", stats_views.refresh_status, name="refresh_status"),
    path("creator/stats/refresh/", stats_views.refresh_now, name="refresh_now"),
]
