"""What a campaign returned (issue 11): tracked links and promo codes, clicks per day, conversions.

Money is integer minor units with its ISO currency, as in payments. Clicks are counted in Redis (results/clicks.py)
and reach these tables only through the flush task, one row per link and day.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from campaigns.models import Application, Campaign
from core.encryption import EncryptedTextField


class TrackedLink(models.Model):
    """A hired creator's short link (/r/<code>) to the campaign's landing page, and their optional promo code."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="tracked_link")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tracked_links")
    code = models.CharField(max_length=16, unique=True)
    promo_code = models.CharField(_("promo code"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "promo_code"],
                condition=~Q(promo_code=""),
                name="trackedlink_promo_once_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"/r/{self.code}"


class ClickDay(models.Model):
    """One link's clicks on one day (UTC), written only by the flush (results/clicks.py), absolute values."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="click_days")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)
    unique_clicks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["link", "day"]
        constraints = [models.UniqueConstraint(fields=["link", "day"], name="clickday_one_per_link_day")]

    def __str__(self) -> str:
        return f"{self.link} on {self.day}: {self.clicks}"


class ConversionSource(models.TextChoices):
    CSV = "csv", _("CSV upload")
    API = "api", _("API")
    WEBHOOK = "webhook", _("Webhook")


class Conversion(models.Model):
    """An order the brand attributes to a creator's link or promo code; one per order id and brand."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="conversions")
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="conversions")
    order_id = models.CharField(max_length=100)
    amount = models.BigIntegerField(help_text=_("revenue in minor units (cents)"))
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=8, choices=ConversionSource.choices)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "order_id"], name="conversion_one_per_brand_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="conversion_amount_not_negative"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="conversion_currency_iso"),
        ]
        indexes = [models.Index(fields=["link"], name="conversion_link_idx")]

    def __str__(self) -> str:
        return f"Order {self.order_id} ({self.amount} {self.currency})"


class WebhookEndpoint(models.Model):
    """A brand's conversion webhook: its public address token and its signing secret (encrypted at rest)."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="conversion_webhook")
    token = models.CharField(max_length=32, unique=True)
    secret = EncryptedTextField()
    rotated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Conversion webhook of brand {self.brand_id}"


class WebhookDelivery(models.Model):
    """Each webhook event id is applied once per brand (a replayed or retried event finds its row)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "event_id"], name="webhookdelivery_once")]

    def __str__(self) -> str:
        return f"{self.brand_id}:{self.event_id}"
