"""Demo results for `make run`: each demo hire's link gets a promo code, two weeks of clicks and a few orders.

The links themselves were made when the campaigns demo hired (campaigns.hooks). Live clicks go through Redis and
the flush like any other; these rows are the history a demo report starts with. The posts' numbers come from the
live-post pipeline's demo provider, not from here. Runs once: it does nothing if any click day exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from campaigns.models import Campaign

from . import services
from .models import ClickDay, Conversion, ConversionSource, TrackedLink


def seed(log: Callable[[str], None]) -> None:
    if ClickDay.objects.exists():
        return
    for campaign in Campaign.objects.filter(applications__status__in=services.HIRED).distinct():
        services.links_ensure(campaign=campaign)
    links = list(TrackedLink.objects.select_related("application__creator", "campaign__brand").order_by("pk"))
    today = timezone.localdate()
    currency = settings.PAYMENTS_CURRENCY.upper()
    days, orders = [], []
    for link in links:
        rng = random.Random(link.pk)
        handle = link.application.creator.handle.replace("-", "").upper()[:8]
        if not link.promo_code and not TrackedLink.objects.filter(campaign=link.campaign, promo_code=f"{handle}10"):
            link.promo_code = f"{handle}10"
            link.save(update_fields=["promo_code"])
        for back in range(14, 0, -1):
            clicks = max(0, int(rng.gauss(40, 15) * (1 + (14 - back) / 14)))
            days.append(
                ClickDay(link=link, day=today - dt.timedelta(days=back), clicks=clicks, unique_clicks=clicks * 4 // 5)
            )
        for n in range(2 + link.pk % 3):
            orders.append(
                Conversion(
                    brand=link.campaign.brand,
                    link=link,
                    order_id=f"DEMO-{link.pk}-{n + 1}",
                    amount=rng.randrange(2_500, 12_000, 50),
                    currency=currency,
                    source=ConversionSource.CSV,
                    occurred_at=timezone.now() - dt.timedelta(days=rng.randint(1, 13)),
                )
            )
    ClickDay.objects.bulk_create(days, ignore_conflicts=True)
    Conversion.objects.bulk_create(orders, ignore_conflicts=True)
    log(f"Demo results: {len(links)} tracked links, {len(days)} days of clicks, {len(orders)} orders.")
