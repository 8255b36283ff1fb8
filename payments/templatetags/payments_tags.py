"""Receipts and statements where each side sees the money's status: the hire's payment page and the creator's
dashboard (``{% creator_payouts %}``)."""

from __future__ import annotations

from django import template
from django.db.models import OuterRef, Subquery

from payments import documents
from payments.models import Document, DocumentKind, Funding

register = template.Library()


@register.simple_tag(takes_context=True)
def funding_documents(context, funding) -> list[Document]:
    """The funding's documents the signed-in user may read (a receipt for the brand, a statement for the creator)."""
    user = context["request"].user
    return [d for d in documents.documents_of(funding).values() if documents.can_read(user, d)]


@register.inclusion_tag("payments/_creator_payouts.html", takes_context=True)
def creator_payouts(context, creator, limit: int = 10) -> dict:
    """The creator's paid hires: where each one's money is, and its statement once paid out. One query."""
    statement = Document.objects.filter(funding=OuterRef("pk"), kind=DocumentKind.STATEMENT).values("number")[:1]
    fundings = (
        Funding.objects.filter(application__creator=creator)
        .select_related("application__campaign__brand")
        .annotate(statement_number=Subquery(statement))
        .order_by("-updated_at", "-id")[:limit]
    )
    return {"fundings": list(fundings), "request": context.get("request")}
