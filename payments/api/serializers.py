"""The payments API's shapes: ledger entries per side, and one application's funding with its documents."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import object_id

from ..models import Account, Entry, FundingStatus, Movement


class EntryFilterSerializer(serializers.Serializer):
    """GET payments/entries/: the query parameters."""

    application = object_id(required=False, help_text="Only the money of this application.")
    kind = serializers.ChoiceField(
        choices=Movement.choices, required=False, allow_blank=True, help_text="Only movements of this kind."
    )


class EntrySerializer(serializers.ModelSerializer):
    transaction = serializers.IntegerField(source="transaction_id", help_text="the movement this entry belongs to")
    kind = serializers.ChoiceField(source="transaction.kind", choices=Movement.choices, help_text="the movement")
    account = serializers.ChoiceField(choices=Account.choices)
    amount_minor = serializers.IntegerField(
        source="amount", help_text="minor units (cents): positive into the account, negative out of it"
    )
    currency = serializers.CharField(help_text="ISO 4217, e.g. USD")
    application = serializers.IntegerField(source="application_id")
    created = serializers.DateTimeField(source="transaction.created_at")

    class Meta:
        model = Entry
        fields = ["id", "transaction", "kind", "account", "amount_minor", "currency", "application", "created"]
        read_only_fields = fields


class DocumentLinkSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="R-2026-000001 (receipt) or S-2026-000001 (statement)")
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return self._absolute(reverse("payments:document", args=[obj.number]))

    def get_pdf_url(self, obj) -> str:
        return self._absolute(reverse("payments:document_pdf", args=[obj.number]))

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class FundingSerializer(serializers.Serializer):
    """One application's funding, as its side sees it: the brand sees the platform fee, the total and its receipt;
    the creator sees their fee and their statement (the brand's cost is the brand's)."""

    application = serializers.IntegerField(source="application_id")
    status = serializers.ChoiceField(choices=FundingStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    currency = serializers.CharField()
    fee_minor = serializers.IntegerField(source="fee", help_text="the creator's fee, minor units")
    platform_fee_minor = serializers.SerializerMethodField(help_text="minor units; the brand's side only, else null")
    total_minor = serializers.SerializerMethodField(help_text="what the brand pays, minor units; brand only")
    receipt = serializers.SerializerMethodField(help_text="the brand's receipt, once its payment is held")
    statement = serializers.SerializerMethodField(help_text="the creator's payout statement, once paid out")
    updated = serializers.DateTimeField(source="updated_at")

    def _brand(self) -> bool:
        return bool(self.context.get("is_brand"))

    def get_platform_fee_minor(self, obj) -> int | None:
        return obj.platform_fee if self._brand() else None

    def get_total_minor(self, obj) -> int | None:
        return obj.total if self._brand() else None

    def _document(self, kind: str) -> dict | None:
        doc = self.context.get("documents", {}).get(kind)
        return None if doc is None else DocumentLinkSerializer(doc, context=self.context).data

    @extend_schema_field(DocumentLinkSerializer(allow_null=True))
    def get_receipt(self, obj) -> dict | None:
        return self._document("receipt") if self._brand() else None

    @extend_schema_field(DocumentLinkSerializer(allow_null=True))
    def get_statement(self, obj) -> dict | None:
        return None if self._brand() else self._document("statement")
