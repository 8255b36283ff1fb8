"""The pages whose forms lead to the payment provider allow it in ``form-action``.

The site's policy is ``form-action 'self'``, and browsers apply it to the redirects that follow a form's POST too:
"Fund this hire" (→ Stripe Checkout) and "Set up payouts" (→ Stripe's Connect onboarding) post to our views, which
answer with a redirect to Stripe. Without the provider's hosts in ``form-action`` Chromium blocks that redirect,
and the brand never reaches the payment page (found by tests/e2e/test_money_journey.py).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings

STRIPE_HOSTED = ["https://checkout.stripe.com", "https://connect.stripe.com"]


def provider_form_targets() -> list[str]:
    if settings.PAYMENTS_PROVIDER != "stripe":
        return []
    api = urlsplit(settings.STRIPE_API_BASE)
    origin = f"{api.scheme}://{api.netloc}"  # the local fake serves its pages there in tests
    return [*STRIPE_HOSTED, *([origin] if origin not in STRIPE_HOSTED else [])]


def allow_provider_redirects(view):
    """django-csp's per-response update: the view's page may post forms that end at the provider."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        targets = provider_form_targets()
        if targets:
            response._csp_update = {"form-action": targets}
        return response

    return wrapper
