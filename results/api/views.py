"""POST /api/v1/conversions/ and GET /api/v1/campaigns/{id}/report/: the same services as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from brands.selectors import brand_for_user
from campaigns.selectors import campaign_for_manager
from core.api_fields import MAX_ID

from .. import report, services
from ..models import ConversionSource


class ConversionInSerializer(serializers.Serializer):
    order_id = serializers.CharField(max_length=100, help_text="Your order id: sending it again records nothing new.")
    amount = serializers.IntegerField(min_value=0, max_value=10**12, help_text="Revenue in minor units (1250 = 12.50).")
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", help_text="ISO 4217, the marketplace's currency.")
    code = serializers.CharField(max_length=40, help_text="The creator's tracked link code or promo code.")
    campaign = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Needed when a promo code is ambiguous."
    )
    occurred_at = serializers.DateTimeField(required=False)


class ConversionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_id = serializers.CharField()
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    link = serializers.CharField(source="link.code")
    campaign = serializers.IntegerField(source="link.campaign_id")
    source = serializers.CharField()
    occurred_at = serializers.DateTimeField()


class ConversionCreateView(APIView):
    @extend_schema(
        request=ConversionInSerializer,
        responses={
            201: ConversionOutSerializer,
            200: OpenApiResponse(ConversionOutSerializer, description="This order id was already recorded."),
            404: OpenApiResponse(description="No such link or promo code among your campaigns."),
        },
    )
    def post(self, request):
        brand = brand_for_user(user=request.user)
        if brand is None:
            raise Http404
        incoming = ConversionInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            conversion, created = services.conversion_record(
                brand=brand,
                data=services.ConversionInput(
                    order_id=data["order_id"],
                    amount=data["amount"],
                    currency=data["currency"],
                    code=data["code"],
                    occurred_at=data.get("occurred_at"),
                    campaign_id=data.get("campaign"),
                ),
                source=ConversionSource.API,
                actor=request.user,
            )
        except services.ResultsError as exc:
            return Response({"message": str(exc), "errors": {}}, status=exc.status_code)
        return Response(
            ConversionOutSerializer(conversion).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class CampaignReportView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="The campaign report (see docs in results/report.py).")})
    def get(self, request, pk: str):
        campaign = campaign_for_manager(user=request.user, pk=int(pk))
        return Response(report.as_json(report.build(campaign)))
