"""The admin at a million rows (issue 13): lists that never COUNT, one mixin for every big table.

Django's changelist counts the matches (twice: filtered and, unless ``show_full_result_count`` is off, all),
then fetches the page. Counting is what a million rows cannot afford: the users' list took 1.5 s at 1M, the
rate cards' 4 s. :class:`LargeListAdmin` swaps in :class:`PageFirstChangeList` (the page first, one row more
than it shows; a count only as the planner's estimate) and renders the row checkbox without a widget template.
Mix it into every ModelAdmin of a table that grows with the creators (tests/core/test_admin_scale.py lists
them).
"""

from __future__ import annotations

import hashlib
import json
from math import ceil

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext, gettext_lazy as _


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


ESTIMATE_SECONDS = 60


def planner_estimate(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` returns: an EXPLAIN, planning only (about a millisecond),
    kept for a minute per statement (an estimate of a million rows does not need to be fresher; paging through a
    list or a search asks again for the same one)."""
    sql, params = queryset.query.sql_with_params()
    key = "admin:estimate:" + hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached
    estimate = _explain_rows(queryset.db, sql, params)
    cache.set(key, estimate, ESTIMATE_SECONDS)
    return estimate


def _explain_rows(db: str, sql: str, params) -> int:
    with connections[db].cursor() as cursor:
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

    PK = "__pk__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django adds the list's filters to every row's link with add_preserved_filters, which resolves the URL
        # again for each row (100 resolves and 100 reverses: ~25 ms of a searched page). The link is built once
        # here, by the same two functions, around a placeholder id; each row only puts its id in.
        self._row_filters, self.preserved_filters = self.preserved_filters, ""
        self._row_url = None

    def get_results(self, request):
        per_page, queryset = self.list_per_page, self.queryset
        offset = (self.page_num - 1) * per_page
        if self.show_all:
            rows = list(self._shown(queryset)[: self.list_max_show_all + 1])
            if len(rows) <= self.list_max_show_all:
                return self._done(rows, len(rows), offset=0)
        rows = list(self._shown(queryset)[offset : offset + per_page + 1])
        if not rows and self.page_num > 1:
            raise IncorrectLookupParameters
        if len(rows) <= per_page:
            return self._done(rows, offset + len(rows), offset=offset)
        at_least = offset + per_page + 1
        estimate = planner_estimate(queryset.order_by().select_related(None).values("pk"))
        if estimate >= at_least:
            return self._done(rows[:per_page], int(float(f"{estimate:.2g}")), offset=offset, approximate=True)
        return self._done(rows[:per_page], offset + per_page, offset=offset, more=True)

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if not isinstance(pk, int):
            return add_preserved_filters(
                {"preserved_filters": self._row_filters, "opts": self.opts}, super().url_for_result(result)
            )
        if self._row_url is None:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self.PK,),
                current_app=self.model_admin.admin_site.name,
            )
            self._row_url = add_preserved_filters({"preserved_filters": self._row_filters, "opts": self.opts}, url)
        return self._row_url.replace(self.PK, str(pk), 1)

    def _shown(self, queryset):
        """The rows as the list shows them: only the admin's ``list_only`` columns when it names them (the
        actions still get the whole queryset)."""
        only = getattr(self.model_admin, "list_only", None)
        return queryset.select_related(None).only(*only) if only else queryset

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


class LargeListAdmin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``) of a table with up to millions of rows."""

    show_full_result_count = False  # Django's "N total" counts the whole table on every page
    show_facets = admin.ShowFacets.NEVER  # "Show counts" would count every filter choice over the whole table
    # The columns the list's rows need (list_display and __str__), if it is worth naming them: the page then
    # reads narrow rows and no select_related joins.
    list_only: tuple[str, ...] | None = None

    def get_changelist(self, request, **kwargs):
        return PageFirstChangeList

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in one of ``search_fields``, ``icontains``), with a field across a relation
        asked of the related table first: ``creator__handle`` becomes "creator in (the creators whose handle
        contains it)". Django joins the tables and ORs across them, which the planner can only answer by walking
        the list's whole ordering and joining every row (2.6 s for the applications' list at 1M creators); the
        related table's own index (a trigram index on the handle, the title) finds the few matches, and the list
        then filters its foreign key by them. No join, so no duplicates and no DISTINCT. The list's matching ids
        are then gathered before the page is ordered (see below): a word found in most rows (a single letter)
        pays for gathering them, a rare one (nearly every search) is an index lookup. Fields with Django's
        prefixes (``^ = @``), reverse or many-to-many relations keep Django's search."""
        fields = list(self.get_search_fields(request) or ())
        split = [self._search_path(queryset.model, path) for path in fields]
        if not search_term or not fields or None in split:
            return super().get_search_results(request, queryset, search_term)
        bits = [
            unescape_string_literal(bit) if bit.startswith(('"', "'")) and bit[0] == bit[-1] else bit
            for bit in smart_split(search_term)
        ]
        if not bits:  # only spaces: no search, as Django
            return queryset, False
        listed = queryset
        for bit in bits:
            matches = Q()
            for head, related, rest in split:
                if related is None:
                    matches |= Q(**{f"{head}__icontains": bit})
                else:
                    # "= ANY(ARRAY(...))": the ids are found first and looked up in the foreign key's index, so the
                    # arms are bitmaps PostgreSQL ORs (an IN subquery is a filter on every row of the ordering).
                    ids = related._default_manager.filter(**{f"{rest}__icontains": bit}).order_by().values("pk")
                    sql, params = ids.query.sql_with_params()
                    column = queryset.model._meta.get_field(head).column
                    where = f'"{queryset.model._meta.db_table}"."{column}" = ANY(ARRAY({sql}))'
                    matches |= Q(RawSQL(where, params, output_field=BooleanField()))
            queryset = queryset.filter(matches)
        # The matching ids first, then the page in the list's order: the planner cannot tell how rare a "contains"
        # is and would walk the ordering's index through every row looking for them (2.5 s over 2M accounts
        # when nothing matched); the ids come from the trigram indexes' bitmaps instead.
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        where = f'"{queryset.model._meta.db_table}"."{queryset.model._meta.pk.column}" = ANY(ARRAY({sql}))'
        return listed.filter(RawSQL(where, params, output_field=BooleanField())), False

    @staticmethod
    def _search_path(model, path: str):
        """(field, related model or None, the rest of the path) for a plain field or one across a forward
        foreign key; None for anything else (a prefix operator, a reverse or many-to-many relation)."""
        if path[0] in "^=@":
            return None
        head, _sep, rest = path.partition("__")
        try:
            field = model._meta.get_field(head)
        except FieldDoesNotExist:
            return None
        if not rest:
            return (head, None, "") if not field.is_relation else None
        if field.many_to_one or (field.one_to_one and field.concrete):
            return head, field.related_model, rest
        return None

    def action_checkbox(self, obj):
        """Django's row checkbox as one format_html call: the same markup without rendering a widget template per
        row, which was a fifth of the list's time at 100 rows."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
