from rest_framework.routers import SimpleRouter

from .views import ApplicationViewSet, CampaignViewSet

router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="api-campaigns")
router.register("applications", ApplicationViewSet, basename="api-applications")
urlpatterns = router.urls
