"""Campaign briefs: what a brand writes (PRODUCT §4), its validation, deliverable lines and reference images."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.models import Brand
from core import uploads
from core.models import User

from .. import hooks, permissions
from ..limits import list_problems, spec_problems
from ..models import (
    Campaign,
    CampaignStatus as C,
    CompensationType,
    DeliverableSpec,
    ReferenceImage,
    UsageRights,
)
from .errors import CampaignError, InvalidTransition, NotPermitted
from .moves import _accepted_count, _locked_campaign, _record

BRIEF_FIELDS = [
    "title",
    "product_description",
    "goal",
    "landing_url",
    "platforms",
    "target_tiers",
    "min_followers",
    "min_engagement_rate",
    "countries",
    "languages",
    "compensation_type",
    "fee_per_creator",
    "gifted_product",
    "gifted_value",
    "commission_percent",
    "total_budget",
    "slots",
    "application_deadline",
    "content_due_date",
    "usage_rights",
    "usage_duration_months",
    "dos",
    "donts",
]


def brief_problems(data: dict, *, today: dt.date | None = None, check_dates: bool = True) -> dict[str, str]:
    """What is wrong with a brief, by field, in words a brand understands. Used by forms, API and publish."""
    today = today or timezone.localdate()
    problems: dict[str, str] = list_problems(data)
    deadline, due = data.get("application_deadline"), data.get("content_due_date")
    if check_dates and deadline and deadline < today:
        problems["application_deadline"] = _("The application deadline cannot be in the past.")
    if deadline and due and due <= deadline:
        problems["content_due_date"] = _(
            "Content must be due after the application deadline (%(d)s), so hired creators have time to make it."
        ) % {"d": deadline.isoformat()}
    kind = data.get("compensation_type")
    fee = data.get("fee_per_creator") or Decimal(0)
    slots = data.get("slots") or 0
    parts = {
        "fee": bool(fee),
        "gifted": bool(data.get("gifted_product")),
        "commission": bool(data.get("commission_percent")),
    }
    if kind == CompensationType.FEE and not parts["fee"]:
        problems["fee_per_creator"] = _("Enter the fee each creator is paid.")
    elif kind == CompensationType.GIFTED and not parts["gifted"]:
        problems["gifted_product"] = _("Describe the product creators receive.")
    elif kind == CompensationType.COMMISSION and not parts["commission"]:
        problems["commission_percent"] = _("Enter the commission creators earn, in percent.")
    elif kind == CompensationType.MIX and sum(parts.values()) < 2:
        problems["compensation_type"] = _("A mix needs at least two of: a fee, a gifted product, a commission.")
    if fee and slots:
        needed = fee * slots
        budget = data.get("total_budget")
        if budget is None:
            problems["total_budget"] = _("Enter the total budget: at least %(n)s slots × %(fee)s = %(total)s.") % {
                "n": slots,
                "fee": f"{fee:,.2f}",
                "total": f"{needed:,.2f}",
            }
        elif budget < needed:
            problems["total_budget"] = _(
                "The budget (%(budget)s) does not cover %(n)s slots × %(fee)s = %(total)s. "
                "Raise the budget or lower the slots or the fee."
            ) % {"budget": f"{budget:,.2f}", "n": slots, "fee": f"{fee:,.2f}", "total": f"{needed:,.2f}"}
    if data.get("usage_rights") == UsageRights.PAID_ADS and not data.get("usage_duration_months"):
        problems["usage_duration_months"] = _("Say for how many months you may run the content in paid ads.")
    return problems


def _normalized(data: dict) -> dict:
    """Country codes upper case and language codes lower case, as creators' profiles store them: a brief that
    says "gb" must match the creators in "GB" (eligibility and matching compare the codes as they are)."""
    data = dict(data)
    if data.get("countries") is not None:
        data["countries"] = list(dict.fromkeys(c.strip().upper() for c in data["countries"]))
    if data.get("languages") is not None:
        data["languages"] = list(dict.fromkeys(c.strip().lower() for c in data["languages"]))
    return data


def _raise_problems(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()})


def _save_specs(campaign: Campaign, specs: Iterable[dict]) -> None:
    specs = list(specs)
    _raise_problems(spec_problems(specs))
    campaign.deliverable_specs.all().delete()
    DeliverableSpec.objects.bulk_create(
        DeliverableSpec(campaign=campaign, platform=s["platform"], format=s["format"], quantity=s.get("quantity") or 1)
        for s in specs
    )


@transaction.atomic
def campaign_create(
    *, brand: Brand, actor: User, data: dict, niches: Iterable = (), specs: Iterable[dict] = ()
) -> Campaign:
    """Create a draft brief for ``brand``. Requires a member of the brand. Raises NotPermitted, ValidationError."""
    if not permissions.is_brand_member(actor, brand.pk):
        raise NotPermitted(_("Only the brand's team can post its campaigns."))
    data = _normalized(data)
    _raise_problems(brief_problems(data))
    campaign = Campaign(brand=brand, created_by=actor, **{k: v for k, v in data.items() if k in BRIEF_FIELDS})
    campaign.full_clean(exclude=["brand", "created_by"])
    campaign.save()
    campaign.niches.set(niches)
    _save_specs(campaign, specs)
    _record(campaign, "", C.DRAFT, actor=actor, note=_("Created"))
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, actor: User, data: dict, niches: Iterable | None = None, specs: Iterable[dict] | None = None
) -> Campaign:
    """Edit a draft or open brief. Raises NotPermitted, InvalidTransition (closed or later), ValidationError."""
    campaign = Campaign.objects.select_for_update().select_related("brand").get(pk=campaign.pk)
    if not permissions.can_manage_campaign(actor, campaign):
        raise NotPermitted(_("Only the brand's team can edit this campaign."))
    if campaign.status not in (C.DRAFT, C.OPEN):
        raise InvalidTransition(
            _("A %(s)s campaign can no longer be edited.") % {"s": campaign.get_status_display().lower()}
        )
    data = _normalized(data)
    merged = {f: getattr(campaign, f) for f in BRIEF_FIELDS} | data
    old_deadline = campaign.application_deadline
    _raise_problems(brief_problems(merged, check_dates=merged["application_deadline"] != old_deadline))
    hired = _accepted_count(campaign)
    if merged.get("slots") is not None and merged["slots"] < hired:
        raise ValidationError(
            {"slots": [_("%(n)s creators are already hired; keep at least %(n)s slots.") % {"n": hired}]}
        )
    for key, value in data.items():
        if key in BRIEF_FIELDS:
            setattr(campaign, key, value)
    campaign.full_clean(exclude=["brand", "created_by"])
    campaign.save()
    if niches is not None:
        campaign.niches.set(niches)
    if specs is not None:
        _save_specs(campaign, specs)
    hooks.fire("campaign_updated", campaign=campaign, actor=actor)  # results: tracked links follow a new landing page
    return campaign


# --- Reference images -------------------------------------------------------------------------------------

MAX_REFERENCE_IMAGES = 6


@transaction.atomic
def reference_image_add(*, campaign: Campaign, actor: User, file) -> ReferenceImage:
    """Attach a reference image to a draft or open brief: a real JPEG/PNG/WebP, re-encoded without metadata.
    Raises NotPermitted, InvalidTransition, CampaignError, ValidationError."""
    campaign = _locked_campaign(campaign)
    if not permissions.can_manage_campaign(actor, campaign):
        raise NotPermitted(_("Only the brand's team can change this brief."))
    if campaign.status not in (C.DRAFT, C.OPEN):
        raise InvalidTransition(
            _("A %(s)s campaign can no longer be edited.") % {"s": campaign.get_status_display().lower()}
        )
    if campaign.reference_images.count() >= MAX_REFERENCE_IMAGES:
        raise CampaignError(_("A brief can have at most %(n)s reference images.") % {"n": MAX_REFERENCE_IMAGES})
    clean = uploads.accept_image(file, sizes={"reference": (1600, 1600)}, crop=False)["reference"]
    image = ReferenceImage(campaign=campaign)
    with uploads.discard_on_error() as stored:
        clean.name = f"c{campaign.pk}/{clean.name}"  # campaigns/references/c<id>/<uuid>.webp: the owner is in the path
        stored.save(image.image, clean)
        image.save()
    return image


@transaction.atomic
def reference_image_remove(*, image, actor: User) -> None:
    campaign = _locked_campaign(image.campaign_id)
    if not permissions.can_manage_campaign(actor, campaign):
        raise NotPermitted(_("Only the brand's team can change this brief."))
    storage, name = image.image.storage, image.image.name
    image.delete()
    transaction.on_commit(lambda: storage.delete(name))
