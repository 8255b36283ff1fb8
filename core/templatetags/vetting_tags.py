"""Vetting on pages: how an account's state shows (badge, notices, decided here so templates compare no
statuses), the queue on the admin home and the expected review time on pending accounts' pages."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from core.vetting import VettingStatus
from core.vetting_queue import expected_review_text, pending_queues

register = template.Library()

_BADGES = {VettingStatus.APPROVED: "badge-ok", VettingStatus.PENDING: "badge-warn"}


@dataclass(frozen=True)
class VettingView:
    label: str
    badge: str  # CSS class of the status badge
    pending: bool  # waiting for an admin: the page explains what works meanwhile
    approved: bool
    reason: str  # the reason the holder is shown (rejected or suspended), else ""


@register.simple_tag
def vetting_state(obj) -> VettingView:
    """``{% vetting_state creator as v %}``: what the page shows of ``obj``'s vetting (PRODUCT §3)."""
    approved = obj.status == VettingStatus.APPROVED
    return VettingView(
        label=obj.get_status_display(),
        badge=_BADGES.get(obj.status, "badge-bad"),
        pending=obj.status == VettingStatus.PENDING,
        approved=approved,
        reason="" if approved else obj.status_reason,
    )


@register.inclusion_tag("admin/core/_vetting_queue.html")
def vetting_queue() -> dict:
    queues = pending_queues()
    return {"queues": queues, "waiting": sum(q.count for q in queues)}


@register.simple_tag
def expected_review() -> str:
    return expected_review_text()
