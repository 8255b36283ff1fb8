"""The payment page lets its forms end at Stripe (form-action), and only when Stripe is the provider."""

from __future__ import annotations

from django.urls import reverse


def _form_action(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("form-action")).strip()


def test_with_stripe_the_payment_page_may_post_to_checkout_and_connect(fake_stripe, settings, hire, member, client):
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    client.force_login(member.user)
    response = client.get(reverse("payments:funding", args=[hire.pk]))
    assert _form_action(response) == (
        "form-action 'self' https://checkout.stripe.com https://connect.stripe.com https://api.stripe.com"
    )


def test_offline_the_payment_page_keeps_the_sites_policy(offline, hire, member, client):
    client.force_login(member.user)
    response = client.get(reverse("payments:funding", args=[hire.pk]))
    assert _form_action(response) == "form-action 'self'"


def test_other_pages_keep_the_sites_policy(fake_stripe, member, client):
    client.force_login(member.user)
    assert _form_action(client.get("/dashboard/")) == "form-action 'self'"
