"""Campaign briefs, applications, deliverables, messages and notifications (PRODUCT §4–§5).

Statuses are changed only by campaigns.services.moves._transition(); nothing else assigns ``.status``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import audit_relation
from brands.models import Brand
from creators.models import Creator, Niche, Platform
from creators.tiers import Tier

from .limits import MAX_DELIVERABLE_QUANTITY


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Goal(models.TextChoices):
    AWARENESS = "awareness", _("Awareness")
    SALES = "sales", _("Sales")
    UGC = "ugc", _("UGC for the brand's own ads")


class CompensationType(models.TextChoices):
    FEE = "fee", _("Fixed fee per creator")
    GIFTED = "gifted", _("Gifted product")
    COMMISSION = "commission", _("Commission")
    MIX = "mix", _("A mix")


class UsageRights(models.TextChoices):
    ORGANIC = "organic", _("Organic only")
    PAID_ADS = "paid_ads", _("Paid ads")


class ContentFormat(models.TextChoices):
    POST = "post", _("Post")
    REEL = "reel", _("Reel")
    STORY = "story", _("Story")
    SHORT = "short", _("Short video")
    VIDEO = "video", _("Long video")
    LIVE = "live", _("Live stream")
    ARTICLE = "article", _("Article")


class Campaign(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("title"), max_length=140)
    product_description = models.TextField(_("what the product is"), max_length=4000)
    goal = models.CharField(_("goal"), max_length=16, choices=Goal.choices, default=Goal.AWARENESS)

    # Eligibility: target tiers, platforms, minimum followers and countries are hard requirements.
    niches = models.ManyToManyField(Niche, blank=True, related_name="campaigns")
    platforms = ArrayField(models.CharField(max_length=16, choices=Platform.choices), default=list, blank=True)
    target_tiers = ArrayField(models.CharField(max_length=8, choices=Tier.choices), default=list, blank=True)
    min_followers = models.PositiveIntegerField(_("minimum followers"), default=0)
    min_engagement_rate = models.DecimalField(
        _("minimum engagement rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    countries = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True)

    compensation_type = models.CharField(
        _("compensation"), max_length=16, choices=CompensationType.choices, default=CompensationType.FEE
    )
    fee_per_creator = models.DecimalField(
        _("fee per creator"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    gifted_product = models.CharField(_("gifted product"), max_length=200, blank=True)
    gifted_value = models.DecimalField(
        _("gifted product value"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    commission_percent = models.DecimalField(
        _("commission (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    total_budget = models.DecimalField(
        _("total budget"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    slots = models.PositiveSmallIntegerField(_("creator slots"), default=1, validators=[MinValueValidator(1)])

    application_deadline = models.DateField(_("application deadline"), db_index=True)
    content_due_date = models.DateField(_("content due date"))

    usage_rights = models.CharField(
        _("usage rights"), max_length=16, choices=UsageRights.choices, default=UsageRights.ORGANIC
    )
    usage_duration_months = models.PositiveSmallIntegerField(_("usage duration (months)"), null=True, blank=True)
    # Where the hired creators' tracked links (/r/<code>, the results app) send their audience, with UTM parameters.
    landing_url = models.URLField(
        _("landing page"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where tracked links send people (http or https), e.g. https://example.com/oat-bars."),
    )
    dos = models.TextField(_("do's"), blank=True, max_length=3000)
    donts = models.TextField(_("don'ts"), blank=True, max_length=3000)

    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True, editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    audit_entries = audit_relation()  # its history in the one audit log (audit.AuditEntry)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "application_deadline"]),
            # the admin's searches of applications by the campaign's title ("contains", core.admin_scale)
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="campaign_title_trgm"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def platform_labels(self) -> list[str]:
        return [str(Platform(p).label) for p in self.platforms]

    @property
    def pays_fee(self) -> bool:
        return self.compensation_type in (CompensationType.FEE, CompensationType.MIX) and bool(self.fee_per_creator)


class DeliverableSpec(models.Model):
    """One line of the brief: platform + format + quantity (e.g. one Instagram reel)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliverable_specs")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    format = models.CharField(_("format"), max_length=16, choices=ContentFormat.choices)
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_DELIVERABLE_QUANTITY)]
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_platform_display()} {self.get_format_display()}"


class ReferenceImage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reference_images")
    image = models.ImageField(upload_to="campaigns/references/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Reference image {self.pk} of campaign {self.campaign_id}"


class ApplicationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_SELECTED = "not_selected", _("Not selected")  # the campaign ended before a decision (system move)


class Application(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="applications")
    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(max_length=16, choices=ApplicationStatus.choices, db_index=True, editable=False)
    pitch = models.TextField(_("pitch"), max_length=3000, blank=True)
    proposed_rate = models.DecimalField(
        _("proposed rate"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sample_links = ArrayField(models.URLField(max_length=500), default=list, blank=True, size=5)
    decline_message = models.TextField(blank=True, max_length=2000)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # When the work ended (completed, or the campaign ended after a hire): opens the 14-day review window.
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    audit_entries = audit_relation()  # its history in the one audit log (audit.AuditEntry)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # PRODUCT §5: one application per creator per campaign, held by the database.
            models.UniqueConstraint(fields=["campaign", "creator"], name="application_one_per_creator_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.creator_id} → {self.campaign_id} ({self.status})"


class DeliverableStatus(models.TextChoices):
    PENDING = "pending", _("To do")
    SUBMITTED = "submitted", _("In review")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")
    APPROVED = "approved", _("Approved")
    LIVE = "live", _("Live")


class Deliverable(models.Model):
    """One piece of content an accepted creator owes, created from the brief on acceptance."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deliverables")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    format = models.CharField(max_length=16, choices=ContentFormat.choices)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=24, choices=DeliverableStatus.choices, default=DeliverableStatus.PENDING, editable=False
    )
    live_url = models.URLField(blank=True, max_length=500)
    # The followed post behind live_url (issue 11): its numbers feed the campaign report and the media kit.
    post = models.ForeignKey(
        "stats.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliverables"
    )
    audit_entries = audit_relation()  # its history in the one audit log (audit.AuditEntry)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.get_format_display()}"


def draft_upload_to(instance, filename: str) -> str:
    """Drafts are unpublished work: campaigns/drafts/d<deliverable>/<uuid>.<ext>, the extension the upload policy
    detected from the content (core.uploads); any other extension is dropped, never kept from the user."""
    import uuid
    from pathlib import PurePath

    from core.uploads import SAFE_EXTENSIONS

    ext = PurePath(filename).suffix.lower().lstrip(".")
    return (
        f"campaigns/drafts/d{instance.deliverable_id}/{uuid.uuid4().hex}{'.' + ext if ext in SAFE_EXTENSIONS else ''}"
    )


class SubmissionStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")


class Submission(models.Model):
    """One draft for a deliverable: an uploaded file or a link, and the brand's verdict."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="submissions")
    file = models.FileField(upload_to=draft_upload_to, blank=True)
    link = models.URLField(blank=True, max_length=500)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=24, choices=SubmissionStatus.choices, default=SubmissionStatus.IN_REVIEW)
    brand_comment = models.TextField(blank=True, max_length=2000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Draft {self.pk} for deliverable {self.deliverable_id} ({self.status})"


class Message(models.Model):
    """A note in the thread every application has between the brand team and the creator."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # the inbox's last message and unread counts per thread
        indexes = [models.Index(fields=["application", "id"], name="message_thread_idx")]

    def __str__(self) -> str:
        return f"Message {self.pk} on application {self.application_id}"


class ThreadReadMarker(models.Model):
    """How far one person has read one application's thread: messages with a larger id are unread for them.

    A message id rather than a time: ids are unique and ordered, so "read up to" has no ties. Written only by
    ``campaigns.services.thread_mark_read``, which never moves the marker backwards.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="read_markers")
    last_read_message_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "application"], name="threadreadmarker_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.application_id} up to {self.last_read_message_id}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=255)
    target_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.verb


REVIEW_WINDOW_DAYS = 14


class ReviewSide(models.TextChoices):
    """Who wrote the review; the other side is its subject."""

    CREATOR = "creator", _("Creator reviewing the brand")
    BRAND = "brand", _("Brand reviewing the creator")


def _rating(verbose: str):
    return models.PositiveSmallIntegerField(verbose, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Review(models.Model):
    """PRODUCT §2 Review: each side of an ended application rates the other, once, within 14 days.

    Double-blind: ``published_at`` is set on both when the second review arrives; until then (or until
    ``window_closes_at``) nobody but its author sees it. ``quality`` is the quality of the work when a brand
    reviews a creator, and the clarity of the brief when a creator reviews a brand.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    side = models.CharField(max_length=8, choices=ReviewSide.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    overall = _rating(_("overall"))
    communication = _rating(_("communication"))
    quality = _rating(_("quality of work / clarity of brief"))
    timeliness = _rating(_("timeliness"))
    text = models.TextField(_("review"), max_length=3000)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    window_closes_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    audit_entries = audit_relation()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "side"], name="review_one_per_side"),
            *[
                models.CheckConstraint(condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"review_{f}_1_5")
                for f in ("overall", "communication", "quality", "timeliness")
            ],
        ]
        indexes = [
            # The platform mean of matching's reputation signal, an index-only scan (issue 13).
            models.Index(
                fields=["side", "overall"],  # side: the mean's query groups by it (an index-only scan needs it)
                include=["published_at", "window_closes_at"],
                name="review_brand_mean",
                condition=models.Q(side="brand", hidden_at__isnull=True),
            ),
            # The unpublished ratings whose window has closed: the part of the platform mean that time changes
            # (RatingTotal holds the rest).
            models.Index(
                fields=["window_closes_at"],
                include=["overall"],
                name="review_brand_unpublished",
                condition=models.Q(side="brand", hidden_at__isnull=True, published_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} review of application {self.application_id}: {self.overall}/5"


class RatingTotal(models.Model):
    """The published, shown brand-side ratings summed and counted (one row, id 1): the part of matching's platform
    mean μ that only a write changes (issue 13; the unpublished ratings whose window has closed are added at read
    time, see campaigns.matching._mean_cte). Kept by a trigger on the reviews table (migration 0015), so every
    write counts, in the writer's transaction, whichever code makes it."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    total = models.BigIntegerField()
    ratings = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.ratings} published ratings summing to {self.total}"


class ReminderSent(models.Model):
    """One row per reminder ever sent: the unique key makes a duplicated beat tick send nothing twice."""

    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=64)  # the object (and side/day) the reminder is about
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.key}"


class MatchFeatures(models.Model):
    """One narrow row per creator with what matching reads of them (issue 13), so ranking creators for a brief
    is column arithmetic over ~100-byte rows instead of correlated subqueries over four tables.

    Written only by ``campaigns.match_features.match_features_refresh`` (set-based), which the creators' write
    services (through ``creators.changes``), the stats pipeline (``creator_recompute_audience``) and the
    campaigns services that change a reputation fact call. The score itself is still the formula of
    ``campaigns.matching``; these columns only decide *which* creators are worth scoring (an upper and a lower
    bound of each creator's score), so the page is the formula's as long as the bounds hold. Services that create
    a deliverable, write demographics or change a rating rewrite the row in their transaction.
    """

    creator = models.OneToOneField(Creator, on_delete=models.CASCADE, primary_key=True, related_name="+")
    approved = models.BooleanField()
    # the hard requirements' columns (copies of the creator's, the platforms of its accounts)
    tier = models.CharField(max_length=8, null=True)  # noqa: DJ001
    followers = models.BigIntegerField()
    engagement_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    country = models.CharField(max_length=2)
    languages = ArrayField(models.CharField(max_length=8))
    platforms = ArrayField(models.CharField(max_length=16))
    niche_ids = ArrayField(models.IntegerField())
    # signal inputs
    engagement = models.FloatField()  # the engagement signal's value (0..1), the band table applied
    min_price = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    reviews = models.IntegerField()  # visible brand-side ratings: count and sum
    rating_sum = models.IntegerField()
    reviews_blind = models.IntegerField()  # not hidden, not visible yet: may become visible without a write
    drafted = models.IntegerField()  # deliverables with a due date and a draft
    on_time = models.IntegerField()  # ... of which the first draft came by the due date
    pending = models.IntegerField(default=0)  # deliverables with a due date and no draft yet: may fall due
    completed = models.IntegerField()
    # an audience is known (demographics with countries on an account with followers): the country half of the
    # audience term is then the audience's share, anywhere from 0 to 1, else the creator's own country
    audience_known = models.BooleanField(default=False)
    # 20 × engagement + 10 × an upper bound of reputation that holds for any platform mean: the sort key that
    # lets a broad brief start from the creators who can score highest
    static_bound = models.FloatField()

    class Meta:
        indexes = [
            models.Index(
                models.F("static_bound").desc(),
                models.F("creator").desc(),
                name="matchfeat_bound",
                condition=models.Q(approved=True),
            ),
            # Country and niches in one GIN index (btree_gin for the country): the approved creators of a narrow
            # brief without walking the 100k creators of one popular niche (issue 13). Tier, platforms and
            # languages are left out on purpose: each value is held by 300k+ creators at 1M, and a GIN scan that
            # must merge such lists (nano or micro; Instagram or TikTok; English) took 100 ms where country and
            # niches find the same few hundred rows in ~20 ms and the rest is checked on those rows.
            GinIndex(
                fields=["country", "niche_ids"],
                name="matchfeat_filters_gin",
                condition=models.Q(approved=True),
            ),
            # A brief's least number of followers (the one hard requirement a scalar range serves): a brief that
            # names no country or niche reads the creators above it here (at 1M, "50,000 or more" is 67k rows of
            # the 1M) instead of the whole table (issue 13).
            models.Index(fields=["followers"], name="matchfeat_followers", condition=models.Q(approved=True)),
        ]

    def __str__(self) -> str:
        return f"match features of creator {self.creator_id}"
