"""The statistics pipeline's own rows: daily snapshots of an account's numbers and authenticity flags.

The accounts themselves (``creators.SocialAccount``) belong to the profiles;
the pipeline writes their numbers through set-based SQL in ``stats.refresh``.
Both tables keep the names they had when they lived in ``creators`` (see
migrations/0001_initial.py), so moving the models moved no data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StatsSnapshot(models.Model):
    """One observation of an account's numbers; one per account and day (a retried task writes nothing twice)."""

    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="snapshots")
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
        db_table = "creators_statssnapshot"  # moved from creators without touching the data (migration 0001)
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
    """A suspicious pattern found by a refresh (stats.engagement.authenticity_flags), for admins.

    At most one *open* flag per account and code (a partial unique constraint),
    so every refresh can insert with ON CONFLICT DO NOTHING and a flag keeps the
    numbers of the refresh that first raised it. Resolving one lets the next
    refresh raise it again if the pattern is still there.
    """

    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40, choices=FlagCode.choices)
    message = models.TextField()
    numbers = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "creators_authenticityflag"  # moved from creators without touching the data
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


class Post(models.Model):
    """One published post of a linked account whose numbers the pipeline follows (issue 11: live-post metrics).

    A hired creator's deliverable points at it once it is live (``campaigns.Deliverable.post``). The latest
    numbers are kept on the row for lists and reports; the history is in ``PostSnapshot`` (one per day).
    A number the platform does not give stays NULL (Instagram gives no shares for most media, TikTok no saves).
    """

    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="posts")
    platform_post_id = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    published_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField()
    refreshed_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    likes = models.PositiveBigIntegerField(null=True, blank=True)
    comments = models.PositiveBigIntegerField(null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True)
    saves = models.PositiveBigIntegerField(null=True, blank=True)
    # The refresh's bookkeeping (stats.post_refresh), as for accounts: a failed round backs off, a post that is
    # gone (deleted, made private) is left alone. db_default: the set-based writers name their columns.
    last_attempted_at = models.DateTimeField(null=True, blank=True)
    refresh_error = models.TextField(blank=True, default="", db_default="")
    consecutive_failures = models.PositiveSmallIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["account", "-first_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "platform_post_id"], name="post_one_per_account_post_id")
        ]

    def __str__(self) -> str:
        return f"{self.account} post {self.platform_post_id}"


class PostSnapshot(models.Model):
    """One day's numbers of a followed post (one per post and day: a retried refresh writes nothing twice)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="snapshots")
    period = models.DateField()
    taken_at = models.DateTimeField()
    views = models.PositiveBigIntegerField(null=True)
    reach = models.PositiveBigIntegerField(null=True)
    likes = models.PositiveBigIntegerField(null=True)
    comments = models.PositiveBigIntegerField(null=True)
    shares = models.PositiveBigIntegerField(null=True)
    saves = models.PositiveBigIntegerField(null=True)

    class Meta:
        ordering = ["post", "period"]
        constraints = [models.UniqueConstraint(fields=["post", "period"], name="post_snapshot_one_per_day")]

    def __str__(self) -> str:
        return f"{self.post} on {self.period}"
