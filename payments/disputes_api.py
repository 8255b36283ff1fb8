"""``/api/v1/disputes/`` (issue 10): a party's disputes on its hires, and opening one. The same service as the page.

List and read: the disputes of hires where the caller is the creator or a member of the hiring brand (another
tenant's dispute is a 404). Create: ``{"application": <id>, "reason": "..."}`` on a funded (held) hire.
Resolution is an admin's decision in the Django admin, not an API call.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import include, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from campaigns import selectors as campaign_selectors
from campaigns.permissions import brand_ids_of
from core.api_fields import ID_PATH_REGEX, object_id

from . import disputes
from .models import Dispute, DisputeOutcome


class DisputeSerializer(serializers.ModelSerializer):
    application = object_id(source="application_id")
    reason = serializers.CharField(max_length=Dispute.REASON_MAX, trim_whitespace=True)
    currency = serializers.CharField(source="funding.currency", read_only=True)
    held = serializers.IntegerField(source="funding.total", read_only=True, help_text="minor units")
    outcome = serializers.ChoiceField(
        choices=DisputeOutcome.choices, source="outcome_or_none", read_only=True, allow_null=True
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "application",
            "side",
            "reason",
            "status",
            "outcome",
            "currency",
            "held",
            "to_creator",
            "to_platform",
            "to_brand",
            "resolution_note",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = [f for f in fields if f not in ("application", "reason")]
        extra_kwargs = {
            "to_creator": {"help_text": "minor units to the creator, once resolved"},
            "to_platform": {"help_text": "minor units kept by the platform, once resolved"},
            "to_brand": {"help_text": "minor units refunded to the brand, once resolved"},
        }


def disputes_of(user):
    """Disputes on hires where ``user`` is the creator or in the hiring brand's team."""
    if not user.is_authenticated:
        return Dispute.objects.none()
    return (
        Dispute.objects.filter(
            Q(application__creator__user=user) | Q(application__campaign__brand_id__in=brand_ids_of(user))
        )
        .select_related("funding")
        .order_by("-created_at", "-id")
    )


class DisputeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Disputes on the caller's own hires (brand team or creator); open one on a funded hire."""

    serializer_class = DisputeSerializer
    queryset = Dispute.objects.none()
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        return disputes_of(self.request.user)

    def handle_exception(self, exc):
        if isinstance(exc, disputes.DisputeError):
            return Response({"message": str(exc), "errors": {}}, status=exc.status_code)
        return super().handle_exception(exc)

    @extend_schema(
        responses={
            201: DisputeSerializer,
            404: OpenApiResponse(description="No such application among the caller's hires."),
            409: OpenApiResponse(
                description="The hire's money is not held (not funded yet, released, refunded), or a dispute is "
                "already open on it. Nothing changed."
            ),
        }
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = campaign_selectors.application_visible_to(user=request.user, pk=data["application_id"])
        dispute = disputes.dispute_open(application=application, actor=request.user, reason=data["reason"])
        return Response(
            self.get_serializer(disputes_of(request.user).get(pk=dispute.pk)).data, status=status.HTTP_201_CREATED
        )


router = SimpleRouter()
router.register("disputes", DisputeViewSet, basename="api-disputes")
urlpatterns = [path("", include(router.urls))]
