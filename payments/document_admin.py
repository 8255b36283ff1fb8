"""Staff read every receipt and statement in the admin (read-only: a document is never edited or renumbered)."""

from __future__ import annotations

from django.contrib import admin

from .admin import ReadOnly
from .models import Document, DocumentCounter


@admin.register(Document)
class DocumentAdmin(ReadOnly):
    list_display = ["number", "kind", "brand_name", "creator_name", "campaign_title", "fee", "currency", "issued_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "brand_name", "creator_name", "campaign_title", "reference"]


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ReadOnly):
    list_display = ["kind", "year", "last"]
