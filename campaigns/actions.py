"""Which buttons a person sees, decided in Python from the same tables the services enforce.

Templates only render these lists (STYLE.md: a status rule written twice is a bug waiting).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C, Deliverable, DeliverableStatus as D
from .services import APPLICATION_MOVES, BRAND, CAMPAIGN_MOVES, CREATOR, DELIVERABLE_MOVES


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    style: str = ""  # "", "secondary", "danger"
    needs_text: str = ""  # name of a text field the action asks for (e.g. a decline message)


_CAMPAIGN = [
    (C.OPEN, Action("publish", _("Publish"))),
    (C.CLOSED, Action("close", _("Close applications"), "secondary")),
    (C.COMPLETED, Action("complete", _("Mark completed"), "secondary")),
    (C.CANCELLED, Action("cancel", _("Cancel campaign"), "danger")),
]


def campaign_actions(user, campaign: Campaign) -> list[Action]:
    if not permissions.can_manage_campaign(user, campaign):
        return []
    out = [a for to, a in _CAMPAIGN if (campaign.status, to) in CAMPAIGN_MOVES]
    if campaign.status == C.DRAFT and not permissions.can_publish_campaign(user, campaign):
        out = [a for a in out if a.name != "publish"]
    return out


_APPLICATION = [
    (A.SHORTLISTED, BRAND, Action("shortlist", _("Shortlist"), "secondary")),
    (A.ACCEPTED, BRAND, Action("accept", _("Accept"))),
    (A.DECLINED, BRAND, Action("decline", _("Decline"), "danger", needs_text="message")),
    (A.COMPLETED, BRAND, Action("complete", _("Mark completed"))),
    (A.WITHDRAWN, CREATOR, Action("withdraw", _("Withdraw application"), "danger")),
    (A.DECLINED, CREATOR, Action("decline", _("Decline invitation"), "danger")),
]


def application_actions(user, application: Application) -> list[Action]:
    sides = set()
    if permissions.can_review_application(user, application):
        sides.add(BRAND)
    if permissions.is_application_creator(user, application):
        sides.add(CREATOR)
    return [a for to, side, a in _APPLICATION
            if side in sides and APPLICATION_MOVES.get((application.status, to)) == side]


def deliverable_actions(user, deliverable: Deliverable) -> dict[str, bool]:
    """Flags for the deliverable card: which of its forms to show."""
    if deliverable.application.status != A.ACCEPTED:
        return {}
    creator = permissions.can_submit_deliverable(user, deliverable)
    brand = permissions.can_review_deliverable(user, deliverable)
    allowed = {to for (frm, to), side in DELIVERABLE_MOVES.items()
               if frm == deliverable.status and ((side == CREATOR and creator) or (side == BRAND and brand))}
    return {
        "submit": D.SUBMITTED in allowed,
        "review": D.APPROVED in allowed,
        "live": D.LIVE in allowed,
    }


STATUS_BADGES = {
    C.DRAFT: "", C.OPEN: "badge-ok", C.CLOSED: "badge-info", C.COMPLETED: "badge-brand", C.CANCELLED: "badge-bad",
    A.INVITED: "badge-info", A.SUBMITTED: "", A.SHORTLISTED: "badge-brand", A.ACCEPTED: "badge-ok",
    A.DECLINED: "badge-bad", A.WITHDRAWN: "badge-bad", A.COMPLETED: "badge-brand",
    D.PENDING: "", D.SUBMITTED: "badge-info", D.REVISION_REQUESTED: "badge-warn", D.APPROVED: "badge-ok", D.LIVE: "badge-brand",
}
