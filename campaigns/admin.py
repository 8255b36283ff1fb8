"""Moderation in the admin; status changes go through the same services as the pages and the API."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditEntryInline
from core.admin_scale import LargeListAdmin

from . import actions, services
from .models import Application, Campaign, DeliverableSpec, Notification, Review


class DeliverableSpecInline(admin.TabularInline):
    model = DeliverableSpec
    extra = 0


def _system_move(modeladmin, request, queryset, service, **kwargs):
    done, refused = 0, []
    for campaign in queryset:
        try:
            service(campaign=campaign, actor=request.user, system=True, **kwargs)
            done += 1
        except services.CampaignError as exc:
            refused.append(f"{campaign}: {exc}")
    modeladmin.message_user(request, _("%(n)s campaign(s) changed.") % {"n": done})
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


@admin.action(description=_("Close applications of selected campaigns"))
def close_campaigns(modeladmin, request, queryset):
    _system_move(modeladmin, request, queryset, actions.campaign_action("close").service, note="Closed by an admin")


@admin.action(description=_("Cancel selected campaigns (moderation)"))
def cancel_campaigns(modeladmin, request, queryset):
    _system_move(modeladmin, request, queryset, actions.campaign_action("cancel").service, note="Cancelled by an admin")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "brand", "status", "application_deadline", "slots", "created_at")
    list_filter = ("status", "goal", "compensation_type")
    search_fields = ("title", "brand__name")
    readonly_fields = ("status", "published_at")
    inlines = [DeliverableSpecInline, AuditEntryInline]
    actions = [close_campaigns, cancel_campaigns]
    raw_id_fields = ("brand", "created_by")


@admin.register(Application)
class ApplicationAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ("campaign", "creator", "status", "proposed_rate", "created_at")
    list_filter = ("status",)
    search_fields = ("campaign__title", "creator__handle")
    readonly_fields = ("status",)
    raw_id_fields = ("campaign", "creator", "invited_by")
    inlines = [AuditEntryInline]


@admin.register(Notification)
class NotificationAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ("user", "verb", "created_at", "read_at")
    raw_id_fields = ("user",)


class ReviewModerationForm(forms.ModelForm):
    hide_reason = forms.CharField(
        label=_("Hide this review, because…"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author is told this reason; the hiding is recorded in the audit log."),
    )

    class Meta:
        model = Review
        fields = []


@admin.register(Review)
class ReviewAdmin(LargeListAdmin, admin.ModelAdmin):
    """Staff read reviews and hide one with a reason (services.review_hide: audited, the author told)."""

    form = ReviewModerationForm
    list_display = ("application", "side", "overall", "created_at", "published_at", "hidden_at")
    list_filter = ("side", "overall")
    search_fields = ("text", "application__creator__handle", "application__campaign__brand__name")
    readonly_fields = (
        "application",
        "side",
        "author",
        "overall",
        "communication",
        "quality",
        "timeliness",
        "text",
        "reply",
        "window_closes_at",
        "published_at",
        "hidden_at",
        "hidden_reason",
    )
    inlines = [AuditEntryInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("hide_reason", "").strip()
        if not reason:
            return
        try:
            services.review_hide(review=obj, actor=request.user, reason=reason)
        except (ValidationError, services.CampaignError) as exc:
            self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.WARNING)
