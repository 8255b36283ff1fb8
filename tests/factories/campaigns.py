import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from campaigns.models import Campaign, ContentFormat, DeliverableSpec
from creators.models import Platform

from .brands import BrandFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    """A draft brief; publish it with campaigns.services.campaign_publish (tests change state through services)."""

    class Meta:
        model = Campaign

    brand = factory.SubFactory(BrandFactory)
    title = factory.Sequence(lambda n: f"Campaign {n}")
    product_description = "Oat bars for long hikes."
    platforms = factory.LazyFunction(lambda: [Platform.INSTAGRAM])
    fee_per_creator = Decimal("200.00")
    slots = 3
    total_budget = factory.LazyAttribute(lambda o: (o.fee_per_creator or 0) * o.slots)
    application_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    content_due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class DeliverableSpecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliverableSpec

    campaign = factory.SubFactory(CampaignFactory)
    platform = Platform.INSTAGRAM
    format = ContentFormat.REEL
    quantity = 1
