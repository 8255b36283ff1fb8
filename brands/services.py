"""The write side of brands."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from audit.models import AuditEntry
from core.models import User

from .models import Brand, BrandMember, MemberRole


class BrandError(Exception):
    """A brand write refused for a reason the user can act on."""


@transaction.atomic
def brand_create(*, user: User, name: str, website: str = "", industry: str = "", description: str = "") -> Brand:
    """Create a brand (pending vetting) with ``user`` as its owner. Raises BrandError."""
    if not user.is_brand:
        raise BrandError("Only brand accounts can create a brand.")
    if BrandMember.objects.filter(user=user).exists():
        raise BrandError("You are already a member of a brand.")
    base = slugify(name)[:50] or "brand"
    slug, n = base, 1
    while Brand.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    brand = Brand.objects.create(name=name, slug=slug, website=website, industry=industry, description=description)
    BrandMember.objects.create(brand=brand, user=user, role=MemberRole.OWNER)
    return brand


# --- Profile, team and vetting ---------------------------------------------------------------------

import secrets  # noqa: E402
from functools import partial  # noqa: E402

from django.core.mail import send_mail  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from core import site  # noqa: E402
from core.vetting import VettingError, vet_one  # noqa: E402

from . import permissions  # noqa: E402
from .models import BrandInvitation  # noqa: E402

PROFILE_FIELDS = ("name", "website", "industry", "description")
LOGO_SIZES = {"logo": (400, 400)}


def _mail(subject: str, body: str, to: list[str]) -> None:
    send_mail(
        subject=f"[Creator Marketplace] {subject}", message=body, from_email=None, recipient_list=to, fail_silently=True
    )


@transaction.atomic
def brand_update(*, brand: Brand, actor: User, logo=None, **fields) -> Brand:
    """Edit the company profile; ``logo`` goes through the upload policy (core.uploads: a real image,
    re-encoded, named by us). Raises BrandError, ValidationError (the logo)."""
    from core import uploads

    if not permissions.can_edit_brand(actor, brand):
        raise BrandError(_("Only the brand's team can edit its profile."))
    processed = uploads.accept_image(logo, sizes=LOGO_SIZES, crop=False)["logo"] if logo else None
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    changed = []
    for key, value in fields.items():
        if key in PROFILE_FIELDS and getattr(brand, key) != value:
            setattr(brand, key, value)
            changed.append(key)
    with uploads.discard_on_error() as stored:
        if processed is not None:
            old = brand.logo.name if brand.logo else ""
            stored.save(brand.logo, processed)
            changed.append("logo")
            if old:
                transaction.on_commit(partial(brand.logo.storage.delete, old))
        if changed:
            brand.save(update_fields=changed)
    return brand


@transaction.atomic
def brand_invite(*, brand: Brand, actor: User, email: str) -> BrandInvitation:
    """The owner invites ``email`` to the team; the email carries a one-time link. Raises BrandError."""
    if not permissions.can_manage_team(actor, brand):
        raise BrandError(_("Only the brand's owner can invite team members."))
    email = email.strip().lower()
    if BrandMember.objects.filter(brand=brand, user__email__iexact=email).exists():
        raise BrandError(_("%(e)s is already on your team.") % {"e": email})
    invitation = BrandInvitation.objects.filter(brand=brand, email=email, accepted_at__isnull=True).first()
    if invitation is None:
        invitation = BrandInvitation.objects.create(
            brand=brand, email=email, token=secrets.token_urlsafe(32), invited_by=actor
        )
    link = site.absolute_url(reverse("brands:join", args=[invitation.token]))
    body = _("%(who)s invited you to join %(brand)s on %(site)s.\n\nJoin the team: %(link)s\n") % {
        "who": actor.display_name,
        "brand": brand.name,
        "site": site.site_name(),
        "link": link,
    }
    transaction.on_commit(partial(_mail, _("Join %(b)s") % {"b": brand.name}, body, [email]))
    return invitation


@transaction.atomic
def brand_invitation_accept(*, token: str, user: User) -> BrandMember:
    """``user`` (a brand account with the invited email) joins the team. Raises BrandError."""
    invitation = BrandInvitation.objects.select_for_update().select_related("brand").filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise BrandError(_("This invitation link is not valid any more. Ask the brand's owner for a new one."))
    if user.email.lower() != invitation.email.lower():
        raise BrandError(_("This invitation is for %(e)s. Log in with that address to join.") % {"e": invitation.email})
    if not user.is_brand:
        raise BrandError(_("Only brand accounts can join a brand's team."))
    if BrandMember.objects.filter(user=user).exclude(brand=invitation.brand).exists():
        raise BrandError(_("You are already a member of another brand."))
    member, _created = BrandMember.objects.get_or_create(
        brand=invitation.brand, user=user, defaults={"role": MemberRole.MEMBER}
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return member


@transaction.atomic
def brand_member_remove(*, member: BrandMember, actor: User) -> None:
    """The owner removes a team member (never the owner). Raises BrandError."""
    if not permissions.can_manage_team(actor, member.brand):
        raise BrandError(_("Only the brand's owner can remove team members."))
    if member.role == MemberRole.OWNER:
        raise BrandError(_("The owner cannot be removed."))
    member.delete()


def brand_set_status(*, brand: Brand, actor: User, status: str, reason: str = "") -> AuditEntry:
    """Approve, reject (reason required) or suspend a brand through the one vetting service
    (core.vetting.vet_one): recorded in the audit log, emailed to its owners in their language after commit.
    Raises BrandError (nothing changed) for a non-admin, an illegal move, or a missing reason."""
    try:
        return vet_one(brand, status, by=actor, reason=reason)
    except VettingError as exc:
        raise BrandError(str(exc)) from exc
