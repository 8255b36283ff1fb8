"""Creators in the Django admin; vetting (PRODUCT §3) through the shared mixin (core.vetting_admin)."""

from __future__ import annotations

from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import AuditEntryInline
from core.admin_scale import LargeListAdmin
from core.models import User
from core.vetting_admin import VettingAdminMixin

from .changes import creators_changed
from .filters import search_tsquery
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

    CACHE_KEY = "admin:creator-countries"
    CACHE_SECONDS = 600  # a country new to the platform appears in the list within ten minutes

    def lookups(self, request, model_admin):
        countries = cache.get(self.CACHE_KEY)
        if countries is None:
            countries = self._countries()
            cache.set(self.CACHE_KEY, countries, self.CACHE_SECONDS)
        return [(code, code) for code in countries]

    @staticmethod
    def _countries() -> list[str]:
        # A loose index scan (one probe of creator_country_idx per country), not DISTINCT over every row.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH RECURSIVE c(v) AS (
                    SELECT min(country) FROM creators_creator WHERE country > ''
                    UNION ALL
                    SELECT (SELECT min(country) FROM creators_creator WHERE country > c.v) FROM c WHERE c.v IS NOT NULL
                )
                SELECT v FROM c WHERE v IS NOT NULL LIMIT 60
                """
            )
            return [row[0] for row in cursor.fetchall()]

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
class CreatorAdmin(LargeListAdmin, VettingAdminMixin, admin.ModelAdmin):
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
    list_select_related = ("user",)  # for the bulk vetting actions, which e-mail each creator
    list_only = ("display_name", "handle", "status", "tier", "followers", "engagement_rate", "country", "created_at")
    # Newest first through the creator_created index (issue 13: the model's ordering had only a partial one).
    ordering = ("-created_at", "-id")

    def get_search_results(self, request, queryset, search_term):
        """Full text over the search document (name, handle, niches, bio: the GIN index the directory uses), or
        an exact handle, e-mail or linked-account handle: each an index lookup, no DISTINCT, no join to count."""
        term = search_term.strip()
        if not term:
            return queryset, False
        query = search_tsquery(term)
        exact = term.lstrip("@").lower()
        # Each arm is an index lookup on the creators' table itself, so PostgreSQL ORs bitmaps (an OR across a
        # join would read every row): ids of the user by e-mail and of the accounts by handle come as arrays.
        users = User.objects.filter(email=term.lower()).values("id")
        accounts = SocialAccount.objects.annotate(lower_handle=Lower("handle")).filter(lower_handle=exact)
        users_sql, users_params = users.query.sql_with_params()
        accounts_sql, accounts_params = accounts.values("creator_id").query.sql_with_params()
        where = [
            f'"creators_creator"."user_id" = ANY(ARRAY({users_sql}))',
            f'"creators_creator"."id" = ANY(ARRAY({accounts_sql}))',
            '"creators_creator"."handle" = %s',
        ]
        params = [*users_params, *accounts_params, exact]
        if query is not None:
            where.append('"creators_creator"."search_vector" @@ to_tsquery(\'simple\', %s)')
            params.append(query)
        return queryset.extra(where=["(" + " OR ".join(where) + ")"], params=params), False

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


@admin.register(RateCardEntry)
class RateCardEntryAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ("creator", "platform", "deliverable", "price", "currency")
    ordering = ("-id",)  # newest first by the primary key: the model's order sorted 3M rows at 1M (4 s)
    raw_id_fields = ("creator",)
    list_select_related = ("creator",)

    # The lowest price is a match feature (issue 13): keep the creator's row true after a hand edit.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        creators_changed([obj.creator_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        creators_changed([obj.creator_id])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("creator_id", flat=True))
        super().delete_queryset(request, queryset)
        creators_changed(ids)


@admin.register(PortfolioItem)
class PortfolioItemAdmin(LargeListAdmin, admin.ModelAdmin):
    list_display = ("creator", "caption", "url")
    raw_id_fields = ("creator",)
    list_select_related = ("creator",)
