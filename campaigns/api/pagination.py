"""Keyset pages of a campaign's recommendations (issue 13): no exact count (counting every eligible creator of a
brief is the slow part at a million creators), a ``next`` link whose opaque ``cursor`` holds the last row's
(score, id), the same key the recommendations page pages by."""

from __future__ import annotations

import base64
import binascii
import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "page_size"
MAX_PAGE_SIZE = 100  # as every list of the API (marketplace.api.pagination.DefaultPagination, a layer above)


def encode_cursor(score: float, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{score!r},{pk}".encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> tuple[float, int] | None:
    """(score, id) of the last row of the previous page; a cursor this API did not write is a 400."""
    if raw is None:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        score, pk = text.split(",")
        after = (float(score), int(pk))
    except (ValueError, UnicodeError, binascii.Error):
        after = None
    if after is None or not math.isfinite(after[0]) or after[1] < 1:
        raise ValidationError({CURSOR_PARAM: [_("Use the cursor of a `next` link as it is.")]})
    return after


def page_size(raw: str | None) -> int:
    if raw is None:
        return api_settings.PAGE_SIZE
    if not (raw.isascii() and raw.isdigit() and int(raw) > 0):
        raise ValidationError(
            {PAGE_SIZE_PARAM: [_("Use a whole number of results per page, from 1 to %(n)s.") % {"n": MAX_PAGE_SIZE}]}
        )
    return min(int(raw), MAX_PAGE_SIZE)


class RecommendationCursor:
    """``page_size`` as on every list (a whole number from 1, at most 100, the API's PAGE_SIZE when absent),
    ``cursor`` from ``next``."""

    def __init__(self, request) -> None:
        self.request = request
        self.page_size = page_size(request.query_params.get(PAGE_SIZE_PARAM))
        self.after = decode_cursor(request.query_params.get(CURSOR_PARAM))

    def page(self, rows: list) -> tuple[list, str | None]:
        """The page (``rows`` holds up to ``page_size + 1`` ranked rows) and the link to the next one."""
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if not more:
            return rows, None
        last = rows[-1]
        url = self.request.build_absolute_uri()
        return rows, replace_query_param(url, CURSOR_PARAM, encode_cursor(last.match_score, last.pk))
