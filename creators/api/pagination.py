"""The directory's keyset pages for the API: no OFFSET, no exact COUNT (see selectors.directory_page)."""

from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..filters import DEFAULT_SORT, SORTS
from ..selectors import API_FIELDS, directory_page, listed_creators


class DirectoryPagination(BasePagination):
    """``?sort=engagement|followers|newest`` (engagement when absent); follow ``next`` (``after=<cursor>``)."""

    cursor_query_param = "after"

    def paginate_queryset(self, queryset, request, view=None):
        sort = request.query_params.get("sort") or DEFAULT_SORT
        if sort not in SORTS:
            sort = DEFAULT_SORT
        self.request = request
        filterset = getattr(view, "directory_filterset", None)
        window_base = filterset.window_base(sort, listed_creators()) if filterset is not None else None
        self.page = directory_page(
            queryset,
            sort=sort,
            cursor=request.query_params.get(self.cursor_query_param),
            window_base=window_base,
            rates_order=("platform", "price"),  # as the detail lists them
            fields=API_FIELDS,
        )
        return self.page.creators

    def get_paginated_response(self, data):
        next_url = None
        if self.page.next_cursor:
            next_url = replace_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param, self.page.next_cursor
            )
        return Response(
            {"count": self.page.count, "count_capped": self.page.count_capped, "next": next_url, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {"type": "integer", "description": "matches, counted up to a cap"},
                "count_capped": {"type": "boolean", "description": "true: there are more than `count`"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "cursor from the previous page's `next`",
                "schema": {"type": "string"},
            }
        ]
