from django.urls import re_path
from rest_framework.routers import SimpleRouter

from core.api_fields import ID_PATH_REGEX

from .views import ApplicationFundingView, EntryViewSet

router = SimpleRouter()
router.register("payments/entries", EntryViewSet, basename="api-payment-entries")
urlpatterns = [
    *router.urls,
    re_path(rf"^applications/(?P<id>{ID_PATH_REGEX})/funding/$", ApplicationFundingView.as_view(), name="api-funding"),
]
