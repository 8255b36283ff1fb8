from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import bounded_slugs, object_id
from creators.api.serializers import ReputationSerializer
from creators.models import Niche, Platform
from creators.tiers import Tier

from .. import limits
from ..eligibility import eligibility
from ..models import (
    Application,
    ApplicationStatus,
    Campaign,
    CampaignStatus,
    CompensationType,
    ContentFormat,
    DeliverableSpec,
    Goal,
    Review,
    UsageRights,
)
from ..reputation import brand_reputation
from ..services import BRIEF_FIELDS, brief_problems


class DeliverableSpecSerializer(serializers.ModelSerializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    format = serializers.ChoiceField(choices=ContentFormat.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=limits.MAX_DELIVERABLE_QUANTITY, default=1)

    class Meta:
        model = DeliverableSpec
        fields = ["platform", "format", "quantity"]

    def validate(self, attrs):
        problem = limits.spec_format_problem(attrs.get("platform", ""), attrs.get("format", ""))
        if problem:
            raise serializers.ValidationError({"format": [problem]})
        return attrs


class BrandRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    brand = BrandRefSerializer(read_only=True)
    niches = bounded_slugs(
        Niche.objects.all(),
        max_length=limits.MAX_BRIEF_NICHES,
        required=False,
        message=f"Pick at most {limits.MAX_BRIEF_NICHES} niches.",
    )
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices), required=False, max_length=limits.MAX_BRIEF_PLATFORMS
    )
    target_tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=Tier.choices), required=False, max_length=limits.MAX_BRIEF_TIERS
    )
    countries = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}$"), required=False, max_length=limits.MAX_BRIEF_COUNTRIES
    )
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z-]{2,8}$"), required=False, max_length=limits.MAX_BRIEF_LANGUAGES
    )
    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    compensation_type = serializers.ChoiceField(choices=CompensationType.choices, required=False)
    usage_rights = serializers.ChoiceField(choices=UsageRights.choices, required=False)
    deliverables = DeliverableSpecSerializer(
        many=True, source="deliverable_specs", required=False, max_length=limits.MAX_DELIVERABLE_ROWS
    )
    missed_requirements = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "brand",
            "status",
            "published_at",
            *BRIEF_FIELDS,
            "niches",
            "deliverables",
            "missed_requirements",
        ]
        read_only_fields = ["id", "brand", "status", "published_at", "missed_requirements"]

    def get_missed_requirements(self, campaign) -> list[str] | None:
        """For a creator: the brief's requirements they miss (empty when eligible); null for others."""
        creator = self.context.get("creator")
        return eligibility(creator, campaign) if creator is not None else None

    def validate(self, attrs):
        current = {f: getattr(self.instance, f) for f in BRIEF_FIELDS} if self.instance else {}
        merged = current | attrs
        old_deadline = self.instance.application_deadline if self.instance else None
        problems = brief_problems(merged, check_dates=merged.get("application_deadline") != old_deadline)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class CampaignDetailSerializer(CampaignSerializer):
    """One campaign, with its brand's reputation (issue 12): the rating creators gave it and its scores from
    facts, each with its numbers. Reviews themselves are ``GET reviews/?brand=<id>``."""

    brand_reputation = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "brand_reputation"]
        read_only_fields = [*CampaignSerializer.Meta.read_only_fields, "brand_reputation"]

    @extend_schema_field(ReputationSerializer)
    def get_brand_reputation(self, obj) -> dict:
        rep = brand_reputation([obj.brand_id])[obj.brand_id]
        return ReputationSerializer(
            {"rating_shown": rep.rating_shown, "review_count": rep.reviews, "scores": rep.scores}
        ).data


class ApplicationSerializer(serializers.ModelSerializer):
    campaign = object_id(source="campaign_id")
    creator = serializers.SerializerMethodField()
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    pitch = serializers.CharField(max_length=limits.MAX_PITCH_LENGTH)
    sample_links = serializers.ListField(
        child=serializers.URLField(max_length=limits.MAX_LINK_LENGTH),
        max_length=limits.MAX_SAMPLE_LINKS,
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "creator",
            "status",
            "pitch",
            "proposed_rate",
            "sample_links",
            "decline_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "decline_message", "created_at", "updated_at"]

    def get_creator(self, application) -> dict:
        c = application.creator
        return {
            "id": c.pk,
            "handle": c.handle,
            "display_name": c.display_name,
            "tier": c.tier,
            "followers": c.followers,
            "engagement_rate": c.engagement_rate,
        }


class DeclineSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=limits.MAX_DECLINE_MESSAGE_LENGTH)


class AcceptSerializer(serializers.Serializer):
    """POST applications/{id}/accept/. Accepting asks for a confirmation when there is something to warn about:
    the proposed rate above the brief's fee per creator, above what is left of the budget (budget minus the fees
    of the hired creators), or a creator who no longer meets the brief's requirements. Without ``confirm: true``
    such an accept answers 400, ``errors.confirm`` listing each warning with its numbers, and changes nothing.
    With no warning the accept goes through whatever ``confirm`` says."""

    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: accept even though there are warnings (read them first from a 400 naming `confirm`).",
    )


class CampaignFilterSerializer(serializers.Serializer):
    """GET campaigns/: the query parameters (a value outside these is a 400, not ignored)."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=limits.MAX_SEARCH_LENGTH,
        help_text="Words in the title, the product or the brand's name (creators).",
    )
    niche = serializers.SlugField(required=False, allow_blank=True, max_length=50, help_text="A niche slug (creators).")
    platform = serializers.ChoiceField(choices=Platform.choices, required=False, allow_blank=True)
    compensation = serializers.ChoiceField(choices=CompensationType.choices, required=False, allow_blank=True)
    fee_min = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    fee_max = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    deadline_before = serializers.DateField(required=False)
    status = serializers.ChoiceField(
        choices=CampaignStatus.choices,
        required=False,
        allow_blank=True,
        help_text="Brand members and staff: only campaigns in this state.",
    )
    sort = serializers.ChoiceField(choices=["newest", "deadline", "fee"], required=False, allow_blank=True)


class ApplicationFilterSerializer(serializers.Serializer):
    """GET applications/: the query parameters."""

    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False, allow_blank=True)
    campaign = object_id(required=False, help_text="Only applications to this campaign.")


class MatchSignalSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    value = serializers.FloatField(help_text="0…1")
    points = serializers.FloatField(help_text="weight × value")
    detail = serializers.CharField(help_text="the formula with this creator's numbers (reputation), else empty")


class RecommendationSerializer(serializers.Serializer):
    """One ranked creator for a campaign (PRODUCT §6): ``score`` (0–100) is the sum of the signals' points."""

    id = serializers.IntegerField()
    handle = serializers.CharField()
    display_name = serializers.CharField()
    tier = serializers.CharField(allow_null=True)
    followers = serializers.IntegerField()
    engagement_rate = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    country = serializers.CharField()
    score = serializers.SerializerMethodField()
    signals = serializers.SerializerMethodField()

    def get_score(self, obj) -> float:
        return round(obj.match_score, 2)

    def get_signals(self, obj) -> list[dict]:
        from ..matching import signals_of

        return MatchSignalSerializer([s.__dict__ for s in signals_of(obj)], many=True).data


class RecommendationPageSerializer(serializers.Serializer):
    """One page of a campaign's recommendations, best first. No total: follow ``next`` until it is null."""

    next = serializers.URLField(
        allow_null=True, help_text="The next page (the same query with a `cursor`); null on the last page."
    )
    results = RecommendationSerializer(many=True)


def _rating(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=5, **kwargs)


class ReviewSerializer(serializers.ModelSerializer):
    """A visible review (double-blind: listed once both sides are in or the 14-day window closed)."""

    application = object_id(write_only=True, help_text="The ended application you review.")
    overall = _rating()
    communication = _rating()
    quality = _rating(
        help_text="Quality of the work (brand reviewing a creator) or clarity of the brief (creator reviewing a brand)."
    )
    timeliness = _rating()
    text = serializers.CharField(max_length=3000)
    campaign = serializers.CharField(source="application.campaign.title", read_only=True)
    creator = serializers.CharField(source="application.creator.handle", read_only=True)
    brand = serializers.CharField(source="application.campaign.brand.name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "application",
            "side",
            "overall",
            "communication",
            "quality",
            "timeliness",
            "text",
            "reply",
            "campaign",
            "creator",
            "brand",
            "created_at",
        ]
        read_only_fields = ["id", "side", "reply", "created_at"]


class ReviewFilterSerializer(serializers.Serializer):
    """GET reviews/: name exactly one of creator or brand."""

    creator = object_id(required=False, help_text="Reviews of this creator (written by brands).")
    brand = object_id(required=False, help_text="Reviews of this brand (written by creators).")

    def validate(self, attrs):
        if bool(attrs.get("creator")) == bool(attrs.get("brand")):
            raise serializers.ValidationError("Name exactly one of creator or brand.")
        return attrs
