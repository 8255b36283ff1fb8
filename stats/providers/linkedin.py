"""LinkedIn: self-reported numbers only.

There is no public LinkedIn API that returns follower counts or post
engagement for *personal* profiles: the Community Management / Marketing APIs
cover organisation pages and require partner approval, and the member APIs
available to ordinary apps (Sign In with LinkedIn / OpenID Connect) return
identity only. So this provider makes no HTTP calls at all; it hands back the
numbers the creator typed in (or uploaded as a screenshot an admin verified),
marked ``self_reported=True`` so the UI and the matching code can treat them
as unverified. It exists so LinkedIn accounts go through the same refresh,
engagement and flag pipeline as the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from .base import AccountRef, AccountStats, FetchResult, PostStats, Provider, ProviderError, as_int

SelfReport = AccountStats | Mapping[str, Any] | None
Source = Callable[[AccountRef], SelfReport] | Mapping[str, SelfReport]


class NoSelfReportedStats(ProviderError):
    """The creator has not entered numbers yet; refreshing again will not change that."""

    retryable = False


def _post(data: Mapping[str, Any] | PostStats, index: int) -> PostStats:
    if isinstance(data, PostStats):
        return data
    published = data.get("published_at")
    return PostStats(
        external_id=str(data.get("external_id") or data.get("id") or f"self-{index}"),
        published_at=published if isinstance(published, datetime) else None,
        likes=as_int(data.get("likes")),
        comments=as_int(data.get("comments")),
        views=as_int(data.get("views")),
        shares=as_int(data.get("shares")),
    )


class LinkedInProvider(Provider):
    """Returns what ``source`` reports, with ``self_reported=True``.

    ``source`` is either a mapping (looked up by ``ref.key``, then by
    ``ref.handle``) or a callable ``(ref) -> report``. A report is an
    ``AccountStats`` or a mapping with any of ``followers``, ``following``,
    ``posts_count``, ``total_views``, ``total_likes``, ``external_id`` and
    ``posts`` (a list of mappings with ``likes``/``comments``/``views``/
    ``shares``/``published_at``, or PostStats), newest first.
    """

    platform = "linkedin"
    max_batch = 500
    makes_requests = False
    requests_per_minute = 100_000  # no remote calls; the limiter should never bite

    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source

    def _report(self, ref: AccountRef) -> SelfReport:
        if callable(self.source):
            return self.source(ref)
        if ref.key in self.source:
            return self.source[ref.key]
        return self.source.get(ref.handle)

    def fetch(self, refs: Sequence[AccountRef]) -> FetchResult:
        results: FetchResult = {}
        for ref in refs:
            report = self._report(ref)
            if report is None:
                results[ref.key] = NoSelfReportedStats(f"linkedin: no self-reported numbers for {ref.handle!r}")
            elif isinstance(report, AccountStats):
                results[ref.key] = replace(report, self_reported=True)
            else:
                results[ref.key] = AccountStats(
                    external_id=str(report.get("external_id") or ref.external_id or ref.handle),
                    handle=ref.handle,
                    followers=as_int(report.get("followers")),
                    following=as_int(report.get("following")),
                    posts_count=as_int(report.get("posts_count")),
                    total_views=as_int(report.get("total_views")),
                    total_likes=as_int(report.get("total_likes")),
                    posts=tuple(_post(p, i) for i, p in enumerate(report.get("posts") or ())),
                    self_reported=True,
                )
        return results
