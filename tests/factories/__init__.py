"""factory_boy factories, one module per app; import them from here."""

from .brands import BrandFactory, BrandMemberFactory
from .creators import CreatorFactory, RateCardEntryFactory, SocialAccountFactory, StatsSnapshotFactory
from .users import UserFactory

__all__ = ["BrandFactory", "BrandMemberFactory", "CreatorFactory", "RateCardEntryFactory", "SocialAccountFactory",
           "StatsSnapshotFactory", "UserFactory"]
