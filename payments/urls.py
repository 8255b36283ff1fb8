from django.urls import path

from . import document_views, views

app_name = "payments"

urlpatterns = [
    path("payments/applications/<int:pk>/", views.funding, name="funding"),
    path("payments/applications/<int:pk>/checkout/", views.checkout, name="checkout"),
    path("payments/payout-account/", views.payout_account, name="payout_account"),
    path("payments/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("payments/documents/<slug:number>/", document_views.document, name="document"),
    path("payments/documents/<slug:number>.pdf", document_views.document_pdf, name="document_pdf"),
]
