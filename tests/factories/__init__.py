"""factory_boy factories, one module per app; import them from here."""

from .brands import BrandFactory, BrandMemberFactory
from .campaigns import CampaignFactory, DeliverableSpecFactory
from .creators import CreatorFactory, RateCardEntryFactory, SocialAccountFactory, StatsSnapshotFactory
from .users import UserFactory

__all__ = [
    "BrandFactory",
    "BrandMemberFactory",
    "CampaignFactory",
    "CreatorFactory",
    "DeliverableSpecFactory",
    "RateCardEntryFactory",
    "SocialAccountFactory",
    "StatsSnapshotFactory",
    "UserFactory",
]
