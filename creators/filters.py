"""The creator directory's filters, shared by the page and the API (django-filter)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Creator, Niche, Platform, RateCardEntry, SocialAccount
from .selectors import ENGAGEMENT_KEY
from .tiers import Tier, thresholds

SORTS = {
    "engagement": _("Highest engagement"),
    "followers": _("Most followers"),
    "newest": _("Newest"),
}
# The directory's order when none is asked for (pages and API). Engagement, not size: brands come here for
# nano and micro creators whose audiences respond; "Most followers" first put mega accounts on top (issue 14).
# The select shows the first entry of SORTS as chosen, so DEFAULT_SORT stays first there.
DEFAULT_SORT = "engagement"

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("sv", _("Swedish")),
    ("hi", _("Hindi")),
    ("ja", _("Japanese")),
    ("ar", _("Arabic")),
]

_WORD = re.compile(r"[\w]+", re.UNICODE)


def search_tsquery(text: str) -> str | None:
    """The raw tsquery: every word must match, as a prefix ('run' finds 'runner'); punctuation cannot break it."""
    words = _WORD.findall(text.lower())[:8]
    return " & ".join(f"{w}:*" for w in words) if words else None


def search_query(text: str) -> SearchQuery | None:
    raw = search_tsquery(text)
    return SearchQuery(raw, config="simple", search_type="raw") if raw else None


@extend_schema_field(OpenApiTypes.STR)
class NicheFilter(django_filters.ModelMultipleChoiceFilter):
    """Niche slugs, repeatable (?niche=food&niche=travel)."""


class CreatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=100)
    tier = django_filters.MultipleChoiceFilter(
        choices=Tier.choices, label=_("Tier"), method="filter_tier", widget=forms.CheckboxSelectMultiple
    )
    niche = NicheFilter(
        queryset=Niche.objects.all(),
        field_name="niches__slug",
        to_field_name="slug",
        label=_("Niche"),
        method="filter_niche",
        widget=forms.CheckboxSelectMultiple,
    )
    platform = django_filters.ChoiceFilter(
        choices=Platform.choices, method="filter_platform", label=_("Platform"), empty_label=_("Any platform")
    )
    country = django_filters.CharFilter(method="filter_country", label=_("Country"), max_length=2)
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES, method="filter_language", label=_("Language"), empty_label=_("Any language")
    )
    followers_min = django_filters.NumberFilter(
        field_name="followers", lookup_expr="gte", label=_("Followers from"), min_value=0
    )
    followers_max = django_filters.NumberFilter(field_name="followers", lookup_expr="lte", label=_("to"), min_value=0)
    engagement_min = django_filters.NumberFilter(
        field_name="engagement_rate", lookup_expr="gte", label=_("Engagement % from"), min_value=0
    )
    engagement_max = django_filters.NumberFilter(
        field_name="engagement_rate", lookup_expr="lte", label=_("to"), min_value=0
    )
    price_min = django_filters.NumberFilter(method="filter_price", label=_("Price from"), min_value=0)
    price_max = django_filters.NumberFilter(method="filter_price", label=_("to"), min_value=0)
    verified = django_filters.BooleanFilter(
        method="filter_verified", label=_("Verified accounts only"), widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()), method="filter_noop", label=_("Sort by"), empty_label=None
    )

    class Meta:
        model = Creator
        fields: list[str] = []

    def window_base(self, sort: str, base):
        """The rows a dense page may walk in ``sort`` order (selectors.directory_page): ``base`` narrowed
        by the conditions an index serves in that order: the follower bounds (given, or implied by a tier)
        when sorting by followers; one tier (creator_dir_tier_engagement / _newest) and the engagement bounds
        when sorting by engagement or newest (the walk then starts at "6 %" inside "nano" instead of at the
        top, where no creator of "nano, 2-6 %" is)."""
        if not (self.is_bound and self.is_valid()):
            return base
        data = self.form.cleaned_data
        if sort == "followers":
            low, high = self._follower_bounds(data)
            if low is not None:
                base = base.filter(followers__gte=low)
            if high is not None:
                base = base.filter(followers__lt=high)
            return base
        tiers = data.get("tier") or []
        if len(tiers) == 1:
            base = base.filter(tier=tiers[0])
        if sort == "engagement":
            base = base.alias(_er=ENGAGEMENT_KEY)  # the sort index's own expression, so the index serves the range
            if data.get("engagement_min") is not None:
                base = base.filter(_er__gte=data["engagement_min"])
            if data.get("engagement_max") is not None:
                base = base.filter(_er__lte=data["engagement_max"])
        return base

    @staticmethod
    def _follower_bounds(data) -> tuple[int | None, int | None]:
        """[low, high) follower bounds of the followers range and tier filters together."""
        low = high = None
        if data.get("followers_min") is not None:
            low = int(data["followers_min"])
        if data.get("followers_max") is not None:
            high = int(data["followers_max"]) + 1
        tiers = data.get("tier") or []
        if tiers:
            bounds = sorted(thresholds())
            lows, highs = [], []
            for i, (bound, tier) in enumerate(bounds):
                if tier.value in tiers:
                    lows.append(bound)
                    highs.append(bounds[i + 1][0] if i + 1 < len(bounds) else None)
            low = max(low or 0, min(lows))
            if None not in highs:
                high = min(high, max(highs)) if high is not None else max(highs)
        return low, high

    def filter_noop(self, queryset, name, value):
        return queryset  # ordering is the selector's job (keyset pages)

    def filter_tier(self, queryset, name, value):
        """The tier, plus the follower range it implies: PostgreSQL cannot know that tier and followers
        go together, and would otherwise walk the followers index from the top (past every macro and
        mega creator) looking for micro ones. The range lets the index scan start where the tier starts."""
        if not value:
            return queryset
        bounds = sorted(thresholds())  # (lower bound, tier), smallest first
        lows, highs = [], []
        for i, (low, tier) in enumerate(bounds):
            if tier.value in value:
                lows.append(low)
                highs.append(bounds[i + 1][0] if i + 1 < len(bounds) else None)
        queryset = queryset.filter(tier__in=value, followers__gte=min(lows))
        if None not in highs:
            queryset = queryset.filter(followers__lt=max(highs))
        return queryset

    def filter_q(self, queryset, name, value):
        query = search_query(value)
        if query is None:
            return queryset
        return queryset.filter(search_vector=query)

    def filter_niche(self, queryset, name, value):
        if not value:
            return queryset
        through = Creator.niches.through
        return queryset.filter(
            Exists(through.objects.filter(creator_id=OuterRef("pk"), niche__in=[n.pk for n in value]))
        )

    def filter_platform(self, queryset, name, value):
        return queryset.filter(Exists(SocialAccount.objects.filter(creator_id=OuterRef("pk"), platform=value)))

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=[value])

    def filter_verified(self, queryset, name, value):
        if not value:
            return queryset
        accounts = SocialAccount.objects.filter(creator_id=OuterRef("pk"), verified=True)
        platform = self.form.cleaned_data.get("platform")
        if platform:
            accounts = accounts.filter(platform=platform)
        return queryset.filter(Exists(accounts))

    def filter_price(self, queryset, name, value):
        # Both bounds apply to the same rate-card entry; run once (for whichever bound comes first).
        data = self.form.cleaned_data
        if name == "price_max" and data.get("price_min") is not None:
            return queryset
        rates = RateCardEntry.objects.filter(creator_id=OuterRef("pk"))
        if data.get("price_min") is not None:
            rates = rates.filter(price__gte=data["price_min"])
        if data.get("price_max") is not None:
            rates = rates.filter(price__lte=data["price_max"])
        platform = data.get("platform")
        if platform:
            rates = rates.filter(platform=platform)
        return queryset.filter(Exists(rates))
