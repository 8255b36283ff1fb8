"""Creators, their linked social accounts and the history of their numbers (PRODUCT §2)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower, Upper
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _

from audit.models import audit_relation
from core import site
from core.encryption import EncryptedTextField
from core.vetting import VettingStatus

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


class ContentFormat(models.TextChoices):
    PHOTO = "photo", _("Photo posts")
    SHORT_VIDEO = "short_video", _("Short video (Reels, TikTok, Shorts)")
    LONG_VIDEO = "long_video", _("Long video")
    STORIES = "stories", _("Stories")
    LIVE = "live", _("Live streams")
    UGC = "ugc", _("UGC for the brand's own ads")
    ARTICLE = "article", _("Articles and posts (LinkedIn, blogs)")
    REVIEW = "review", _("Product reviews")


def _policy_name(filename: str) -> str:
    """The stored file name: the upload policy's <uuid>.<ext> (core.uploads), never the user's name."""
    from pathlib import PurePath

    from core.uploads import SAFE_EXTENSIONS, new_name

    name = PurePath(filename).name
    stem, _dot, ext = name.rpartition(".")
    if ext.lower() in SAFE_EXTENSIONS and len(stem) == 32 and all(c in "0123456789abcdef" for c in stem):
        return name
    return new_name(ext.lower() if ext.lower() in SAFE_EXTENSIONS else "webp")


def avatar_path(instance: Creator, filename: str) -> str:
    return f"creators/{instance.pk or 'new'}/avatar/{_policy_name(filename)}"


def portfolio_path(instance: PortfolioItem, filename: str) -> str:
    return f"creators/{instance.creator_id}/portfolio/{_policy_name(filename)}"


class Creator(models.Model):
    """A creator's public profile. Audience numbers are derived from linked accounts, never typed in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator")
    display_name = models.CharField(_("display name"), max_length=80)
    handle = models.SlugField(_("handle"), max_length=40, unique=True, help_text=_("Used in your media kit's address."))
    bio = models.TextField(_("bio"), max_length=1500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    niches = models.ManyToManyField(Niche, blank=True, related_name="creators")
    content_formats = ArrayField(
        models.CharField(max_length=16, choices=ContentFormat.choices),
        default=list,
        blank=True,
        verbose_name=_("content formats"),
    )
    # Stored processed (EXIF stripped, 400x400 and 96x96 WebP) by services.creator_set_avatar().
    avatar = models.ImageField(upload_to=avatar_path, blank=True, editable=False)
    avatar_thumb = models.ImageField(upload_to=avatar_path, blank=True, editable=False)
    status = models.CharField(
        max_length=16, choices=VettingStatus.choices, default=VettingStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(blank=True, help_text=_("Shown to the creator when rejected or suspended."))

    # Derived from the linked accounts by services.creator_recompute_audience(); never edited by hand.
    # NULL = below the lowest tier (PRODUCT §1 "no tier"), a state of its own, not an empty string.
    tier = models.CharField(  # noqa: DJ001
        max_length=8,
        choices=Tier.choices,
        null=True,
        blank=True,
        db_index=True,
        editable=False,
    )
    followers = models.PositiveBigIntegerField(default=0, db_index=True, editable=False)
    engagement_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True, editable=False)
    # Full-text document (name, handle, niches, bio), kept by services.creator_refresh_search().
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    audit_entries = audit_relation()  # its history in the one audit log (audit.AuditEntry)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="creator_search_gin"),
            GinIndex(fields=["languages"], name="creator_languages_gin"),
            # the admin's searches of other lists by the creator's handle or name ("contains", core.admin_scale)
            GinIndex(OpClass(Upper("handle"), name="gin_trgm_ops"), name="creator_handle_trgm"),
            GinIndex(OpClass(Upper("display_name"), name="gin_trgm_ops"), name="creator_name_trgm"),
            # the admin's list, newest first, over every status (issue 13)
            models.Index(models.F("created_at").desc(), models.F("id").desc(), name="creator_created"),
            models.Index(fields=["country"], name="creator_country_idx"),
            # Keyset pages of the directory: one index per sort, only over listed (approved) creators.
            models.Index(
                models.F("followers").desc(),
                models.F("id").desc(),
                name="creator_dir_followers",
                condition=Q(status="approved"),
            ),
            models.Index(
                Coalesce("engagement_rate", -1).desc(),
                models.F("id").desc(),
                name="creator_dir_engagement",
                condition=Q(status="approved"),
            ),
            models.Index(
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="creator_dir_newest",
                condition=Q(status="approved"),
            ),
            # One tier by engagement or newest (issue 13): the directory's walk of the sort index starts inside the
            # tier instead of passing every creator of the other tiers (by followers, the range does that).
            models.Index(
                "tier",
                Coalesce("engagement_rate", -1).desc(),
                models.F("id").desc(),
                name="creator_dir_tier_engagement",
                condition=Q(status="approved"),
            ),
            models.Index(
                "tier",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="creator_dir_tier_newest",
                condition=Q(status="approved"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (@{self.handle})"

    # --- What core.vetting needs to vet a creator ---

    @property
    def vetting_name(self) -> str:
        return f"@{self.handle}"

    def vetting_recipients(self) -> list:
        return [self.user]

    def after_vetting(self) -> None:
        """core.vetting calls it in the decision's transaction: matching lists approved creators only."""
        from .changes import creators_changed

        creators_changed([self.pk])

    def vetting_email(self, status: str, reason: str) -> tuple[str, str]:
        """Subject and body of the decision email, in the active language (the vetting service sets it)."""
        values = {
            "name": self.display_name,
            "handle": self.handle,
            "reason": reason,
            "kit": site.absolute_url(reverse("creators:media_kit", args=[self.handle])),
        }
        if status == VettingStatus.APPROVED:
            return gettext("Your creator profile is approved"), gettext(
                "Hi %(name)s,\n\nyour profile @%(handle)s is approved: brands can now find you in the directory "
                "and you can apply to campaigns.\n\nYour media kit: %(kit)s\n"
            ) % values
        if status == VettingStatus.REJECTED:
            return gettext("Your creator profile was not approved"), gettext(
                "Hi %(name)s,\n\nwe could not approve your profile @%(handle)s.\n\nReason: %(reason)s\n\n"
                "You can update your profile and reply to this email to ask for another review.\n"
            ) % values
        return gettext("Your creator profile is suspended"), gettext(
            "Hi %(name)s,\n\nyour profile @%(handle)s is suspended and hidden from brands.\n\nReason: %(reason)s\n"
        ) % values


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

    # TikTok reads each creator's stats with the creator's own OAuth token: encrypted at rest
    # (core/encryption.py), never shown in the admin.
    access_token = EncryptedTextField(blank=True, editable=False)
    # Set when the owner connected the account through the platform's OAuth flow (marketplace/oauth.py):
    # that is what "verified" means. The refresh token is encrypted like the access token; the beat renews
    # the access token before token_expires_at (creators/tokens.py).
    refresh_token = EncryptedTextField(blank=True, editable=False, db_default="")  # set-based writers omit it
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    connected_at = models.DateTimeField(null=True, blank=True, editable=False)

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
    tier = models.CharField(max_length=8, choices=Tier.choices, null=True, blank=True, db_index=True)  # noqa: DJ001
    likes_hidden = models.BooleanField(default=False, help_text=_("The platform hides this account's like counts."))
    self_reported = models.BooleanField(default=False, help_text=_("Numbers typed in by the creator (LinkedIn)."))
    # db_default: the set-based writers (stats.refresh, seed_benchmark_creators) name their columns.
    followers_hidden = models.BooleanField(
        default=False,
        db_default=False,
        help_text=_("The owner hides the count (a YouTube channel's hidden subscriber count)."),
    )

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
        indexes = [
            models.Index(fields=["platform", "followers"]),
            models.Index(fields=["creator", "platform"], name="account_creator_platform"),
            # the admin's searches by handle or platform id ("contains", core.admin_scale)
            GinIndex(OpClass(Upper("handle"), name="gin_trgm_ops"), name="account_handle_trgm"),
            GinIndex(OpClass(Upper("external_id"), name="gin_trgm_ops"), name="account_external_id_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} @{self.handle}"

    def save(self, *args, **kwargs):
        # The tier follows the followers wherever they are written from (PRODUCT §1: never typed in).
        from .tiers import tier_for

        tier = tier_for(self.followers)
        self.tier = tier.value if tier else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "followers" in update_fields:
            kwargs["update_fields"] = {*update_fields, "tier"}
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        """No numbers yet because no refresh has read them (a hidden count is not pending: it stays hidden)."""
        return self.followers is None and not self.followers_hidden


class DemographicsSource(models.TextChoices):
    PLATFORM = "platform", _("From the platform")
    SELF_REPORTED = "self_reported", _("Self-reported")
    DEMO = "demo", _("Demo data")


class AudienceDemographics(models.Model):
    """Who follows one linked account (issue 11): percentages per country, age bracket and gender.

    Values are percentages of the audience (creators/demographics.py validates them: 0–100, totals ≤ 100, known
    country codes); ``source`` says where they came from, and self-reported values are marked so wherever shown.
    """

    account = models.OneToOneField(SocialAccount, on_delete=models.CASCADE, related_name="demographics")
    source = models.CharField(max_length=16, choices=DemographicsSource.choices)
    countries = models.JSONField(default=dict, blank=True)  # {"US": 41.5, "GB": 12.0}: the top countries
    ages = models.JSONField(default=dict, blank=True)  # {"18-24": 30.0, ...}: creators.demographics.AGE_BRACKETS
    genders = models.JSONField(default=dict, blank=True)  # {"female": 55.0, "male": 43.0, "other": 2.0}
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = _("audience demographics")

    def __str__(self) -> str:
        return f"Audience of {self.account} ({self.source})"

    @property
    def is_self_reported(self) -> bool:
        return self.source == DemographicsSource.SELF_REPORTED


class Deliverable(models.TextChoices):
    POST = "post", _("Feed post")
    REEL = "reel", _("Reel / short video")
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    SHORT = "short", _("Short")
    LIVE = "live", _("Live stream")
    ARTICLE = "article", _("Article / text post")
    UGC = "ugc", _("UGC video (brand's own ads)")


class Currency(models.TextChoices):
    USD = "USD", "USD $"
    EUR = "EUR", "EUR €"
    GBP = "GBP", "GBP £"


class RateCardEntry(models.Model):
    """What a creator charges for one deliverable on one platform."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="rates")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    deliverable = models.CharField(_("deliverable"), max_length=16, choices=Deliverable.choices)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    note = models.CharField(_("note"), max_length=140, blank=True, help_text=_("e.g. includes 30 days of usage rights"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform", "deliverable", "price"]
        constraints = [
            models.UniqueConstraint(fields=["creator", "platform", "deliverable"], name="rate_one_per_deliverable"),
            models.CheckConstraint(condition=Q(price__gt=0), name="rate_price_positive"),
        ]
        indexes = [models.Index(fields=["creator", "price"], name="rate_creator_price")]
        verbose_name_plural = _("rate card entries")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.get_deliverable_display()}: {self.price} {self.currency}"


class PortfolioItem(models.Model):
    """A piece of past work: an uploaded image or a link, with a caption."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="portfolio")
    image = models.ImageField(upload_to=portfolio_path, blank=True, editable=False)
    thumb = models.ImageField(upload_to=portfolio_path, blank=True, editable=False)
    url = models.URLField(_("link"), blank=True, help_text=_("A post, video or article you made."))
    caption = models.CharField(_("caption"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(image="") | ~Q(url=""), name="portfolio_image_or_link"),
        ]

    def __str__(self) -> str:
        return self.caption
