"""Applications (PRODUCT §5): submit, invite, shortlist, accept (within the slots), decline, withdraw, complete."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.vetting import VettingStatus
from creators.models import Creator

from .. import hooks, permissions
from ..eligibility import eligibility
from ..limits import MAX_SAMPLE_LINKS
from ..match_features import match_features_refresh
from ..models import (
    Application,
    ApplicationStatus as A,
    Campaign,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus as D,
)
from .errors import AlreadyApplied, CampaignError, InvalidTransition, NotPermitted, SlotsFull
from .moves import _accepted_count, _check_move, _locked_application, _locked_campaign, _record, _transition
from .notifications import _tell_applicants_not_hired, _tell_brand, _tell_creator


def _clean_links(links: Iterable[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_SAMPLE_LINKS:
        raise ValidationError({"sample_links": [_("Add at most %(n)s sample links.") % {"n": MAX_SAMPLE_LINKS}]})
    validator = URLValidator(schemes=["http", "https"])
    for link in cleaned:
        try:
            validator(link)
        except ValidationError:
            raise ValidationError({"sample_links": [_("“%(l)s” is not a web address.") % {"l": link}]}) from None
    return cleaned


def application_submit(
    *,
    campaign: Campaign,
    creator: Creator,
    actor: User,
    pitch: str,
    proposed_rate: Decimal | None = None,
    sample_links: Iterable[str] = (),
) -> Application:
    """A creator applies (or answers an invitation). Requires: the creator themself, approved, eligible, an open
    campaign before its deadline, no other application. Raises NotPermitted, InvalidTransition, AlreadyApplied,
    CampaignError (not eligible), ValidationError."""
    links = _clean_links(sample_links)
    if not pitch or not pitch.strip():
        raise ValidationError({"pitch": [_("Tell the brand why you are a good fit.")]})
    if proposed_rate is not None and proposed_rate < 0:
        raise ValidationError({"proposed_rate": [_("The rate cannot be negative.")]})
    try:
        with transaction.atomic():
            return _submit(
                campaign=campaign,
                creator=creator,
                actor=actor,
                pitch=pitch.strip(),
                proposed_rate=proposed_rate,
                links=links,
            )
    except IntegrityError as exc:  # the unique constraint caught a concurrent duplicate
        raise AlreadyApplied(_("You have already applied to this campaign.")) from exc


def apply_blocker(
    creator: Creator, campaign: Campaign, *, application: Application | None = None, missed: list[str] | None = None
) -> CampaignError | None:
    """The one "can apply" rule (PRODUCT §5): why ``creator`` cannot apply to ``campaign`` now, as the error the
    submit service raises, or None when they can. Pages and the API ask it before showing Apply; the service asks
    it again under the lock.

    ``application``: the creator's application to this campaign, if any (an invitation can be answered).
    ``missed``: eligibility(creator, campaign) when the caller has it already.
    """
    if creator.status != VettingStatus.APPROVED:
        return NotPermitted(_("Your profile is waiting for an admin's approval; you can apply once it is approved."))
    if campaign.status != C.OPEN or campaign.application_deadline < timezone.localdate():
        return InvalidTransition(_("This campaign is not taking applications."))
    missed = eligibility(creator, campaign) if missed is None else missed
    if missed:
        return CampaignError(_("You do not meet this campaign's requirements: %(m)s") % {"m": " ".join(missed)})
    if application is not None and application.status != A.INVITED:
        return AlreadyApplied(_("You have already applied to this campaign."))
    return None


def _submit(*, campaign, creator, actor, pitch, proposed_rate, links) -> Application:
    campaign = _locked_campaign(campaign)
    # Fresh numbers and accounts: eligibility is decided on what the database holds now.
    creator = Creator.objects.prefetch_related("accounts").get(pk=creator.pk)
    if actor is None or creator.user_id != actor.pk:
        raise NotPermitted(_("Only the creator can apply for themself."))
    existing = Application.objects.select_for_update().filter(campaign=campaign, creator=creator).first()
    blocker = apply_blocker(creator, campaign, application=existing)
    if blocker is not None:
        raise blocker
    fields = {"pitch": pitch, "proposed_rate": proposed_rate, "sample_links": links}
    if existing is not None:
        existing.campaign, existing.creator = campaign, creator
        for key, value in fields.items():
            setattr(existing, key, value)
        _transition(existing, A.SUBMITTED, actor=actor, extra_fields=list(fields))
        application = existing
    else:
        application = Application(campaign=campaign, creator=creator, status="", **fields)
        _check_move(application, A.SUBMITTED, actor=actor)
        application.status = A.SUBMITTED
        with transaction.atomic():
            application.save()
        _record(application, "", A.SUBMITTED, actor=actor)
    _tell_brand(application, _("%(c)s applied to “%(t)s”.") % {"c": creator.display_name, "t": campaign.title})
    return application


@transaction.atomic
def application_invite(*, campaign: Campaign, creator: Creator, actor: User, note: str = "") -> Application:
    """The brand invites a creator to an open campaign. Raises NotPermitted, InvalidTransition, AlreadyApplied."""
    campaign = _locked_campaign(campaign)
    if not permissions.can_manage_campaign(actor, campaign):
        raise NotPermitted(_("Only the brand's team can invite creators."))
    if campaign.status != C.OPEN:
        raise InvalidTransition(_("Publish the campaign before inviting creators."))
    if creator.status != VettingStatus.APPROVED:
        raise CampaignError(_("This creator is not approved yet."))
    if Application.objects.filter(campaign=campaign, creator=creator).exists():
        raise AlreadyApplied(_("%(c)s already has an application for this campaign.") % {"c": creator.display_name})
    application = Application(campaign=campaign, creator=creator, status="", invited_by=actor, pitch="")
    _check_move(application, A.INVITED, actor=actor)
    application.status = A.INVITED
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise AlreadyApplied(
            _("%(c)s already has an application for this campaign.") % {"c": creator.display_name}
        ) from exc
    _record(application, "", A.INVITED, actor=actor, note=note)
    _tell_creator(application, _("%(b)s invited you to “%(t)s”.") % {"b": campaign.brand.name, "t": campaign.title})
    return application


@transaction.atomic
def application_shortlist(*, application: Application, actor: User) -> Application:
    """submitted → shortlisted, by the brand."""
    application = _locked_application(application)
    _transition(application, A.SHORTLISTED, actor=actor)
    _tell_creator(application, _("You are shortlisted for “%(t)s”.") % {"t": application.campaign.title})
    return application


@transaction.atomic
def application_accept(*, application: Application, actor: User) -> Application:
    """submitted/shortlisted → accepted, never beyond the campaign's slots (the campaign row is locked first,
    so concurrent accepts queue up). Creates the deliverables from the brief; filling the last slot closes an
    open campaign. Raises NotPermitted, InvalidTransition, SlotsFull."""
    campaign = _locked_campaign(application.campaign_id)
    application = _locked_application(application)
    application.campaign = campaign
    _check_move(application, A.ACCEPTED, actor=actor)
    if campaign.status not in (C.OPEN, C.CLOSED):
        raise InvalidTransition(_("A %(s)s campaign is not hiring.") % {"s": campaign.get_status_display().lower()})
    filled = _accepted_count(campaign)
    if filled >= campaign.slots:
        raise SlotsFull(_("All %(n)s slots of this campaign are filled.") % {"n": campaign.slots})
    _transition(application, A.ACCEPTED, actor=actor)
    Deliverable.objects.bulk_create(
        Deliverable(
            application=application, platform=spec.platform, format=spec.format, due_date=campaign.content_due_date
        )
        for spec in campaign.deliverable_specs.all()
        for _i in range(spec.quantity)
    )
    match_features_refresh([application.creator_id])  # deliverables due: the on-time share may fall
    if filled + 1 >= campaign.slots and campaign.status == C.OPEN:
        _transition(campaign, C.CLOSED, actor=actor, note=_("All slots are filled"))
        _tell_applicants_not_hired(campaign)
    hooks.fire("application_accepted", application=application, actor=actor)  # payments: ask the brand to fund
    _tell_creator(application, _("You are hired for “%(t)s”!") % {"t": campaign.title})
    return application


@transaction.atomic
def application_decline(*, application: Application, actor: User, message: str = "") -> Application:
    """The brand declines submitted/shortlisted (optional message), or the creator declines an invitation."""
    application = _locked_application(application)
    application.decline_message = (message or "").strip()[:2000]
    _transition(
        application, A.DECLINED, actor=actor, note=application.decline_message, extra_fields=["decline_message"]
    )
    if permissions.is_application_creator(actor, application):
        _tell_brand(
            application,
            _("%(c)s declined your invitation to “%(t)s”.")
            % {"c": application.creator.display_name, "t": application.campaign.title},
        )
    else:
        _tell_creator(application, _("Your application to “%(t)s” was declined.") % {"t": application.campaign.title})
    return application


UNDECIDED = (A.INVITED, A.SUBMITTED, A.SHORTLISTED)


@transaction.atomic
def application_not_select(
    *, application: Application, actor: User | None = None, system: bool = False, note: str = ""
) -> Application:
    """submitted/shortlisted/invited → not selected. A platform move only (``system=True``): a person is refused."""
    application = _locked_application(application)
    _transition(
        application, A.NOT_SELECTED, actor=actor, system=system, note=note or _("The campaign ended before a decision")
    )
    _tell_creator(
        application,
        _("“%(t)s” ended without a decision on your application: not selected this time.")
        % {"t": application.campaign.title},
    )
    return application


def applications_not_select_undecided(campaign: Campaign, *, note: str) -> int:
    """Every undecided application of ``campaign`` (locked by the caller) becomes not selected, each recorded and
    its creator told; hires still open end too (their review window opens). Returns how many moved."""
    Application.objects.filter(campaign=campaign, status=A.ACCEPTED, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    moved = 0
    for pk in (
        Application.objects.filter(campaign=campaign, status__in=UNDECIDED).order_by("pk").values_list("pk", flat=True)
    ):
        application_not_select(application=pk, system=True, note=note)
        moved += 1
    return moved


@transaction.atomic
def application_withdraw(*, application: Application, actor: User) -> Application:
    """submitted/shortlisted → withdrawn, by the creator."""
    application = _locked_application(application)
    _transition(application, A.WITHDRAWN, actor=actor)
    _tell_brand(
        application,
        _("%(c)s withdrew from “%(t)s”.") % {"c": application.creator.display_name, "t": application.campaign.title},
    )
    return application


@transaction.atomic
def application_complete(*, application: Application, actor: User) -> Application:
    """accepted → completed, by the brand, once every deliverable is approved (or live)."""
    application = _locked_application(application)
    _check_move(application, A.COMPLETED, actor=actor)
    waiting = application.deliverables.exclude(status__in=[D.APPROVED, D.LIVE]).count()
    if waiting:
        raise InvalidTransition(_("%(n)s deliverable(s) are not approved yet.") % {"n": waiting})
    if not application.deliverables.exists():
        raise InvalidTransition(_("There are no deliverables to approve yet."))
    application.ended_at = timezone.now()  # opens the review window (campaigns/services/reviews.py)
    _transition(application, A.COMPLETED, actor=actor, extra_fields=["ended_at"])
    match_features_refresh([application.creator_id])  # one more completed campaign: reputation
    _tell_creator(
        application,
        _("“%(t)s” is complete. Thank you! You can now review the brand.") % {"t": application.campaign.title},
    )
    _tell_brand(
        application,
        _("“%(t)s” with %(c)s is complete: you can now review the creator.")
        % {"t": application.campaign.title, "c": application.creator.display_name},
        exclude=actor,
    )
    return application
