"""Creators in the Django admin; vetting (PRODUCT §3) through the shared mixin (core.vetting_admin)."""

from __future__ import annotations

import json
from math import ceil

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, connections
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy as _

from audit.admin import AuditEntryInline
from core.models import User
from core.vetting_admin import VettingAdminMixin

from .changes import creators_changed
from .filters import search_tsquery
from .models import Creator, PortfolioItem, RateCardEntry, SocialAccount
from .services import creator_recompute_audience, creator_refresh_search


class EstimatedCountPaginator(Paginator):
    """The creators list never counts its rows (issue 13): :class:`PageFirstChangeList` tells it the count.

    ``approximate``: the count is the planner's estimate (``label`` says "about N"); ``more``: the count is a
    lower bound ("N+"). At most MAX_PAGES page links: deeper than that, search or filter (OFFSET reads every
    skipped row)."""

    MAX_PAGES = 100

    def __init__(self, *args, count: int = 0, approximate: bool = False, more: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.count, self.approximate, self.more = count, approximate, more

    @cached_property
    def num_pages(self) -> int:
        return max(1, min(ceil(self.count / self.per_page), self.MAX_PAGES))

    @property
    def label(self) -> str:
        if self.approximate:
            return _("about %(n)s") % {"n": intcomma(self.count)}
        return f"{intcomma(self.count)}+" if self.more else intcomma(self.count)


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` returns: an EXPLAIN, planning only (about a millisecond)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class PageFirstChangeList(ChangeList):
    """The page first, one row more than it shows; a count only if that row exists.

    Django's changelist counts the matches, then fetches the page. Counting is what a million rows cannot
    afford: "lena" matches ~17,000 creators at 1M, and even a count stopped at 1,000 builds the whole full-text
    bitmap (~11 ms, as much as the page itself). Here a page with no row after it gives the exact count
    (offset + rows: one statement for the lists most searches give), and a full page asks the planner for an
    estimate instead of counting (its estimate for "lena" is 16,924 of 16,799)."""

    def get_results(self, request):
        per_page, queryset = self.list_per_page, self.queryset
        offset = (self.page_num - 1) * per_page
        if self.show_all:
            rows = list(queryset[: self.list_max_show_all + 1])
            if len(rows) <= self.list_max_show_all:
                return self._done(rows, len(rows), offset=0)
        rows = list(queryset[offset : offset + per_page + 1])
        if not rows and self.page_num > 1:
            raise IncorrectLookupParameters
        if len(rows) <= per_page:
            return self._done(rows, offset + len(rows), offset=offset)
        at_least = offset + per_page + 1
        estimate = planner_estimate(queryset.order_by().select_related(None).values("pk"))
        if estimate >= at_least:
            return self._done(rows[:per_page], int(float(f"{estimate:.2g}")), offset=offset, approximate=True)
        return self._done(rows[:per_page], offset + per_page, offset=offset, more=True)

    def _done(self, rows, count: int, *, offset: int, approximate: bool = False, more: bool = False):
        self.paginator = EstimatedCountPaginator(
            self.queryset, self.list_per_page, count=count, approximate=approximate, more=more
        )
        self.result_count = count
        self.full_result_count = None
        self.show_full_result_count = False
        self.show_admin_actions = True
        self.result_list = rows
        self.can_show_all = not (approximate or more) and count <= self.list_max_show_all
        self.multi_page = approximate or more or count > self.list_per_page


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
    # Newest first through the creator_created index (issue 13: the model's ordering had only a partial one).
    ordering = ("-created_at", "-id")

    def get_changelist(self, request, **kwargs):
        return PageFirstChangeList

    def action_checkbox(self, obj):
        """Django's row checkbox as one format_html call: the same markup without rendering a widget template per
        row, which was a fifth of the list's time at 100 rows (issue 13)."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

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
class RateCardEntryAdmin(admin.ModelAdmin):
    list_display = ("creator", "platform", "deliverable", "price", "currency")
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


admin.site.register(PortfolioItem, list_display=("creator", "caption", "url"), raw_id_fields=("creator",))
