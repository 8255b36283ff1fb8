"""Vetting states shared by creators and brands (PRODUCT §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
