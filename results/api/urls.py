from django.urls import path

from .views import CampaignReportView, ConversionCreateView

urlpatterns = [
    path("conversions/", ConversionCreateView.as_view(), name="api-conversions"),
    path("campaigns/<int:pk>/report/", CampaignReportView.as_view(), name="api-campaign-report"),
]
