from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from creators.models import Creator

from . import selectors, services, webhooks
from .csp import allow_provider_redirects
from .providers import ProviderError, ProviderRefused


@login_required
@allow_provider_redirects  # "Fund this hire" and "Set up payouts" end at Stripe
def funding(request, pk: int):
    data = selectors.funding_page_data(user=request.user, application_pk=pk)
    return render(request, "payments/funding.html", data)


@login_required
@require_POST
def checkout(request, pk: int):
    data = selectors.funding_page_data(user=request.user, application_pk=pk)
    if not data["is_brand"] or data["funding"] is None:
        raise Http404
    page = request.build_absolute_uri(reverse("payments:funding", args=[pk]))
    try:
        url = services.funding_checkout(
            funding=data["funding"], actor=request.user, success_url=page + "?paid=1", cancel_url=page
        )
    except (services.PaymentError, ProviderRefused) as exc:
        messages.error(request, str(exc))
        return redirect("payments:funding", pk=pk)
    except ProviderError:
        messages.error(request, _("The payment provider is not answering. Try again in a minute."))
        return redirect("payments:funding", pk=pk)
    if url is None:
        messages.info(request, _("Pay by bank transfer with the invoice we email you; we mark it paid on arrival."))
        return redirect("payments:funding", pk=pk)
    return redirect(url)


@login_required
@require_POST
def payout_account(request):
    creator = Creator.objects.filter(user=request.user).first()
    if creator is None:
        raise Http404
    back = request.build_absolute_uri(reverse("dashboard"))
    try:
        url = services.payout_account_start(creator=creator, refresh_url=back, return_url=back)
    except (ProviderError, ProviderRefused):
        messages.error(request, _("The payment provider is not answering. Try again in a minute."))
        return redirect("dashboard")
    if url is None:
        messages.info(request, _("Payouts are settled by bank transfer; we will contact you."))
        return redirect("dashboard")
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        webhooks.receive_stripe(request.body, request.headers.get("Stripe-Signature"))
    except ValueError:
        return HttpResponseBadRequest("invalid event")
    return HttpResponse("ok")
