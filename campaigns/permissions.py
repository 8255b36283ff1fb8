"""One predicate per capability; views, the API and the services all ask these.

Predicates expect objects loaded through campaigns.selectors (brand membership is a
cheap lookup cached per user and brand on the user object for the request).
"""

from __future__ import annotations

from brands.models import BrandMember
from core.vetting import VettingStatus

from .models import Application, Campaign, CampaignStatus, Deliverable


def brand_ids_of(user) -> set[int]:
    """Ids of the brands ``user`` is a member of (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_brand_ids_cache", None)
    if cached is None:
        cached = set(BrandMember.objects.filter(user=user).values_list("brand_id", flat=True))
        user._brand_ids_cache = cached
    return cached


def is_brand_member(user, brand_id: int) -> bool:
    return brand_id in brand_ids_of(user)


def is_application_creator(user, application: Application) -> bool:
    return getattr(user, "is_authenticated", False) and application.creator.user_id == user.pk


def can_create_campaign(user) -> bool:
    return bool(brand_ids_of(user))


def can_manage_campaign(user, campaign: Campaign) -> bool:
    """Edit the brief, publish, close, complete, cancel, invite: any member of the brand."""
    return is_brand_member(user, campaign.brand_id)


def can_edit_campaign(user, campaign: Campaign) -> bool:
    return can_manage_campaign(user, campaign) and campaign.status in (CampaignStatus.DRAFT, CampaignStatus.OPEN)


def can_publish_campaign(user, campaign: Campaign) -> bool:
    """PRODUCT §3: a pending brand drafts but cannot publish."""
    return can_manage_campaign(user, campaign) and campaign.brand.status == VettingStatus.APPROVED


def can_see_campaign_money(user, campaign: Campaign) -> bool:
    """The budget tracker (budget, committed, funded, released, paid out): the brand's members and the staff."""
    return is_brand_member(user, campaign.brand_id) or bool(getattr(user, "is_staff", False))


def can_view_campaign(user, campaign: Campaign) -> bool:
    if can_manage_campaign(user, campaign) or getattr(user, "is_staff", False):
        return True
    return campaign.status != CampaignStatus.DRAFT and getattr(user, "is_creator", False)


def can_review_application(user, application: Application) -> bool:
    """Shortlist, accept, decline, complete, review deliverables: the campaign's brand team."""
    return is_brand_member(user, application.campaign.brand_id)


def can_act_as_applicant(user, application: Application) -> bool:
    """Withdraw, answer an invitation, submit deliverables, mark live: the creator."""
    return is_application_creator(user, application)


def can_view_application(user, application: Application) -> bool:
    return can_review_application(user, application) or is_application_creator(user, application)


def can_message(user, application: Application) -> bool:
    return can_view_application(user, application)


def can_use_inbox(user) -> bool:
    """The messages inbox: creators (their applications) and brand members (their brands' threads)."""
    return getattr(user, "is_authenticated", False) and (user.is_creator or user.is_brand)


def can_submit_deliverable(user, deliverable: Deliverable) -> bool:
    return is_application_creator(user, deliverable.application)


def can_review_deliverable(user, deliverable: Deliverable) -> bool:
    return is_brand_member(user, deliverable.application.campaign.brand_id)


def review_side_of(user, application: Application) -> str:
    """ "creator" or "brand": the side ``user`` would write a review as on ``application``; "" for anyone else."""
    if is_application_creator(user, application):
        return "creator"
    if is_brand_member(user, application.campaign.brand_id):
        return "brand"
    return ""


def can_hide_review(user) -> bool:
    """Moderation: staff only (in the admin)."""
    return bool(getattr(user, "is_staff", False) and getattr(user, "is_active", False))
