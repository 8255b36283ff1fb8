"""Brands and their team members (PRODUCT §2–§3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.vetting import VettingStatus


class Brand(models.Model):
    name = models.CharField(_("company name"), max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    website = models.URLField(_("website"), blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(max_length=16, choices=VettingStatus.choices, default=VettingStatus.PENDING, db_index=True)
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class BrandMember(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_memberships")
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "user"], name="brandmember_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.brand}"
