import pytest

from creators.tiers import Tier, tier_for


@pytest.mark.parametrize(
    ("followers", "tier"),
    [
        (None, None),
        (0, None),
        (999, None),
        (1_000, Tier.NANO),
        (9_999, Tier.NANO),
        (10_000, Tier.MICRO),
        (99_999, Tier.MICRO),
        (100_000, Tier.MACRO),
        (999_999, Tier.MACRO),
        (1_000_000, Tier.MEGA),
        (250_000_000, Tier.MEGA),
    ],
)
def test_every_edge_of_the_tier_table(followers, tier):
    assert tier_for(followers) == tier


def test_thresholds_are_one_setting(settings):
    settings.CREATOR_TIER_THRESHOLDS = {"nano": 1_000, "micro": 10_000, "macro": 50_000, "mega": 500_000}
    assert tier_for(60_000) == Tier.MACRO
    assert tier_for(500_000) == Tier.MEGA
