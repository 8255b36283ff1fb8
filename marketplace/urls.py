from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace import media, seo, views
from marketplace.api.auth import ObtainTokenView
from marketplace.signup import signup
from marketplace.staff_mfa import admin_login

admin.site.site_header = "Creator Marketplace admin"
admin.site.site_title = "Creator Marketplace admin"
# No second password form: /admin/login/ sends to the site's (throttled, MFA-aware) login.
admin.site.login = admin_login

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("creators.api.urls")),
    path("", include("campaigns.api.urls")),
    path("", include("payments.disputes_api")),
    path("", include("payments.api.urls")),
    path("", include("results.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz/", views.healthz, name="healthz"),
    path("sitemap.xml", seo.sitemap, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    # Pages without our <link rel="icon"> (the admin, files) make browsers ask for /favicon.ico: no 404 for that.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
    path("accounts/signup/", signup, name="account_signup"),
    # Connect-only OAuth (marketplace/oauth.py): allauth's own "connections" and social sign-up pages have
    # nothing to show; connected accounts live on the creator's accounts page.
    path("accounts/3rdparty/", RedirectView.as_view(pattern_name="creators:accounts")),
    path("accounts/3rdparty/signup/", RedirectView.as_view(pattern_name="account_login")),
    path("accounts/3rdparty/login/cancelled/", RedirectView.as_view(pattern_name="creators:accounts")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI (served from static/ by the sidecar, script split out for the CSP)
    # still writes inline styles; allow those on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include("creators.urls")),
    path("", include("stats.urls")),
    path("", include("brands.urls")),
    path("", include("campaigns.urls")),
    path("", include("payments.urls")),
    path("", include("results.urls")),
]

# Every user file, in every environment, through the one media view: it maps the path to its owner and checks
# the pages' permission predicates (marketplace/media.py). With MEDIA_URL on a separate host, that host routes
# here too (the path part of MEDIA_URL is the same).
urlpatterns += [path(f"{media.media_route_prefix()}<path:path>", media.serve, name="media")]

handler403 = "marketplace.views.error_403"
handler404 = "marketplace.views.error_404"
handler500 = "marketplace.views.error_500"
