"""A campaign's life (PRODUCT §4): publish, close (by hand, full slots, or the deadline task), complete, cancel."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.vetting import VettingStatus

from .. import hooks
from ..models import ApplicationStatus, Campaign, CampaignStatus as C
from .applications import applications_not_select_undecided
from .briefs import BRIEF_FIELDS, brief_problems
from .errors import CampaignError, NotPermitted
from .moves import _check_move, _locked_campaign, _transition
from .notifications import _tell_applicants


@transaction.atomic
def campaign_publish(*, campaign: Campaign, actor: User) -> Campaign:
    """draft → open. Requires an approved brand, a valid brief with at least one deliverable."""
    campaign = _locked_campaign(campaign)
    _check_move(campaign, C.OPEN, actor=actor)
    if campaign.brand.status != VettingStatus.APPROVED:
        raise NotPermitted(_("Your brand is waiting for an admin's approval; you can publish once it is approved."))
    problems = brief_problems({f: getattr(campaign, f) for f in BRIEF_FIELDS})
    if problems:
        raise CampaignError(" ".join(problems.values()))
    if not campaign.deliverable_specs.exists():
        raise CampaignError(_("Add at least one deliverable before publishing."))
    campaign.published_at = timezone.now()
    _transition(campaign, C.OPEN, actor=actor, extra_fields=["published_at"])
    return campaign


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor: User | None, note: str = "", system: bool = False) -> Campaign:
    """open → closed: no more applications. Hiring from the applicants continues."""
    campaign = _locked_campaign(campaign)
    _transition(campaign, C.CLOSED, actor=actor, note=note or _("Closed by hand"), system=system)
    _tell_applicants(campaign, C.CLOSED)
    return campaign


@transaction.atomic
def campaign_complete(*, campaign: Campaign, actor: User) -> Campaign:
    """closed → completed; applications still undecided become not selected (their creators are told)."""
    campaign = _locked_campaign(campaign)
    _transition(campaign, C.COMPLETED, actor=actor)
    applications_not_select_undecided(campaign, note=_("The campaign was completed before a decision"))
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, actor: User, note: str = "", system: bool = False) -> Campaign:
    """draft, open or closed → cancelled; applicants are told. ``system=True``: an admin moderating."""
    campaign = _locked_campaign(campaign)
    _transition(campaign, C.CANCELLED, actor=actor, note=note, system=system)
    applications_not_select_undecided(campaign, note=_("The campaign was cancelled before a decision"))
    for application in campaign.applications.filter(status=ApplicationStatus.ACCEPTED):
        hooks.fire("application_ended", application=application, actor=actor)  # payments: refund what is held
    _tell_applicants(campaign, C.CANCELLED)  # the accepted ones; the undecided were told just above
    return campaign


def campaigns_close_expired(*, today: dt.date | None = None) -> int:
    """Close every open campaign whose application deadline has passed. Idempotent; returns how many closed."""
    today = today or timezone.localdate()
    closed = 0
    for pk in Campaign.objects.filter(status=C.OPEN, application_deadline__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            campaign = _locked_campaign(pk)
            if campaign.status != C.OPEN or campaign.application_deadline >= today:
                continue  # someone closed or extended it meanwhile
            _transition(campaign, C.CLOSED, actor=None, system=True, note=_("Application deadline passed"))
            _tell_applicants(campaign, C.CLOSED)
            closed += 1
    return closed
