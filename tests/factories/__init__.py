"""factory_boy factories, one module per app; import them from here."""

from .brands import BrandFactory, BrandMemberFactory
from .creators import CreatorFactory, SocialAccountFactory
from .users import UserFactory

__all__ = ["BrandFactory", "BrandMemberFactory", "CreatorFactory", "SocialAccountFactory", "UserFactory"]

from .campaigns import CampaignFactory, DeliverableSpecFactory  # noqa: E402

__all__ += ["CampaignFactory", "DeliverableSpecFactory"]
