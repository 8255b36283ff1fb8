from django.urls import path, re_path

from core.api_fields import ID_PATH_REGEX

from .views import CampaignReportView, ConversionCreateView

urlpatterns = [
    path("conversions/", ConversionCreateView.as_view(), name="api-conversions"),
    # An id of at most 18 digits, like every id in the API: a longer one must not reach the database.
    re_path(rf"^campaigns/(?P<pk>{ID_PATH_REGEX})/report/$", CampaignReportView.as_view(), name="api-campaign-report"),
]
