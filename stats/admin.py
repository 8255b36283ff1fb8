"""Admin for the statistics pipeline: each account's refresh status with "refresh now", and authenticity flags.

The linked accounts (``creators.SocialAccount``) are listed here because what
an admin looks at them for is their numbers and refreshes; the Creator admin
(with its accounts inline) lives in creators/admin.py. Admin actions call the
same services as the pages (stats.manual, stats.flags), so they cannot drift apart.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext

from core.admin_scale import LargeListAdmin
from creators.models import RefreshStatus, SocialAccount

from .errors import StatsError
from .flags import flags_resolve
from .manual import refresh_now_for_admin
from .models import AuthenticityFlag, StatsSnapshot

# The admin does not load app.css (and the CSP forbids inline styles): a symbol marks the state.
_STATUS_MARK = {
    RefreshStatus.OK: "✓",
    RefreshStatus.PENDING: "…",
    RefreshStatus.FAILING: "⚠",
    RefreshStatus.ERROR: "✗",
}


class OpenFlagFilter(admin.SimpleListFilter):
    title = _("open flags")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Has open flags"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(flags__resolved_at__isnull=True).distinct()
        return queryset


class StatsSnapshotInline(admin.TabularInline):
    model = StatsSnapshot
    extra = 0
    can_delete = False
    fields = ("period", "taken_at", "followers", "avg_likes", "avg_comments", "avg_views", "engagement_rate")
    readonly_fields = fields
    ordering = ("-period",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SocialAccount)
class SocialAccountStatsAdmin(LargeListAdmin, admin.ModelAdmin):
    """Refresh status, flags and the "refresh now" action, plus the snapshot history."""

    list_display = ["__str__", "creator", "followers", "er", "tier", "refresh_state", "refreshed", "fails"]
    list_filter = ["refresh_status", "platform", "tier", OpenFlagFilter]
    search_fields = ["handle", "external_id", "creator__handle", "creator__display_name"]
    list_select_related = ["creator"]
    ordering = ["-last_refreshed_at"]
    actions = ["refresh_now"]
    readonly_fields = [
        "followers",
        "following",
        "posts_count",
        "total_views",
        "avg_likes",
        "avg_comments",
        "avg_views",
        "engagement_rate",
        "tier",
        "likes_hidden",
        "self_reported",
        "last_refreshed_at",
        "last_attempted_at",
        "refresh_status",
        "refresh_error",
        "consecutive_failures",
    ]
    fieldsets = [
        (None, {"fields": ["creator", "platform", "handle", "external_id", "verified"]}),
        (
            _("Numbers (from the platform)"),
            {
                "fields": [
                    "followers",
                    "following",
                    "posts_count",
                    "total_views",
                    "avg_likes",
                    "avg_comments",
                    "avg_views",
                    "engagement_rate",
                    "tier",
                    "likes_hidden",
                    "self_reported",
                ]
            },
        ),
        (
            _("Refresh"),
            {
                "fields": [
                    "last_refreshed_at",
                    "last_attempted_at",
                    "refresh_status",
                    "refresh_error",
                    "consecutive_failures",
                ]
            },
        ),
    ]
    raw_id_fields = ["creator"]
    inlines = [StatsSnapshotInline]
    show_full_result_count = False

    @admin.display(description=_("ER %"), ordering="engagement_rate")
    def er(self, obj: SocialAccount):
        return obj.engagement_rate

    @admin.display(description=_("refreshed"), ordering="last_refreshed_at")
    def refreshed(self, obj: SocialAccount):
        return obj.last_refreshed_at.strftime("%d %b %H:%M") if obj.last_refreshed_at else "—"

    @admin.display(description=_("fails"), ordering="consecutive_failures")
    def fails(self, obj: SocialAccount):
        return obj.consecutive_failures

    @admin.display(description=_("refresh"), ordering="refresh_status")
    def refresh_state(self, obj: SocialAccount):
        return f"{_STATUS_MARK[RefreshStatus(obj.refresh_status)]} {obj.get_refresh_status_display()}"

    @admin.action(description=_("Refresh now from the platform"))
    def refresh_now(self, request, queryset):
        try:
            count = refresh_now_for_admin(account_ids=list(queryset.values_list("id", flat=True)), actor=request.user)
        except StatsError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("Queued a refresh of %(n)d account.", "Queued a refresh of %(n)d accounts.", count) % {"n": count},
            messages.SUCCESS,
        )


@admin.register(AuthenticityFlag)
class AuthenticityFlagAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ["code", "account", "summary", "raised_at", "resolved_at", "resolved_by"]
    list_filter = ["code", ("resolved_at", admin.EmptyFieldListFilter), "account__platform"]
    search_fields = ["account__handle", "account__creator__handle", "message"]
    list_select_related = ["account__creator", "resolved_by"]
    readonly_fields = ["account", "code", "message", "numbers_pretty", "raised_at", "resolved_at", "resolved_by"]
    exclude = ["numbers"]
    actions = ["resolve"]
    date_hierarchy = "raised_at"

    def has_add_permission(self, request):
        return False  # flags come from refreshes only

    @admin.display(description=_("what was seen"))
    def summary(self, obj: AuthenticityFlag) -> str:
        return obj.message

    @admin.display(description=_("numbers"))
    def numbers_pretty(self, obj: AuthenticityFlag):
        return format_html("<pre>{}</pre>", json.dumps(obj.numbers, indent=2, sort_keys=True))

    @admin.action(description=_("Mark resolved (a later refresh may raise it again)"))
    def resolve(self, request, queryset):
        count = flags_resolve(flag_ids=list(queryset.values_list("id", flat=True)), actor=request.user)
        self.message_user(request, ngettext("Resolved %(n)d flag.", "Resolved %(n)d flags.", count) % {"n": count})
