"""The one audit log of the product: every recorded move of any object (who, when, from, to, note, data).

Base layer: this app knows no domain app. A target is any model row, named by its content type and id.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATED = "created", _("Created")
    MOVED = "moved", _("Moved")  # a state machine's move (campaigns, applications, deliverables)
    VETTED = "vetted", _("Vetted")  # an admin's vetting decision (creators, brands)
    ACCOUNT_VERIFIED = "account_verified", _("Account verified")  # connected through the platform's OAuth
    ACCOUNT_CLAIMED = "account_claimed", _("Account claimed")  # an unverified link removed: the owner proved it


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at")]

    def __str__(self) -> str:
        return f"{self.target_type_id}:{self.target_id} {self.from_state or '—'} → {self.to_state}"


def audit_relation() -> GenericRelation:
    """``history = audit_relation()`` on a model: its entries, deleted with it (as the old per-app rows were)."""
    return GenericRelation(AuditEntry, content_type_field="target_type", object_id_field="target_id")
