"""The write side of campaigns: every state change goes through ``_transition()`` (STYLE.md).

Shape of every transition service: lock the rows (campaign first, then application,
then deliverable, always in that order so two services never deadlock), check the
permission and the move, save only the changed fields, write an audit row, and queue
notifications with ``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from brands.models import Brand, BrandMember
from creators.models import Creator
from marketplace import uploads
from marketplace.models import User
from marketplace.vetting import VettingStatus

from . import permissions
from .eligibility import eligibility
from .limits import MAX_SAMPLE_LINKS, list_problems, spec_problems
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus as A,
    Campaign,
    CampaignEvent,
    CampaignStatus as C,
    CompensationType,
    Deliverable,
    DeliverableSpec,
    DeliverableStatus as D,
    Message,
    Notification,
    ReferenceImage,
    Submission,
    SubmissionStatus,
    UsageRights,
)
from .notifications import notify_on_commit


# --- Errors ---------------------------------------------------------------------------------


class CampaignError(Exception):
    """A write refused for a reason the user can act on (API: 400)."""

    status_code = 400


class NotPermitted(CampaignError):
    """The actor may not make this move (API: 403)."""

    status_code = 403


class InvalidTransition(CampaignError):
    """The move is not allowed from the current state (API: 409)."""

    status_code = 409


class SlotsFull(InvalidTransition):
    pass


class AlreadyApplied(InvalidTransition):
    pass


# --- The tables of allowed moves --------------------------------------------------------------

BRAND, CREATOR = "brand", "creator"

CAMPAIGN_MOVES: dict[tuple[str, str], str] = {
    (C.DRAFT, C.OPEN): BRAND,
    (C.DRAFT, C.CANCELLED): BRAND,
    (C.OPEN, C.CLOSED): BRAND,  # by hand, when the last slot fills, or by the deadline task (actor None)
    (C.OPEN, C.CANCELLED): BRAND,
    (C.CLOSED, C.COMPLETED): BRAND,
    (C.CLOSED, C.CANCELLED): BRAND,
}

# PRODUCT §5, exactly; "" is "no application yet".
APPLICATION_MOVES: dict[tuple[str, str], str] = {
    ("", A.SUBMITTED): CREATOR,
    ("", A.INVITED): BRAND,
    (A.INVITED, A.SUBMITTED): CREATOR,
    (A.INVITED, A.DECLINED): CREATOR,
    (A.SUBMITTED, A.SHORTLISTED): BRAND,
    (A.SUBMITTED, A.ACCEPTED): BRAND,
    (A.SHORTLISTED, A.ACCEPTED): BRAND,
    (A.SUBMITTED, A.DECLINED): BRAND,
    (A.SHORTLISTED, A.DECLINED): BRAND,
    (A.SUBMITTED, A.WITHDRAWN): CREATOR,
    (A.SHORTLISTED, A.WITHDRAWN): CREATOR,
    (A.ACCEPTED, A.COMPLETED): BRAND,
}

DELIVERABLE_MOVES: dict[tuple[str, str], str] = {
    (D.PENDING, D.SUBMITTED): CREATOR,
    (D.REVISION_REQUESTED, D.SUBMITTED): CREATOR,
    (D.SUBMITTED, D.APPROVED): BRAND,
    (D.SUBMITTED, D.REVISION_REQUESTED): BRAND,
    (D.APPROVED, D.LIVE): CREATOR,
}

_TABLES = {Campaign: CAMPAIGN_MOVES, Application: APPLICATION_MOVES, Deliverable: DELIVERABLE_MOVES}
_NOUNS = {Campaign: "campaign", Application: "application", Deliverable: "deliverable"}


def _status_label(model, status: str) -> str:
    if not status:
        return _("new")
    return str(dict(model._meta.get_field("status").choices).get(status, status)).lower()


def _may_act(side: str, actor: User | None, obj) -> bool:
    if isinstance(obj, Campaign):
        return permissions.can_manage_campaign(actor, obj)
    application = obj if isinstance(obj, Application) else obj.application
    if side == BRAND:
        return permissions.can_review_application(actor, application)
    return permissions.can_act_as_applicant(actor, application)


def _check_move(obj, to: str, *, actor: User | None, system: bool = False) -> None:
    model = type(obj)
    side = _TABLES[model].get((obj.status or "", to))
    if side is None:
        raise InvalidTransition(
            _("This %(noun)s is %(from)s, so it cannot become %(to)s.")
            % {"noun": _NOUNS[model], "from": _status_label(model, obj.status), "to": _status_label(model, to)}
        )
    if system:
        return
    if actor is None or not _may_act(side, actor, obj):
        raise NotPermitted(
            _("Only the %(side)s can make this %(noun)s %(to)s.")
            % {"side": _("brand's team") if side == BRAND else _("creator"), "noun": _NOUNS[model],
               "to": _status_label(model, to)}
        )


def _transition(obj, to: str, *, actor: User | None, note: str = "", system: bool = False,
                extra_fields: Iterable[str] = ()) -> None:
    """Check and make one move of ``obj`` (locked by the caller), and write its audit row.

    ``system=True`` is for scheduled moves without a person (the deadline task).
    """
    _check_move(obj, to, actor=actor, system=system)
    from_status = obj.status or ""
    obj.status = to
    fields = ["status", *extra_fields]
    if any(f.name == "updated_at" for f in type(obj)._meta.fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    if isinstance(obj, Campaign):
        CampaignEvent.objects.create(campaign=obj, actor=actor, from_status=from_status, to_status=to, note=note)
    elif isinstance(obj, Application):
        ApplicationEvent.objects.create(application=obj, actor=actor, from_status=from_status, to_status=to, note=note)
    else:
        ApplicationEvent.objects.create(application_id=obj.application_id, deliverable=obj, actor=actor,
                                        from_status=from_status, to_status=to, note=note)


# --- Who gets told ------------------------------------------------------------------------------


def _brand_user_ids(brand_id: int) -> list[int]:
    return list(BrandMember.objects.filter(brand_id=brand_id).values_list("user_id", flat=True))


def _application_url(application: Application) -> str:
    return reverse("campaigns:application", args=[application.pk])


def _tell_creator(application: Application, verb: str) -> None:
    notify_on_commit(user_ids=[application.creator.user_id], verb=verb, url=_application_url(application))


def _tell_brand(application: Application, verb: str, *, exclude: User | None = None) -> None:
    ids = [i for i in _brand_user_ids(application.campaign.brand_id) if not exclude or i != exclude.pk]
    notify_on_commit(user_ids=ids, verb=verb, url=_application_url(application))


# --- Campaign briefs ----------------------------------------------------------------------------

BRIEF_FIELDS = [
    "title", "product_description", "goal", "platforms", "target_tiers", "min_followers", "min_engagement_rate",
    "countries", "languages", "compensation_type", "fee_per_creator", "gifted_product", "gifted_value",
    "commission_percent", "total_budget", "slots", "application_deadline", "content_due_date", "usage_rights",
    "usage_duration_months", "dos", "donts",
]


def brief_problems(data: dict, *, today: dt.date | None = None, check_dates: bool = True) -> dict[str, str]:
    """What is wrong with a brief, by field, in words a brand understands. Used by forms, API and publish."""
    today = today or timezone.localdate()
    problems: dict[str, str] = list_problems(data)
    deadline, due = data.get("application_deadline"), data.get("content_due_date")
    if check_dates and deadline and deadline < today:
        problems["application_deadline"] = _("The application deadline cannot be in the past.")
    if deadline and due and due <= deadline:
        problems["content_due_date"] = _("Content must be due after the application deadline (%(d)s), so hired "
                                         "creators have time to make it.") % {"d": deadline.isoformat()}
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
                "n": slots, "fee": f"{fee:,.2f}", "total": f"{needed:,.2f}"}
        elif budget < needed:
            problems["total_budget"] = _("The budget (%(budget)s) does not cover %(n)s slots × %(fee)s = %(total)s. "
                                         "Raise the budget or lower the slots or the fee.") % {
                "budget": f"{budget:,.2f}", "n": slots, "fee": f"{fee:,.2f}", "total": f"{needed:,.2f}"}
    if data.get("usage_rights") == UsageRights.PAID_ADS and not data.get("usage_duration_months"):
        problems["usage_duration_months"] = _("Say for how many months you may run the content in paid ads.")
    return problems


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
def campaign_create(*, brand: Brand, actor: User, data: dict, niches: Iterable = (), specs: Iterable[dict] = ()) -> Campaign:
    """Create a draft brief for ``brand``. Requires a member of the brand. Raises NotPermitted, ValidationError."""
    if not permissions.is_brand_member(actor, brand.pk):
        raise NotPermitted(_("Only the brand's team can post its campaigns."))
    _raise_problems(brief_problems(data))
    campaign = Campaign(brand=brand, created_by=actor, **{k: v for k, v in data.items() if k in BRIEF_FIELDS})
    campaign.full_clean(exclude=["brand", "created_by"])
    campaign.save()
    campaign.niches.set(niches)
    _save_specs(campaign, specs)
    CampaignEvent.objects.create(campaign=campaign, actor=actor, from_status="", to_status=C.DRAFT, note=_("Created"))
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, actor: User, data: dict, niches: Iterable | None = None,
                    specs: Iterable[dict] | None = None) -> Campaign:
    """Edit a draft or open brief. Raises NotPermitted, InvalidTransition (closed or later), ValidationError."""
    campaign = Campaign.objects.select_for_update().select_related("brand").get(pk=campaign.pk)
    if not permissions.can_manage_campaign(actor, campaign):
        raise NotPermitted(_("Only the brand's team can edit this campaign."))
    if campaign.status not in (C.DRAFT, C.OPEN):
        raise InvalidTransition(_("A %(s)s campaign can no longer be edited.") % {"s": campaign.get_status_display().lower()})
    merged = {f: getattr(campaign, f) for f in BRIEF_FIELDS} | data
    old_deadline = campaign.application_deadline
    _raise_problems(brief_problems(merged, check_dates=merged["application_deadline"] != old_deadline))
    hired = _accepted_count(campaign)
    if merged.get("slots") is not None and merged["slots"] < hired:
        raise ValidationError({"slots": [_("%(n)s creators are already hired; keep at least %(n)s slots.") % {"n": hired}]})
    for key, value in data.items():
        if key in BRIEF_FIELDS:
            setattr(campaign, key, value)
    campaign.full_clean(exclude=["brand", "created_by"])
    campaign.save()
    if niches is not None:
        campaign.niches.set(niches)
    if specs is not None:
        _save_specs(campaign, specs)
    return campaign


def _locked_campaign(campaign: Campaign | int) -> Campaign:
    pk = campaign.pk if isinstance(campaign, Campaign) else campaign
    return Campaign.objects.select_for_update(of=("self",)).select_related("brand").get(pk=pk)


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
    """closed → completed."""
    campaign = _locked_campaign(campaign)
    _transition(campaign, C.COMPLETED, actor=actor)
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign, actor: User, note: str = "", system: bool = False) -> Campaign:
    """draft, open or closed → cancelled; applicants are told. ``system=True``: an admin moderating."""
    campaign = _locked_campaign(campaign)
    _transition(campaign, C.CANCELLED, actor=actor, note=note, system=system)
    _tell_applicants(campaign, C.CANCELLED)
    return campaign


def _tell_applicants(campaign: Campaign, status: str) -> None:
    live = [A.INVITED, A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED]
    ids = list(Application.objects.filter(campaign=campaign, status__in=live).values_list("creator__user_id", flat=True))
    verb = (_("“%(t)s” was cancelled by the brand.") if status == C.CANCELLED
            else _("“%(t)s” no longer takes applications.")) % {"t": campaign.title}
    notify_on_commit(user_ids=ids, verb=verb, url=reverse("campaigns:detail", args=[campaign.pk]))


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


# --- Applications -----------------------------------------------------------------------------------


def _accepted_count(campaign: Campaign) -> int:
    return Application.objects.filter(campaign=campaign, status__in=[A.ACCEPTED, A.COMPLETED]).count()


def _locked_application(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update(of=("self",)).select_related("campaign__brand", "creator").get(pk=pk)


def _clean_links(links: Iterable[str]) -> list[str]:
    from django.core.validators import URLValidator

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


def application_submit(*, campaign: Campaign, creator: Creator, actor: User, pitch: str,
                       proposed_rate: Decimal | None = None, sample_links: Iterable[str] = ()) -> Application:
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
            return _submit(campaign=campaign, creator=creator, actor=actor, pitch=pitch.strip(),
                           proposed_rate=proposed_rate, links=links)
    except IntegrityError as exc:  # the unique constraint caught a concurrent duplicate
        raise AlreadyApplied(_("You have already applied to this campaign.")) from exc


def _submit(*, campaign, creator, actor, pitch, proposed_rate, links) -> Application:
    campaign = _locked_campaign(campaign)
    # Fresh numbers and accounts: eligibility is decided on what the database holds now.
    creator = Creator.objects.prefetch_related("accounts").get(pk=creator.pk)
    if actor is None or creator.user_id != actor.pk:
        raise NotPermitted(_("Only the creator can apply for themself."))
    if creator.status != VettingStatus.APPROVED:
        raise NotPermitted(_("Your profile is waiting for an admin's approval; you can apply once it is approved."))
    if campaign.status != C.OPEN or campaign.application_deadline < timezone.localdate():
        raise InvalidTransition(_("This campaign is not taking applications."))
    missed = eligibility(creator, campaign)
    if missed:
        raise CampaignError(_("You do not meet this campaign's requirements: %(m)s") % {"m": " ".join(missed)})
    existing = Application.objects.select_for_update().filter(campaign=campaign, creator=creator).first()
    fields = {"pitch": pitch, "proposed_rate": proposed_rate, "sample_links": links}
    if existing is not None:
        if existing.status != A.INVITED:
            raise AlreadyApplied(_("You have already applied to this campaign."))
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
        ApplicationEvent.objects.create(application=application, actor=actor, from_status="", to_status=A.SUBMITTED)
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
        raise AlreadyApplied(_("%(c)s already has an application for this campaign.") % {"c": creator.display_name}) from exc
    ApplicationEvent.objects.create(application=application, actor=actor, from_status="", to_status=A.INVITED, note=note)
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
        Deliverable(application=application, platform=spec.platform, format=spec.format, due_date=campaign.content_due_date)
        for spec in campaign.deliverable_specs.all()
        for _i in range(spec.quantity)
    )
    if filled + 1 >= campaign.slots and campaign.status == C.OPEN:
        _transition(campaign, C.CLOSED, actor=actor, note=_("All slots are filled"))
        _tell_applicants_not_hired(campaign)
    _tell_creator(application, _("You are hired for “%(t)s”!") % {"t": campaign.title})
    return application


def _tell_applicants_not_hired(campaign: Campaign) -> None:
    ids = list(Application.objects.filter(campaign=campaign, status__in=[A.INVITED]).values_list("creator__user_id", flat=True))
    notify_on_commit(user_ids=ids, verb=_("“%(t)s” filled its slots.") % {"t": campaign.title},
                     url=reverse("campaigns:detail", args=[campaign.pk]))


@transaction.atomic
def application_decline(*, application: Application, actor: User, message: str = "") -> Application:
    """The brand declines submitted/shortlisted (optional message), or the creator declines an invitation."""
    application = _locked_application(application)
    application.decline_message = (message or "").strip()[:2000]
    _transition(application, A.DECLINED, actor=actor, note=application.decline_message, extra_fields=["decline_message"])
    if permissions.is_application_creator(actor, application):
        _tell_brand(application, _("%(c)s declined your invitation to “%(t)s”.") % {
            "c": application.creator.display_name, "t": application.campaign.title})
    else:
        _tell_creator(application, _("Your application to “%(t)s” was declined.") % {"t": application.campaign.title})
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User) -> Application:
    """submitted/shortlisted → withdrawn, by the creator."""
    application = _locked_application(application)
    _transition(application, A.WITHDRAWN, actor=actor)
    _tell_brand(application, _("%(c)s withdrew from “%(t)s”.") % {
        "c": application.creator.display_name, "t": application.campaign.title})
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
    _transition(application, A.COMPLETED, actor=actor)
    _tell_creator(application, _("“%(t)s” is complete. Thank you!") % {"t": application.campaign.title})
    return application


# --- Deliverables --------------------------------------------------------------------------------------


def _locked_deliverable(deliverable: Deliverable | int) -> Deliverable:
    pk = deliverable.pk if isinstance(deliverable, Deliverable) else deliverable
    return Deliverable.objects.select_for_update(of=("self",)).select_related(
        "application__campaign__brand", "application__creator").get(pk=pk)


def _require_hired(deliverable: Deliverable) -> None:
    if deliverable.application.status != A.ACCEPTED:
        raise InvalidTransition(_("Deliverables can change only while the application is accepted."))


@transaction.atomic
def deliverable_submit(*, deliverable: Deliverable, actor: User, file=None, link: str = "", note: str = "") -> Submission:
    """The creator submits a draft (an uploaded file or a link). Raises ValidationError, NotPermitted, InvalidTransition."""
    if not file and not (link or "").strip():
        raise ValidationError({"link": [_("Upload the draft or paste a link to it.")]})
    deliverable = _locked_deliverable(deliverable)
    _check_move(deliverable, D.SUBMITTED, actor=actor)
    _require_hired(deliverable)
    # The one upload policy: type from the content, images re-encoded (no GPS), our own name and extension.
    content = uploads.accept_draft(file) if file else None
    submission = Submission(deliverable=deliverable, link=(link or "").strip(), note=(note or "").strip(),
                            submitted_by=actor)
    with uploads.discard_on_error() as stored:
        if content is not None:
            stored.save(submission.file, content)
        submission.save()
        _transition(deliverable, D.SUBMITTED, actor=actor)
        _tell_brand(deliverable.application, _("%(c)s submitted a draft for “%(t)s”.") % {
            "c": deliverable.application.creator.display_name, "t": deliverable.application.campaign.title})
    return submission


def _review(deliverable: Deliverable, to: str, actor: User, comment: str) -> Deliverable:
    deliverable = _locked_deliverable(deliverable)
    _check_move(deliverable, to, actor=actor)
    _require_hired(deliverable)
    latest = deliverable.submissions.select_for_update().first()
    if latest is not None:
        latest.status = SubmissionStatus.APPROVED if to == D.APPROVED else SubmissionStatus.REVISION_REQUESTED
        latest.brand_comment, latest.reviewed_by, latest.reviewed_at = comment, actor, timezone.now()
        latest.save(update_fields=["status", "brand_comment", "reviewed_by", "reviewed_at"])
    _transition(deliverable, to, actor=actor, note=comment)
    return deliverable


@transaction.atomic
def deliverable_approve(*, deliverable: Deliverable, actor: User, comment: str = "") -> Deliverable:
    """submitted → approved, by the brand."""
    deliverable = _review(deliverable, D.APPROVED, actor, (comment or "").strip())
    _tell_creator(deliverable.application, _("Your draft for “%(t)s” is approved.") % {
        "t": deliverable.application.campaign.title})
    return deliverable


@transaction.atomic
def deliverable_request_revision(*, deliverable: Deliverable, actor: User, comment: str) -> Deliverable:
    """submitted → revision requested, by the brand, with a comment saying what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what should change.")]})
    deliverable = _review(deliverable, D.REVISION_REQUESTED, actor, comment.strip())
    _tell_creator(deliverable.application, _("The brand asks for a revision on “%(t)s”.") % {
        "t": deliverable.application.campaign.title})
    return deliverable


@transaction.atomic
def deliverable_mark_live(*, deliverable: Deliverable, actor: User, url: str) -> Deliverable:
    """approved → live, by the creator, with the public URL of the post."""
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])((url or "").strip())
    except ValidationError:
        raise ValidationError({"live_url": [_("Paste the public web address of the post.")]}) from None
    deliverable = _locked_deliverable(deliverable)
    deliverable.live_url = url.strip()
    _transition(deliverable, D.LIVE, actor=actor, extra_fields=["live_url"])
    _tell_brand(deliverable.application, _("%(c)s's post for “%(t)s” is live.") % {
        "c": deliverable.application.creator.display_name, "t": deliverable.application.campaign.title})
    return deliverable


# --- Messages and notifications ------------------------------------------------------------------------


@transaction.atomic
def message_post(*, application: Application, actor: User, body: str) -> Message:
    """Add a note to the application's thread; the other side is notified."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message first.")]})
    if len(body) > 4000:
        raise ValidationError({"body": [_("Keep a message under 4,000 characters.")]})
    if not permissions.can_message(actor, application):
        raise NotPermitted(_("You are not part of this conversation."))
    message = Message.objects.create(application=application, author=actor, body=body)
    verb = _("New message about “%(t)s”.") % {"t": application.campaign.title}
    if permissions.is_application_creator(actor, application):
        _tell_brand(application, verb)
    else:
        _tell_brand(application, verb, exclude=actor)
        _tell_creator(application, verb)
    return message


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())



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
        raise InvalidTransition(_("A %(s)s campaign can no longer be edited.") % {"s": campaign.get_status_display().lower()})
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
