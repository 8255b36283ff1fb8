"""campaigns/ and applications/ (PRODUCT §8): the same selectors, permissions and services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from brands.selectors import brand_for_user
from core.api_fields import ID_PATH_REGEX

from .. import actions, matching, permissions, reputation, selectors, services
from ..confirmations import ConfirmationRequired
from ..models import Application, Campaign, CampaignStatus, Review
from .pagination import CURSOR_PARAM, RecommendationCursor
from .serializers import (
    AcceptSerializer,
    ApplicationFilterSerializer,
    ApplicationSerializer,
    CampaignDetailSerializer,
    CampaignFilterSerializer,
    CampaignSerializer,
    DeclineSerializer,
    RecommendationPageSerializer,
    RecommendationSerializer,
    ReviewFilterSerializer,
    ReviewSerializer,
)


class DomainErrorsMixin:
    """A refused move answers with its readable message: 400 (bad request), 403 (not yours to do) or 409 (state)."""

    def handle_exception(self, exc):
        if isinstance(exc, ConfirmationRequired):
            warnings = exc.confirmation.warnings
            return Response(
                {
                    "message": _('%(question)s Send "confirm": true to go ahead: %(warnings)s')
                    % {"question": exc.confirmation.question, "warnings": " ".join(warnings)},
                    "errors": {"confirm": warnings},
                },
                status=exc.status_code,
            )
        if isinstance(exc, services.CampaignError):
            return Response({"message": str(exc), "errors": {}}, status=exc.status_code)
        return super().handle_exception(exc)


CAMPAIGN_FILTERS = list(CampaignFilterSerializer().fields)


def valid_query(serializer_class, request) -> dict:
    """The list's query parameters, checked: a value outside the documented ones is a 400 with the field."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(list=extend_schema(parameters=[CampaignFilterSerializer]))
class CampaignViewSet(
    DomainErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Creators list open campaigns (with filters and what they miss); brand members list their brand's."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()
    lookup_value_regex = ID_PATH_REGEX

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["creator"] = (
            selectors.creator_with_accounts(user=self.request.user) if self.request.user.is_authenticated else None
        )
        return ctx

    def get_queryset(self):
        user = self.request.user
        valid_query(CampaignFilterSerializer, self.request)
        filters = {k: self.request.query_params.get(k, "") for k in CAMPAIGN_FILTERS}
        if user.is_creator:
            return selectors.campaigns_open(filters=filters)
        qs = Campaign.objects.select_related("brand").prefetch_related("niches", "deliverable_specs")
        if not user.is_staff:
            qs = qs.filter(brand_id__in=permissions.brand_ids_of(user))
        if filters["status"] in CampaignStatus.values:
            qs = qs.filter(status=filters["status"])
        return qs.order_by("-created_at", "-id")

    def get_serializer_class(self):
        return CampaignDetailSerializer if self.action == "retrieve" else CampaignSerializer

    def get_object(self):
        campaign = selectors.campaign_visible_to(user=self.request.user, pk=self.kwargs["pk"])
        return campaign

    def _split(self, data: dict):
        niches = data.pop("niches", None)
        specs = data.pop("deliverable_specs", None)
        return data, niches, specs

    def create(self, request, *args, **kwargs):
        brand = brand_for_user(user=request.user)
        if brand is None or not permissions.can_create_campaign(request.user):
            raise services.NotPermitted(_("Only a brand's team can post campaigns."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, niches, specs = self._split(dict(serializer.validated_data))
        campaign = services.campaign_create(
            brand=brand, actor=request.user, data=data, niches=niches or [], specs=specs or []
        )
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        campaign = self.get_object()
        if not permissions.can_manage_campaign(request.user, campaign):
            raise Http404
        serializer = self.get_serializer(campaign, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data, niches, specs = self._split(dict(serializer.validated_data))
        campaign = services.campaign_update(
            campaign=campaign, actor=request.user, data=data, niches=niches, specs=specs
        )
        return Response(self.get_serializer(selectors.campaign_for_manager(user=request.user, pk=campaign.pk)).data)

    def _move(self, request, name: str):
        """One action of the vocabulary (campaigns.actions): the same service and rules as the pages."""
        campaign = self.get_object()
        if not permissions.can_manage_campaign(request.user, campaign):
            raise Http404
        actions.campaign_action(name).service(campaign=campaign, actor=request.user)
        return Response(self.get_serializer(selectors.campaign_for_manager(user=request.user, pk=campaign.pk)).data)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                CURSOR_PARAM, str, description="From the `next` link of the previous page; absent for the first page."
            ),
            OpenApiParameter(
                "page_size", int, description="Results per page: 1 to 100 (more gives 100); 25 when absent."
            ),
        ],
        responses=RecommendationPageSerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=RecommendationSerializer, pagination_class=None)
    def recommendations(self, request, pk=None):
        """Eligible creators ranked by match score with the signals behind it; the campaign's brand team and staff.
        Keyset pages (``cursor``), no total count: the ranking is computed page by page (issue 13)."""
        campaign = self.get_object()
        if not (permissions.can_manage_campaign(request.user, campaign) or request.user.is_staff):
            raise Http404
        cursor = RecommendationCursor(request)
        rows = list(matching.recommended_creators(campaign=campaign, limit=cursor.page_size + 1, after=cursor.after))
        rows, next_url = cursor.page(rows)
        return Response({"next": next_url, "results": RecommendationSerializer(rows, many=True).data})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(request, "publish")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(request, "close")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._move(request, "complete")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._move(request, "cancel")


@extend_schema_view(list=extend_schema(parameters=[ApplicationFilterSerializer]))
class ApplicationViewSet(
    DomainErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A creator's own applications, or those to the user's brands' campaigns; actions call the services."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.none()
    lookup_value_regex = ID_PATH_REGEX

    def get_queryset(self):
        qs = selectors.applications_for_user(user=self.request.user)
        params = valid_query(ApplicationFilterSerializer, self.request)
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("campaign"):
            qs = qs.filter(campaign_id=params["campaign"])
        return qs

    def get_object(self):
        return selectors.application_visible_to(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        creator = selectors.creator_with_accounts(user=request.user)
        if creator is None:
            raise services.NotPermitted(_("Only creators apply to campaigns."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            campaign = selectors.campaign_visible_to(user=request.user, pk=data["campaign_id"])
        except Http404:
            return Response(
                {"message": _("This campaign does not exist."), "errors": {"campaign": [_("Not found.")]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        application = services.application_submit(
            campaign=campaign,
            creator=creator,
            actor=request.user,
            pitch=data["pitch"],
            proposed_rate=data.get("proposed_rate"),
            sample_links=data.get("sample_links", []),
        )
        return Response(self.get_serializer(self.get_object_by_pk(application.pk)).data, status=status.HTTP_201_CREATED)

    def get_object_by_pk(self, pk):
        return selectors.application_visible_to(user=self.request.user, pk=pk)

    def _move(self, request, name: str, confirmed: bool = False, **kwargs):
        """One action of the vocabulary (campaigns.actions): the same service, rules and confirmations as the pages."""
        application = self.get_object()
        actions.take_application_action(
            request.user, application, actions.application_action(name), confirmed=confirmed, **kwargs
        )
        return Response(self.get_serializer(self.get_object_by_pk(application.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._move(request, "shortlist")

    @extend_schema(
        request=AcceptSerializer,
        responses={
            200: ApplicationSerializer,
            400: OpenApiResponse(
                description=(
                    "Not valid, or a confirmation is needed: the proposed rate is above the brief's fee per creator "
                    "or what is left of the budget, or the creator no longer meets the brief. `errors.confirm` lists "
                    'each warning; send `{"confirm": true}` to accept anyway. Nothing changed.'
                )
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(request, "accept", confirmed=body.validated_data["confirm"])

    @extend_schema(request=DeclineSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._move(request, "decline", message=body.validated_data.get("message", ""))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(request, "withdraw")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._move(request, "complete")


@extend_schema_view(list=extend_schema(parameters=[ReviewFilterSerializer]))
class ReviewViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reviews both ways (issue 12). List: the visible reviews of one creator or one brand. Create: your side's
    one review of an ended application, within 14 days of its end."""

    serializer_class = ReviewSerializer
    queryset = Review.objects.none()

    def get_queryset(self):
        if self.action != "list":
            return Review.objects.none()
        query = valid_query(ReviewFilterSerializer, self.request)
        qs = reputation.visible_reviews().select_related("application__campaign__brand", "application__creator")
        if query.get("creator"):
            return qs.filter(side="brand", application__creator_id=query["creator"])
        return qs.filter(side="creator", application__campaign__brand_id=query["brand"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = selectors.application_visible_to(user=request.user, pk=data.pop("application"))
        review = services.review_create(application=application, actor=request.user, **data)  # errors: 400/403/409
        return Response(self.get_serializer(review).data, status=status.HTTP_201_CREATED)
