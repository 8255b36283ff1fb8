from __future__ import annotations

from rest_framework import serializers

from creators.models import Niche, Platform
from creators.tiers import Tier

from ..eligibility import eligibility
from ..models import Application, Campaign, CompensationType, ContentFormat, DeliverableSpec, Goal, UsageRights
from ..services import BRIEF_FIELDS, brief_problems


class DeliverableSpecSerializer(serializers.ModelSerializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    format = serializers.ChoiceField(choices=ContentFormat.choices)
    quantity = serializers.IntegerField(min_value=1, max_value=50, default=1)

    class Meta:
        model = DeliverableSpec
        fields = ["platform", "format", "quantity"]


class BrandRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CampaignSerializer(serializers.ModelSerializer):
    brand = BrandRefSerializer(read_only=True)
    niches = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Niche.objects.all(), required=False)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=Platform.choices), required=False)
    target_tiers = serializers.ListField(child=serializers.ChoiceField(choices=Tier.choices), required=False)
    countries = serializers.ListField(child=serializers.RegexField(r"^[A-Za-z]{2}$"), required=False)
    languages = serializers.ListField(child=serializers.RegexField(r"^[A-Za-z-]{2,8}$"), required=False)
    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    compensation_type = serializers.ChoiceField(choices=CompensationType.choices, required=False)
    usage_rights = serializers.ChoiceField(choices=UsageRights.choices, required=False)
    deliverables = DeliverableSpecSerializer(many=True, source="deliverable_specs", required=False)
    missed_requirements = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "brand", "status", "published_at", *BRIEF_FIELDS, "niches", "deliverables", "missed_requirements"]
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


class ApplicationSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.all())
    creator = serializers.SerializerMethodField()
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    pitch = serializers.CharField(max_length=3000)
    sample_links = serializers.ListField(child=serializers.URLField(max_length=500), max_length=5, required=False)

    class Meta:
        model = Application
        fields = ["id", "campaign", "campaign_title", "creator", "status", "pitch", "proposed_rate", "sample_links",
                  "decline_message", "created_at", "updated_at"]
        read_only_fields = ["id", "status", "decline_message", "created_at", "updated_at"]

    def get_creator(self, application) -> dict:
        c = application.creator
        return {"id": c.pk, "handle": c.handle, "display_name": c.display_name, "tier": c.tier,
                "followers": c.followers, "engagement_rate": c.engagement_rate}


class DeclineSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class MatchSignalSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    value = serializers.FloatField(help_text="0…1")
    points = serializers.FloatField(help_text="weight × value")


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
