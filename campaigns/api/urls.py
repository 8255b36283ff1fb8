from rest_framework.routers import SimpleRouter

from .views import ApplicationViewSet, CampaignViewSet, ReviewViewSet

router = SimpleRouter()
router.register("campaigns", CampaignViewSet, basename="api-campaigns")
router.register("applications", ApplicationViewSet, basename="api-applications")
router.register("reviews", ReviewViewSet, basename="api-reviews")
urlpatterns = router.urls
