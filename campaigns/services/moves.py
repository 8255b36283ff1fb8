"""The tables of allowed moves (PRODUCT §4–§5), the row locks, and the one ``_transition()`` helper.

Lock order, always: campaign first, then application, then deliverable, so two services never deadlock.
Nothing else assigns ``.status``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core.models import User

from .. import permissions
from ..models import (
    Application,
    ApplicationStatus as A,
    Campaign,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus as D,
)
from .errors import InvalidTransition, NotPermitted

BRAND, CREATOR, SYSTEM = "brand", "creator", "system"  # SYSTEM: made by the platform, never by a person

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
    # No ghosting (issue 12): still undecided when the campaign ends (completed or cancelled) → not selected.
    (A.SUBMITTED, A.NOT_SELECTED): SYSTEM,
    (A.SHORTLISTED, A.NOT_SELECTED): SYSTEM,
    (A.INVITED, A.NOT_SELECTED): SYSTEM,
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
    if side == SYSTEM:
        raise NotPermitted(
            _("Only the platform makes this %(noun)s %(to)s, when the campaign ends.")
            % {"noun": _NOUNS[model], "to": _status_label(model, to)}
        )
    if actor is None or not _may_act(side, actor, obj):
        raise NotPermitted(
            _("Only the %(side)s can make this %(noun)s %(to)s.")
            % {
                "side": _("brand's team") if side == BRAND else _("creator"),
                "noun": _NOUNS[model],
                "to": _status_label(model, to),
            }
        )


def _transition(
    obj, to: str, *, actor: User | None, note: str = "", system: bool = False, extra_fields: Iterable[str] = ()
) -> None:
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
    _record(obj, from_status, to, actor=actor, note=note)


def _record(obj, from_status: str, to: str, *, actor: User | None, note: str = "") -> None:
    """The audit entry of one move; a row that did not exist before ("" → …) is recorded as created."""
    record(
        obj,
        action=Action.MOVED if from_status else Action.CREATED,
        actor=actor,
        from_state=from_status,
        to_state=to,
        note=note,
    )


# --- Row locks, in the documented order ---------------------------------------------------------------


def _locked_campaign(campaign: Campaign | int) -> Campaign:
    pk = campaign.pk if isinstance(campaign, Campaign) else campaign
    return Campaign.objects.select_for_update(of=("self",)).select_related("brand").get(pk=pk)


def _locked_application(application: Application | int) -> Application:
    pk = application.pk if isinstance(application, Application) else application
    return Application.objects.select_for_update(of=("self",)).select_related("campaign__brand", "creator").get(pk=pk)


def _locked_deliverable(deliverable: Deliverable | int) -> Deliverable:
    pk = deliverable.pk if isinstance(deliverable, Deliverable) else deliverable
    return (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("application__campaign__brand", "application__creator")
        .get(pk=pk)
    )


def _accepted_count(campaign: Campaign) -> int:
    """Slots taken: accepted and completed applications (read under the campaign's lock)."""
    return Application.objects.filter(campaign=campaign, status__in=[A.ACCEPTED, A.COMPLETED]).count()
