"""Keyset pages of a campaign's recommendations (issue 13): no exact count (counting every eligible creator of a
brief is the slow part at a million creators), a ``next`` link whose opaque ``cursor`` holds the last row's
(score, id), the same key the recommendations page pages by."""

from __future__ import annotations

import base64
import binascii
import math

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from marketplace.api.pagination import DefaultPagination

CURSOR_PARAM = "cursor"


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


class RecommendationCursor:
    """``page_size`` as on every list (1–100, 25 by default: ``DefaultPagination``), ``cursor`` from ``next``."""

    def __init__(self, request) -> None:
        self.request = request
        self.page_size = DefaultPagination().get_page_size(request)
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
