from django.urls import path

from . import dispute_pages, document_views, views

app_name = "payments"

urlpatterns = [
    path("payments/applications/<int:pk>/", views.funding, name="funding"),
    path("payments/applications/<int:pk>/checkout/", views.checkout, name="checkout"),
    path("payments/applications/<int:pk>/dispute/", dispute_pages.dispute_open, name="dispute_open"),
    path("payments/payout-account/", views.payout_account, name="payout_account"),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("payments/documents/<slug:number>/", document_views.document, name="document"),
    path("payments/documents/<slug:number>.pdf", document_views.document_pdf, name="document_pdf"),
]
