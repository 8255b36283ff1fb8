"""Creators, their linked social accounts and the history of their numbers (PRODUCT §2)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from marketplace.vetting import VettingStatus

from .tiers import Tier


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    YOUTUBE = "youtube", _("YouTube")
    LINKEDIN = "linkedin", _("LinkedIn")


class Niche(models.Model):
    """A topic of the curated taxonomy (seeded by a data migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Creator(models.Model):
    """A creator's public profile. Audience numbers are derived from linked accounts, never typed in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator")
    display_name = models.CharField(_("display name"), max_length=80)
    handle = models.SlugField(_("handle"), max_length=40, unique=True, help_text=_("Used in your media kit's address."))
    bio = models.TextField(_("bio"), max_length=1500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    niches = models.ManyToManyField(Niche, blank=True, related_name="creators")
    status = models.CharField(max_length=16, choices=VettingStatus.choices, default=VettingStatus.PENDING, db_index=True)
    status_reason = models.TextField(blank=True, help_text=_("Shown to the creator when rejected or suspended."))

    # Derived from the linked accounts by services.creator_recompute_audience(); never edited by hand.
    tier = models.CharField(max_length=8, choices=Tier.choices, null=True, blank=True, db_index=True, editable=False)
    followers = models.PositiveBigIntegerField(default=0, db_index=True, editable=False)
    engagement_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.display_name} (@{self.handle})"


class RefreshStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for first refresh")
    OK = "ok", _("Up to date")
    FAILING = "failing", _("Retrying")
    ERROR = "error", _("Needs re-linking")


class SocialAccount(models.Model):
    """One linked account. The numbers arrive from the statistics pipeline (PRODUCT §7)."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    handle = models.CharField(max_length=100)
    external_id = models.CharField(max_length=100, blank=True)
    verified = models.BooleanField(default=False)

    # TikTok reads each creator's stats with the creator's own OAuth token (never shown in the admin).
    access_token = models.TextField(blank=True, editable=False)

    # The hot numbers, rewritten by every refresh in one set-based UPDATE (creators/stats.py):
    # fixed-width columns only, so the row stays narrow and updates stay cheap.
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    following = models.PositiveBigIntegerField(null=True, blank=True)
    posts_count = models.PositiveIntegerField(null=True, blank=True)
    total_views = models.PositiveBigIntegerField(null=True, blank=True)
    avg_likes = models.FloatField(null=True, blank=True)
    avg_comments = models.FloatField(null=True, blank=True)
    avg_views = models.FloatField(null=True, blank=True)
    engagement_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    tier = models.CharField(max_length=8, choices=Tier.choices, null=True, blank=True, db_index=True)
    likes_hidden = models.BooleanField(default=False, help_text=_("The platform hides this account's like counts."))
    self_reported = models.BooleanField(default=False, help_text=_("Numbers typed in by the creator (LinkedIn)."))

    last_refreshed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    refresh_status = models.CharField(max_length=16, choices=RefreshStatus.choices, default=RefreshStatus.PENDING)
    refresh_error = models.TextField(blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "handle"]
        constraints = [
            models.UniqueConstraint("platform", Lower("handle"), name="socialaccount_platform_handle_unique"),
        ]
        indexes = [models.Index(fields=["platform", "followers"])]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"


class StatsSnapshot(models.Model):
    """One observation of an account's numbers; one per account and day (a retried task writes nothing twice)."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="snapshots")
    period = models.DateField()
    taken_at = models.DateTimeField()
    followers = models.PositiveBigIntegerField(null=True)
    avg_likes = models.FloatField(null=True)
    avg_comments = models.FloatField(null=True)
    avg_views = models.FloatField(null=True)
    engagement_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    following = models.PositiveBigIntegerField(null=True)
    posts_count = models.PositiveIntegerField(null=True)
    total_views = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["account", "period"]
        constraints = [models.UniqueConstraint(fields=["account", "period"], name="snapshot_one_per_account_period")]

    def __str__(self) -> str:
        return f"{self.account} on {self.period}"


class FlagCode(models.TextChoices):
    FOLLOWER_SPIKE = "follower_spike", _("Follower spike")
    ENGAGEMENT_BELOW = "engagement_below_benchmark", _("Engagement far below benchmark")
    ENGAGEMENT_ABOVE = "engagement_above_benchmark", _("Engagement far above benchmark")
    LIKES_OVER_VIEWS = "likes_over_views", _("Likes at or above views")


class AuthenticityFlag(models.Model):
    """A suspicious pattern found by a refresh (creators.engagement.authenticity_flags), for admins.

    At most one *open* flag per account and code (a partial unique constraint),
    so every refresh can insert with ON CONFLICT DO NOTHING and a flag keeps the
    numbers of the refresh that first raised it. Resolving one lets the next
    refresh raise it again if the pattern is still there.
    """

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40, choices=FlagCode.choices)
    message = models.TextField()
    numbers = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "code"],
                condition=models.Q(resolved_at__isnull=True),
                name="flag_one_open_per_account_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} on {self.account}"
