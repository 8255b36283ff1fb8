from rest_framework.routers import SimpleRouter

from .views import CreatorViewSet, SocialAccountViewSet

router = SimpleRouter()
router.register("creators", CreatorViewSet, basename="creator")
router.register("social-accounts", SocialAccountViewSet, basename="social-account")
urlpatterns = router.urls
