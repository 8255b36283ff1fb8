"""One way to write a number on every page, email and chart (issue 14.7).

* ``percent``: two decimals, a thin space and "%": ``4.04 %`` wherever an engagement rate appears.
* ``money``: dollars, cents only when there are some: ``$180``, ``$180.50``, ``$1,250``.
* ``count``: whole numbers with thousands grouped: ``26,009`` (tables, totals, "Instagram (10,462)").
* ``compact``: ``10.5K`` where space is short (cards, badges, chart labels); rounded *down*, so
  9,999 followers (nano) never reads "10K", the first micro number.
* ``followers`` / ``followers_compact``: an account's audience, or why there is no number: the
  channel hides it (YouTube), or the first refresh has not read it yet.
* ``since``: "just now" for the first minute, then Django's natural time ("5 minutes ago").

Missing values are an en dash everywhere. Templates reach these through ``{% load numbers %}``.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

MISSING = "–"
PERCENT_PLACES = 2

FOLLOWERS_HIDDEN = gettext_lazy("Subscriber count hidden by the channel")
FOLLOWERS_PENDING = gettext_lazy("Pending")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def percent(value, places: int = PERCENT_PLACES) -> str:
    """4.04 -> "4.04 %"; 4.0399 -> "4.04 %"; 8.1 -> "8.10 %"; None -> "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{number:.{places}f} %"


def money(value) -> str:
    """200 -> "$200"; 180.5 -> "$180.50"; 1250 -> "$1,250"; None -> "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"${number:,.0f}" if number == number.to_integral() else f"${number:,.2f}"


def count(value) -> str:
    """26009 -> "26,009"; None -> "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return f"{int(number):,}"


def compact(value) -> str:
    """12,345 -> "12.3K"; 1,250,000 -> "1.2M"; 999 -> "999"; None -> "–"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    n = float(number)
    for bound, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K")):
        if n >= bound:
            text = f"{math.floor(n / bound * 10) / 10:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{int(n)}"


def _audience(account, number) -> str:
    if getattr(account, "followers_hidden", False):
        return str(FOLLOWERS_HIDDEN)
    if account.followers is None:
        return str(FOLLOWERS_PENDING)
    return number(account.followers)


def followers(account) -> str:
    """A social account's followers grouped ("26,009"), or why there is no number."""
    return _audience(account, count)


def followers_compact(account) -> str:
    """The same, short ("26K")."""
    return _audience(account, compact)


def _reach(creator, number) -> str:
    # creator.followers is the largest account's count (creators.services.creator_recompute_audience), 0
    # when no account has a number. Only then look at the (prefetched) accounts for the reason.
    if not creator.followers:
        accounts = list(creator.accounts.all())
        if any(a.followers_hidden for a in accounts) and not any(a.followers for a in accounts):
            return str(FOLLOWERS_HIDDEN)
    return number(creator.followers or 0)


def reach(creator) -> str:
    """A creator's reach (their largest account), grouped: the one figure every page shows for them."""
    return _reach(creator, count)


def reach_compact(creator) -> str:
    return _reach(creator, compact)


def since(moment: datetime | None, now: datetime | None = None) -> str:
    """ "just now" in the first minute (never "0 minutes ago"), else "5 minutes ago", "2 days ago"."""
    if moment is None:
        return MISSING
    from django.contrib.humanize.templatetags.humanize import naturaltime

    now = now or timezone.now()
    if abs((now - moment).total_seconds()) < 60:
        return _("just now")
    return naturaltime(moment)
