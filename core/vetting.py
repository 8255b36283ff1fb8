"""Vetting states shared by creators and brands (PRODUCT §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


# Who may move where (PRODUCT §3), the same for creators and brands: one table, one rule.
VETTING_MOVES: dict[str, set[str]] = {
    VettingStatus.PENDING: {VettingStatus.APPROVED, VettingStatus.REJECTED, VettingStatus.SUSPENDED},
    VettingStatus.APPROVED: {VettingStatus.SUSPENDED, VettingStatus.REJECTED},
    VettingStatus.REJECTED: {VettingStatus.APPROVED},
    VettingStatus.SUSPENDED: {VettingStatus.APPROVED, VettingStatus.REJECTED},
}
# The account holder sees the reason, so these decisions need one.
REASON_REQUIRED = {VettingStatus.REJECTED, VettingStatus.SUSPENDED}


def vetting_move_allowed(current: str, to: str) -> bool:
    return to in VETTING_MOVES.get(current, set())
