"""Staff: every funding and movement, read-only; offline, an admin marks a funding or a payout paid (through the
same services the webhook uses, so the ledger and the audit log are the same)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Entry, Funding, FundingStatus, LedgerTransaction, PayoutAccount, WebhookEvent


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


from . import document_admin  # noqa: E402, F401 (receipts and statements, registered there)
