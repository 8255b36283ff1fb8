import factory

from creators.models import Creator, Platform, SocialAccount
from creators.tiers import tier_for
from marketplace.models import Role
from marketplace.vetting import VettingStatus

from .users import UserFactory


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    user = factory.SubFactory(UserFactory, role=Role.CREATOR)
    display_name = factory.Faker("name")
    handle = factory.Sequence(lambda n: f"creator-{n}")
    bio = "Honest reviews and everyday recipes."
    country = "GB"
    languages = factory.LazyFunction(lambda: ["en"])
    status = VettingStatus.APPROVED


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    creator = factory.SubFactory(CreatorFactory)
    platform = Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"handle_{n}")
    followers = 12_000
    tier = factory.LazyAttribute(lambda o: tier_for(o.followers))
