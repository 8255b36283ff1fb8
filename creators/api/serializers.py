from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import bounded_slugs

from .. import limits
from ..filters import LANGUAGE_CHOICES
from ..forms import HANDLE_RE
from ..models import ContentFormat, Creator, Niche, RateCardEntry, SocialAccount
from ..reputation import reputation_for


class SocialAccountSerializer(serializers.ModelSerializer):
    pending = serializers.BooleanField(source="is_pending", read_only=True)

    def validate_handle(self, value: str) -> str:
        value = value.strip()
        if not HANDLE_RE.match(value):
            raise serializers.ValidationError("Use the handle as it appears on the platform: letters, digits, . _ -")
        return value.lstrip("@")

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "platform",
            "handle",
            "verified",
            "followers",
            "avg_likes",
            "avg_comments",
            "avg_views",
            "engagement_rate",
            "tier",
            "last_refreshed_at",
            "refresh_status",
            "pending",
        ]
        read_only_fields = [f for f in fields if f not in ("platform", "handle")]
        # Uniqueness is the service's check, with a readable message.
        validators: list = []


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = RateCardEntry
        fields = ["platform", "deliverable", "price", "currency", "note"]


class CreatorSerializer(serializers.ModelSerializer):
    niches = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    accounts = SocialAccountSerializer(many=True, read_only=True)
    rates = RateSerializer(many=True, read_only=True)
    avatar = serializers.ImageField(read_only=True)
    media_kit_url = serializers.SerializerMethodField()

    class Meta:
        model = Creator
        fields = [
            "id",
            "display_name",
            "handle",
            "bio",
            "country",
            "languages",
            "niches",
            "content_formats",
            "avatar",
            "tier",
            "followers",
            "engagement_rate",
            "status",
            "accounts",
            "rates",
            "media_kit_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_media_kit_url(self, obj) -> str:
        return f"/c/{obj.handle}/"


class ScoreSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="What is measured, e.g. 'Drafts on time'.")
    shown = serializers.CharField(help_text="The score as the media kit shows it ('78%', '0.5', '—').")
    detail = serializers.CharField(help_text="The numbers behind it, e.g. '7 of 9 drafts by their due date'.")


class ReputationSerializer(serializers.Serializer):
    rating = serializers.CharField(source="rating_shown", help_text="Average overall rating, or '—' without one.")
    review_count = serializers.IntegerField()
    scores = ScoreSerializer(many=True)


class CreatorDetailSerializer(CreatorSerializer):
    """One creator, with the reputation the media kit shows (issue 12): ratings and scores from facts, each with
    its numbers. Reviews themselves are ``GET reviews/?creator=<id>``."""

    reputation = serializers.SerializerMethodField()

    class Meta(CreatorSerializer.Meta):
        fields = [*CreatorSerializer.Meta.fields, "reputation"]
        read_only_fields = fields

    @extend_schema_field(ReputationSerializer(allow_null=True))
    def get_reputation(self, obj) -> dict | None:
        found = reputation_for(obj)  # creators.reputation: supplied by campaigns, never imported from here
        return None if found is None else ReputationSerializer(found).data


class CreatorUpdateSerializer(serializers.Serializer):
    """PATCH creators/me/: the same fields as the profile page (the avatar is uploaded in the browser)."""

    display_name = serializers.CharField(max_length=80)
    bio = serializers.CharField(max_length=1500, allow_blank=True)
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$", allow_blank=True, error_messages={"invalid": "Use the two-letter country code, e.g. GB."}
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), max_length=limits.MAX_PROFILE_LANGUAGES
    )
    # Refused before any lookup: a list of thousands of slugs is not thousands of queries.
    niches = bounded_slugs(
        Niche.objects.all(),
        max_length=limits.MAX_PROFILE_NICHES,
        message=f"Pick up to {limits.MAX_PROFILE_NICHES} niches.",
    )
    content_formats = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentFormat.choices), max_length=limits.MAX_PROFILE_CONTENT_FORMATS
    )
