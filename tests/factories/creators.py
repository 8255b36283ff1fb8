from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import factory

from core.models import Role
from core.vetting import VettingStatus
from creators.models import Creator, Deliverable, Platform, RateCardEntry, SocialAccount
from creators.services import creator_refresh_search
from creators.tiers import tier_for
from stats.models import StatsSnapshot

from .users import UserFactory


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.CREATOR)
    display_name = factory.Faker("name")
    handle = factory.Sequence(lambda n: f"creator-{n}")
    bio = "Honest reviews and everyday recipes."
    country = "GB"
    languages = factory.LazyFunction(lambda: ["en"])
    status = VettingStatus.APPROVED

    @factory.post_generation
    def niches(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.niches.set(extracted)
        if create:
            creator_refresh_search(creator_ids=[obj.pk])


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    creator = factory.SubFactory(CreatorFactory)
    platform = Platform.INSTAGRAM
    handle = factory.Sequence(lambda n: f"handle_{n}")
    followers = 12_000
    tier = factory.LazyAttribute(lambda o: tier_for(o.followers))


class RateCardEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateCardEntry

    creator = factory.SubFactory(CreatorFactory)
    platform = Platform.INSTAGRAM
    deliverable = Deliverable.POST
    price = Decimal("250")
    currency = "USD"


class StatsSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatsSnapshot

    account = factory.SubFactory(SocialAccountFactory)
    period = factory.Sequence(lambda n: date(2026, 1, 1) + timedelta(days=n))
    taken_at = factory.LazyAttribute(lambda o: datetime.combine(o.period, time(6), tzinfo=UTC))
    followers = 12_000
