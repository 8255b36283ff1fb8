"""Audience demographics from the platforms (issue 11): read for accounts whose owner connected them, stored on
``creators.AudienceDemographics`` through the creators service (source "platform"; demo values on demo-served
platforms, source "demo").

* Instagram: Graph API ``follower_demographics`` by country, age and gender (the owner's token, the account's IG
  user id); YouTube: Analytics API ``viewerPercentage`` by age group and gender and ``views`` by country (the
  owner's OAuth token). TikTok gives no audience demographics to a creator's token; LinkedIn has no API.
* Only accounts with a stored token are asked (the OAuth connection itself is another piece of work); every
  request takes a slot from the platform's shared limiter, as the refreshes do.
* Each group is stored as shares of its total (top 5 countries), so counts and percentages read the same.
  Platform figures replace self-reported ones; demo figures never replace anything but demo figures.
* Cadence: every STATS_DEMOGRAPHICS_DAYS (28) days — audiences move slowly, and these calls are the expensive
  kind ("heavy analytics monthly", research §4.5).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from creators.demographics import MAX_COUNTRIES, shares_from_counts
from creators.models import AudienceDemographics, DemographicsSource, SocialAccount
from creators.services import account_demographics_set
from creators.tokens import fresh_access_token

from .config import provider_for
from .providers.base import AccountRef, Demographics, ProviderError, QuotaExceeded, RateLimited
from .providers.demo import DemoProvider
from .refresh import throttle_for

logger = logging.getLogger(__name__)

PLATFORMS_WITH_DEMOGRAPHICS = ("instagram", "youtube")


@dataclass
class DemographicsResult:
    stored: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)  # rate limits and retryable failures
    skipped: list[int] = field(default_factory=list)  # no token, or a failure retrying cannot fix
    retry_after: float = 0.0


def _store(account: SocialAccount, found: Demographics, source: str) -> None:
    account_demographics_set(
        account=account,
        countries=shares_from_counts(found.countries, top=MAX_COUNTRIES),
        ages=shares_from_counts(found.ages),
        genders=shares_from_counts(found.genders),
        source=source,
    )


def refresh_demographics(*, account_ids: Iterable[int], time_budget: float | None = None) -> DemographicsResult:
    """Read and store the audience of ``account_ids`` where the platform gives it; see the module docstring."""
    result = DemographicsResult()
    budget = settings.STATS_TASK_TIME_BUDGET if time_budget is None else time_budget
    deadline = time.monotonic() + budget
    accounts = list(
        SocialAccount.objects.filter(id__in=sorted(set(account_ids))).select_related("demographics").order_by("id")
    )
    providers = {}
    for account in accounts:
        if account.platform not in providers:
            providers[account.platform] = provider_for(account.platform)
            throttle_for(providers[account.platform], deadline)
        provider = providers[account.platform]
        demo = isinstance(provider, DemoProvider)
        existing = getattr(account, "demographics", None) if _has_demographics(account) else None
        if demo and existing is not None and existing.source != DemographicsSource.DEMO:
            result.skipped.append(account.pk)
            continue
        if not demo and (account.platform not in PLATFORMS_WITH_DEMOGRAPHICS or not account.access_token):
            result.skipped.append(account.pk)
            continue
        # A connected account's token, renewed first when it is about to expire (YouTube's last an hour).
        token = account.access_token if demo else fresh_access_token(account)
        if not demo and not token:
            result.skipped.append(account.pk)
            continue
        ref = AccountRef(str(account.pk), account.handle, account.external_id, token)
        try:
            found = provider.fetch_demographics(ref)
        except (RateLimited, QuotaExceeded) as exc:
            result.retry.append(account.pk)
            result.retry_after = max(result.retry_after, exc.retry_after if isinstance(exc, RateLimited) else 3600)
            continue
        except ProviderError as exc:
            (result.retry if exc.retryable else result.skipped).append(account.pk)
            logger.warning("audience demographics of account %s: %s", account.pk, exc)
            continue
        _store(account, found, DemographicsSource.DEMO if demo else DemographicsSource.PLATFORM)
        result.stored.append(account.pk)
    for provider in providers.values():
        close = getattr(provider, "close", None)
        if close:
            close()
    return result


def _has_demographics(account: SocialAccount) -> bool:
    try:
        account.demographics  # noqa: B018 - the select_related one-to-one, or DoesNotExist
    except AudienceDemographics.DoesNotExist:
        return False
    return True


def due_demographics_ids(*, now: datetime | None = None) -> list[int]:
    """Connected Instagram/YouTube accounts whose platform figures are missing or older than the cadence."""
    now = now or timezone.now()
    fresh = Q(
        demographics__source=DemographicsSource.PLATFORM,
        demographics__updated_at__gt=now - timedelta(days=settings.STATS_DEMOGRAPHICS_DAYS),
    )
    qs = (
        SocialAccount.objects.filter(platform__in=PLATFORMS_WITH_DEMOGRAPHICS)
        .exclude(access_token="")
        .exclude(fresh)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return list(qs[: settings.STATS_SCHEDULE_MAX_PER_TICK])


def schedule_demographics(*, now: datetime | None = None) -> int:
    from .tasks import refresh_demographics_task

    ids = due_demographics_ids(now=now)
    size = max(1, settings.STATS_BATCH_SIZE)
    for start in range(0, len(ids), size):
        refresh_demographics_task.delay(ids[start : start + size])
    return len(ids)
