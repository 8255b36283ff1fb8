"""Brands and their team members (PRODUCT §2–§3)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from audit.models import audit_relation
from core.vetting import VettingStatus


class Brand(models.Model):
    name = models.CharField(_("company name"), max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    website = models.URLField(_("website"), blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        max_length=16, choices=VettingStatus.choices, default=VettingStatus.PENDING, db_index=True
    )
    status_reason = models.TextField(blank=True, help_text=_("Shown to the brand's team when rejected or suspended."))
    logo = models.ImageField(_("logo"), upload_to="brands/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    audit_entries = audit_relation()  # its history in the one audit log (audit.AuditEntry)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # --- What core.vetting needs to vet a brand ---

    @property
    def vetting_name(self) -> str:
        return self.name

    def vetting_recipients(self) -> list:
        """The owners: they run the account."""
        return [m.user for m in self.members.filter(role=MemberRole.OWNER).select_related("user")]

    def vetting_email(self, status: str, reason: str) -> tuple[str, str]:
        """Subject and body of the decision email, in the active language (the vetting service sets it)."""
        label = VettingStatus(status).label
        body = gettext("An admin reviewed %(b)s: %(s)s.") % {"b": self.name, "s": str(label).lower()}
        if reason and status != VettingStatus.APPROVED:
            body += "\n\n" + gettext("Reason: %(r)s") % {"r": reason}
        return gettext("%(b)s: %(s)s") % {"b": self.name, "s": label}, body


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


class BrandInvitation(models.Model):
    """An email invitation to join a brand's team; the link carries ``token``."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.brand}"
