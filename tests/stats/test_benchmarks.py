"""One benchmark table: the media kit, the authenticity flags and matching judge an account alike."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stats.benchmarks import judge
from stats.engagement import authenticity_flags
from tests.factories import CreatorFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db


def _kit(client, platform, followers, rate):
    creator = CreatorFactory(handle=f"kit-{platform}-{followers}")
    SocialAccountFactory(creator=creator, platform=platform, followers=followers, engagement_rate=Decimal(rate))
    response = client.get(f"/c/{creator.handle}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("platform", "label", "followers", "rate", "band", "verdict"),
    [
        # YouTube is view-based: (likes + comments) / views, brightbean's 3–6 % shifted per tier.
        ("youtube", "YouTube", 5_000, "1.00", (3.5, 7.0), "below benchmark"),
        ("linkedin", "LinkedIn", 5_000, "6.00", (3.0, 5.0), "above benchmark"),
    ],
)
def test_media_kit_and_flags_use_the_same_band(client, platform, label, followers, rate, band, verdict):
    body = _kit(client, platform, followers, rate)
    assert f"Typical for Nano on {label}: {band[0]}–{band[1]} %" in body
    assert verdict in body

    # The flags judge the same account against the same band (far below = under a third of its low end).
    flags = authenticity_flags(platform, followers=followers, engagement=Decimal("0.50"), tier="nano")
    below = [f for f in flags if f.code == "engagement_below_benchmark"]
    assert [(f.numbers["band_low"], f.numbers["band_high"]) for f in below] == [band]


def test_emerging_accounts_have_no_band(client):
    body = _kit(client, "instagram", 800, "4.00")
    assert "Typical for" not in body and "above benchmark" not in body and "typical</span>" not in body
    assert "No benchmark for accounts under 1,000 followers" in body
    assert authenticity_flags("instagram", followers=800, engagement=Decimal("0.10"), tier=None) == []


def test_verdicts_at_the_band_edges():
    assert [judge("instagram", "micro", Decimal(v)).verdict for v in ("1.9", "2.0", "3.5", "3.6")] == [
        "below",
        "typical",
        "typical",
        "above",
    ]
    assert judge("instagram", "micro", None).verdict is None
    assert judge("instagram", None, Decimal("3")) is None and judge("myspace", "nano", Decimal("3")) is None
