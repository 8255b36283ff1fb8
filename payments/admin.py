"""Staff: every funding and movement, read-only; offline, an admin marks a funding or a payout paid (through the
same services the webhook uses, so the ledger and the audit log are the same)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import disputes, ledger, services
from .models import (
    Dispute,
    DisputeOutcome,
    DisputeStatus,
    Entry,
    Funding,
    FundingStatus,
    LedgerTransaction,
    PayoutAccount,
    WebhookEvent,
)
from .providers import ProviderError, ProviderRefused
from .settlement import split_amounts


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Funding)
class FundingAdmin(ReadOnly):
    list_display = ["application", "status", "fee_display", "platform_fee_display", "provider", "updated_at"]
    list_filter = ["status", "provider"]
    actions = ["mark_paid", "mark_payout_paid"]

    @admin.action(description=_("Mark paid by the brand (offline)"))
    def mark_paid(self, request, queryset):
        done = 0
        for funding in queryset.filter(status=FundingStatus.REQUESTED, provider="offline"):
            done += services.funding_mark_held(
                funding=funding,
                amount=funding.total,
                currency=funding.currency,
                reference=f"offline by {request.user.pk}",
                actor=request.user,
            )
        self.message_user(request, _("%(n)s funding(s) marked paid.") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Mark paid out to the creator (offline)"))
    def mark_payout_paid(self, request, queryset):
        done = 0
        for funding in queryset.filter(status=FundingStatus.RELEASED, provider="offline"):
            done += services.funding_payout(
                funding_id=funding.pk, actor=request.user, reference=f"offline by {request.user.pk}"
            )
        self.message_user(request, _("%(n)s payout(s) marked paid.") % {"n": done}, messages.SUCCESS)


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount", "currency"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnly):
    list_display = ["id", "kind", "application", "reference", "created_at"]
    list_filter = ["kind"]
    inlines = [EntryInline]


@admin.register(PayoutAccount)
class PayoutAccountAdmin(ReadOnly):
    list_display = ["creator", "provider", "external_id", "payouts_enabled"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnly):
    list_display = ["event_id", "type", "received_at", "processed_at"]


class ResolveDisputeForm(forms.Form):
    outcome = forms.ChoiceField(choices=DisputeOutcome.choices, widget=forms.RadioSelect)
    to_creator = forms.DecimalField(
        label=_("For a split: amount to the creator"),
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text=_(
            "In the funding's currency, between 0.00 and the creator's fee. The platform keeps its fee in "
            "proportion; the brand is refunded the rest."
        ),
    )
    note = forms.CharField(
        label=_("Decision (sent to both sides)"), required=False, max_length=Dispute.REASON_MAX, widget=forms.Textarea
    )

    def __init__(self, *args, funding: Funding, **kwargs):
        super().__init__(*args, **kwargs)
        self.funding = funding

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        amount = data.get("to_creator")
        if outcome == DisputeOutcome.SPLIT:
            if amount is None:
                self.add_error("to_creator", _("A split needs the amount for the creator."))
                return data
            minor = ledger.to_minor(amount)
            if minor > self.funding.fee:
                self.add_error(
                    "to_creator",
                    _("At most the creator's fee, %(fee)s.")
                    % {"fee": ledger.format_minor(self.funding.fee, self.funding.currency)},
                )
                return data
            data["to_creator_minor"] = minor
        return data


@admin.register(Dispute)
class DisputeAdmin(ReadOnly):
    list_display = ["id", "application", "side", "status", "outcome", "created_at", "resolved_at"]
    list_filter = ["status", "side", "outcome"]
    readonly_fields = [
        "application",
        "funding_amounts",
        "side",
        "opened_by",
        "reason",
        "status",
        "outcome",
        "to_creator",
        "to_platform",
        "to_brand",
        "resolution_note",
        "resolved_by",
        "created_at",
        "resolved_at",
        "resolve_link",
    ]
    fields = readonly_fields

    @admin.display(description=_("Held"))
    def funding_amounts(self, obj):
        f = obj.funding
        return _("%(total)s (creator's fee %(fee)s + platform fee %(pf)s), %(status)s") % {
            "total": f.total_display,
            "fee": f.fee_display,
            "pf": f.platform_fee_display,
            "status": f.get_status_display(),
        }

    @admin.display(description=_("Resolve"))
    def resolve_link(self, obj):
        if obj.status != DisputeStatus.OPEN:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:payments_dispute_resolve", args=[obj.pk]),
            _("Resolve…"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/resolve/",
                self.admin_site.admin_view(self.resolve_view),
                name="payments_dispute_resolve",
            ),
            *super().get_urls(),
        ]

    def resolve_view(self, request, pk: int):
        """Release all, refund all or split: one form, one balanced ledger transaction (payments/disputes.py)."""
        if not request.user.is_superuser and not request.user.has_perm("payments.change_dispute"):
            return redirect("admin:payments_dispute_change", pk)
        dispute = get_object_or_404(Dispute.objects.select_related("funding", "application__campaign"), pk=pk)
        form = ResolveDisputeForm(request.POST or None, funding=dispute.funding)
        if request.method == "POST" and dispute.status == DisputeStatus.OPEN and form.is_valid():
            outcome = form.cleaned_data["outcome"]
            try:
                done = disputes.dispute_resolve(
                    dispute=dispute,
                    outcome=outcome,
                    actor=request.user,
                    to_creator=form.cleaned_data.get("to_creator_minor"),
                    note=form.cleaned_data["note"],
                )
            except disputes.DisputeError as exc:
                form.add_error(None, str(exc))
            except ProviderRefused as exc:  # nothing moved (the transaction rolled back)
                form.add_error(None, _("The payment provider refused the refund: %(e)s") % {"e": exc})
            except ProviderError:
                form.add_error(None, _("The payment provider is not answering; nothing moved. Try again in a minute."))
            else:
                if done:
                    self.message_user(request, _("Dispute #%(n)s resolved.") % {"n": pk}, messages.SUCCESS)
                else:
                    self.message_user(request, _("Dispute #%(n)s was already resolved.") % {"n": pk}, messages.WARNING)
                return redirect("admin:payments_dispute_change", pk)
        funding = dispute.funding
        examples = [
            (label, *[ledger.format_minor(m, funding.currency) for m in split_amounts(funding, amount)])
            for label, amount in ((_("Release all"), funding.fee), (_("Refund all"), 0))
        ]
        return TemplateResponse(
            request,
            "admin/payments/dispute_resolve.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Resolve dispute #%(n)s") % {"n": pk},
                "dispute": dispute,
                "funding": funding,
                "form": form,
                "examples": examples,
                "opts": self.model._meta,
            },
        )


from . import document_admin  # noqa: E402, F401 (receipts and statements, registered there)
