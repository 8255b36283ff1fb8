"""Creators in the Django admin; vetting (PRODUCT §3) through the shared mixin (core.vetting_admin)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditEntryInline
from core.vetting_admin import VettingAdminMixin

from .models import Creator, PortfolioItem, RateCardEntry, SocialAccount
from .services import creator_recompute_audience, creator_refresh_search


class PlatformFilter(admin.SimpleListFilter):
    title = _("platform")
    parameter_name = "platform"

    def lookups(self, request, model_admin):
        from .models import Platform

        return Platform.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(SocialAccount.objects.filter(creator_id=OuterRef("pk"), platform=self.value()))
            )
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        countries = Creator.objects.exclude(country="").order_by("country").values_list("country", flat=True).distinct()
        return [(c, c) for c in countries[:60]]

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = (
        "platform",
        "handle",
        "verified",
        "followers",
        "engagement_rate",
        "tier",
        "refresh_status",
        "last_refreshed_at",
        "snapshots_link",
    )
    readonly_fields = ("followers", "engagement_rate", "tier", "refresh_status", "last_refreshed_at", "snapshots_link")
    show_change_link = True

    @admin.display(description=_("snapshots"))
    def snapshots_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:creators_socialaccount_change", args=[obj.pk]), _("history")
        )


@admin.register(Creator)
class CreatorAdmin(VettingAdminMixin, admin.ModelAdmin):
    vetting_reason_label = _("Reason (sent to the creator)")
    list_display = ("display_name", "handle", "status", "tier", "followers", "engagement_rate", "country", "created_at")
    list_filter = ("status", "tier", PlatformFilter, CountryFilter)
    search_fields = ("display_name", "handle", "user__email", "accounts__handle")
    readonly_fields = (
        "status",
        "status_reason",
        "tier",
        "followers",
        "engagement_rate",
        "created_at",
        "updated_at",
        "avatar_preview",
    )
    fields = (
        "user",
        "display_name",
        "handle",
        "bio",
        "country",
        "languages",
        "niches",
        "content_formats",
        "avatar_preview",
        "status",
        "status_reason",
        "tier",
        "followers",
        "engagement_rate",
        "created_at",
        "updated_at",
    )
    raw_id_fields = ("user",)
    filter_horizontal = ("niches",)
    inlines = [SocialAccountInline, AuditEntryInline]
    list_select_related = ("user",)
    show_full_result_count = False  # no exact COUNT over a big table on every page

    @admin.display(description=_("avatar"))
    def avatar_preview(self, obj):
        if not obj.avatar_thumb:
            return "–"
        return format_html('<img src="{}" width="96" height="96" alt="">', obj.avatar_thumb.url)

    def save_related(self, request, form, formsets, change):
        # Accounts edited inline and niches changed here feed derived fields: keep them true.
        super().save_related(request, form, formsets, change)
        creator_recompute_audience(creator_ids=[form.instance.pk])
        creator_refresh_search(creator_ids=[form.instance.pk])


admin.site.register(
    RateCardEntry,
    list_display=("creator", "platform", "deliverable", "price", "currency"),
    raw_id_fields=("creator",),
    list_select_related=("creator",),
)
admin.site.register(PortfolioItem, list_display=("creator", "caption", "url"), raw_id_fields=("creator",))
