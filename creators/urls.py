from django.urls import path

from . import views

app_name = "creators"
urlpatterns = [
    path("creator/start/", views.onboarding, name="onboarding"),
    path("creator/profile/", views.edit, name="edit"),
    path("creator/profile/accounts/", views.accounts, name="accounts"),
    path("creator/profile/accounts/<int:pk>/delete/", views.account_delete, name="account_delete"),
    path("creator/profile/accounts/<int:pk>/audience/", views.account_audience, name="account_audience"),
    path("creator/profile/rates/", views.rates, name="rates"),
    path("creator/profile/rates/<int:pk>/", views.rates, name="rate_edit"),
    path("creator/profile/rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
    path("creator/profile/portfolio/", views.portfolio, name="portfolio"),
    path("creator/profile/portfolio/<int:pk>/delete/", views.portfolio_item_delete, name="portfolio_delete"),
    path("creators/", views.directory, name="directory"),
    path("c/<slug:handle>/", views.media_kit, name="media_kit"),
    path("c/<slug:handle>/media-kit.pdf", views.media_kit_pdf, name="media_kit_pdf"),
]
