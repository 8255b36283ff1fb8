"""payments/entries/ and applications/{id}/funding/ (issue 10): each side reads its own money; other tenants 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.response import Response

from campaigns import selectors as campaign_selectors
from campaigns.api.views import valid_query
from campaigns.permissions import brand_ids_of, can_review_application
from core.api_fields import ID_PATH_REGEX

from .. import documents
from ..models import Account, Entry, Funding
from .serializers import EntryFilterSerializer, EntrySerializer, FundingSerializer

# A creator's side of the ledger: what they are owed and what reached them (the brand's payment, the held amount
# with the platform fee inside, and the platform's fee are the brand's business).
CREATOR_ACCOUNTS = (Account.CREATOR_OWED, Account.PAID_OUT)


def entries_for(user):
    """A brand member: every entry of their brands' hires. A creator: their own accounts on their hires."""
    qs = Entry.objects.select_related("transaction")
    if getattr(user, "is_creator", False):
        return qs.filter(application__creator__user=user, account__in=CREATOR_ACCOUNTS)
    brands = brand_ids_of(user)
    if not brands:
        return qs.none()
    return qs.filter(application__campaign__brand_id__in=brands)


@extend_schema_view(list=extend_schema(parameters=[EntryFilterSerializer]))
class EntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Ledger entries of the user's side, newest first: a brand member sees their brands' money movements, a
    creator what they are owed and were paid. Amounts are integer minor units with their currency."""

    serializer_class = EntrySerializer
    queryset = Entry.objects.none()

    def get_queryset(self):
        params = valid_query(EntryFilterSerializer, self.request)
        qs = entries_for(self.request.user)
        if params.get("application"):
            qs = qs.filter(application_id=params["application"])
        if params.get("kind"):
            qs = qs.filter(transaction__kind=params["kind"])
        return qs.order_by("-transaction__created_at", "-id")


@extend_schema(
    parameters=[
        OpenApiParameter(
            "id",
            {"type": "string", "pattern": f"^{ID_PATH_REGEX}$"},  # as the router's {id} paths
            OpenApiParameter.PATH,
            description="the application",
        )
    ]
)
class ApplicationFundingView(generics.GenericAPIView):
    """The funding of one hire: status, amounts in minor units, and the receipt (brand) or statement (creator)
    with its page and PDF addresses. 404 for an application the user may not see, or one paid outside the
    platform (gifted work)."""

    serializer_class = FundingSerializer
    queryset = Funding.objects.none()
    pagination_class = None

    def get(self, request, id: int):
        application = campaign_selectors.application_visible_to(user=request.user, pk=id)  # 404 for other tenants
        funding = Funding.objects.filter(application=application).first()
        if funding is None:
            raise Http404  # gifted work: nothing is paid through the platform
        context = {
            **self.get_serializer_context(),
            "is_brand": can_review_application(request.user, application),
            "documents": documents.documents_of(funding),
        }
        return Response(FundingSerializer(funding, context=context).data)
