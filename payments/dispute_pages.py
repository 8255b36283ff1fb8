"""The dispute action on the hire's payment page (both sides): a reason, a confirmation step, then the service."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from . import disputes, selectors
from .models import Dispute, DisputeStatus, FundingStatus


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong?"),
        max_length=Dispute.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Say what is wrong: the reason is required."),
            "max_length": gettext_lazy("Keep the reason under 2,000 characters (it has %(show_value)s)."),
        },
        help_text=gettext_lazy("Both sides and the platform read it. Up to 2,000 characters."),
    )


def dispute_context(*, user, application, funding) -> dict:
    """What the payment page shows about disputes: the open one (or the latest), and whether this person may open
    one now (a party to a held, undisputed hire)."""
    latest = (
        Dispute.objects.filter(application=application)
        .select_related("opened_by")
        .order_by("-created_at", "-id")
        .first()
        if funding is not None
        else None
    )
    side = disputes.side_of(user, application)
    can_open = (
        side is not None
        and funding is not None
        and funding.status == FundingStatus.HELD
        and not (latest and latest.status == DisputeStatus.OPEN)
    )
    return {"dispute": latest, "can_dispute": can_open, "dispute_form": DisputeForm()}


def _page(request, data: dict, form: DisputeForm, status: int):
    return render(request, "payments/funding.html", {**data, "dispute_form": form}, status=status)


@login_required
@require_POST
def dispute_open(request, pk: int):
    data = selectors.funding_page_data(user=request.user, application_pk=pk)  # another tenant's hire: 404
    application = data["app"]
    if disputes.side_of(request.user, application) is None:
        raise Http404
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _page(request, data, form, 400)
    reason = form.cleaned_data["reason"]
    if request.POST.get("confirm") != "true":
        return render(
            request,
            "campaigns/confirm.html",
            {
                "confirmation": SimpleNamespace(
                    question=_("Open a dispute on this hire?"),
                    warnings=[
                        _("The money held stays put, even when the work is approved, until the platform decides."),
                        _("The other side and the platform are told, with your reason."),
                    ],
                    button=_("Open the dispute"),
                ),
                "action_url": request.path,
                "back": reverse("payments:funding", args=[pk]),
                "fields": [("reason", reason)],
            },
        )
    try:
        disputes.dispute_open(application=application, actor=request.user, reason=reason)
    except disputes.DisputeError as exc:  # no longer held, or the other side opened one meanwhile
        messages.error(request, str(exc))
        return _page(request, selectors.funding_page_data(user=request.user, application_pk=pk), form, exc.status_code)
    messages.success(request, _("Dispute opened. The money stays held until the platform resolves it."))
    return redirect("payments:funding", pk=pk)
