from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("r/<str:code>", views.follow, name="follow"),
    path("brand/campaigns/<int:pk>/links/", views.campaign_links, name="links"),
    path("brand/campaigns/<int:pk>/conversions/", views.conversions_upload, name="conversions"),
    path("brand/campaigns/<int:pk>/report/", views.campaign_report, name="report"),
    path("brand/campaigns/<int:pk>/report.csv", views.campaign_report_csv, name="report_csv"),
    path("brand/campaigns/<int:pk>/report.pdf", views.campaign_report_pdf, name="report_pdf"),
    path("brand/webhook-secret/", views.webhook_secret_rotate, name="webhook_rotate"),
    path("hooks/conversions/<str:token>/", views.conversion_webhook, name="webhook"),
]
