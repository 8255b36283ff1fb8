"""The one action vocabulary of campaigns: every move a person can make, with its name, target state, who may
make it, label, the service it calls, the success message and why it is unavailable.

Pages, the API and the admin all read it (STYLE.md: a status rule written twice is a bug waiting); templates
only render the lists and flags built here. The rules themselves stay in services.moves (the tables) and
campaigns.permissions (who); this module joins them into what a person sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from core.vetting import VettingStatus

from . import confirmations, permissions, services
from .confirmations import ConfirmationRequired
from .models import (
    Application,
    ApplicationStatus as A,
    Campaign,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus as D,
)
from .services import APPLICATION_MOVES, BRAND, CAMPAIGN_MOVES, CREATOR, DELIVERABLE_MOVES


@dataclass(frozen=True)
class Action:
    name: str
    to: str  # the state the move leads to
    who: str  # BRAND or CREATOR: the side the move table gives it to
    label: str
    service: Callable  # called as service(<object>=..., actor=..., **extra)
    success: str  # the message after it worked
    style: str = ""  # "", "secondary", "danger"
    needs_text: str = ""  # name of a text field the action asks for (e.g. a decline message)
    # A move that may ask "are you sure?" first (campaigns.confirmations): called with the object, returns the
    # Confirmation to show, or None when there is nothing to warn about.
    confirm: Callable | None = None


CAMPAIGN_ACTIONS: list[Action] = [
    Action("publish", C.OPEN, BRAND, _("Publish"), services.campaign_publish, _("Published: creators can apply now.")),
    Action(
        "close",
        C.CLOSED,
        BRAND,
        _("Close applications"),
        services.campaign_close,
        _("Applications are closed."),
        "secondary",
    ),
    Action(
        "complete",
        C.COMPLETED,
        BRAND,
        _("Mark completed"),
        services.campaign_complete,
        _("The campaign is completed."),
        "secondary",
    ),
    Action(
        "cancel",
        C.CANCELLED,
        BRAND,
        _("Cancel campaign"),
        services.campaign_cancel,
        _("The campaign is cancelled."),
        "danger",
    ),
]

APPLICATION_ACTIONS: list[Action] = [
    Action(
        "shortlist",
        A.SHORTLISTED,
        BRAND,
        _("Shortlist"),
        services.application_shortlist,
        _("Shortlisted."),
        "secondary",
    ),
    Action(
        "accept",
        A.ACCEPTED,
        BRAND,
        _("Accept"),
        services.application_accept,
        _("Accepted: the creator is hired."),
        confirm=confirmations.accept_confirmation,
    ),
    Action(
        "decline",
        A.DECLINED,
        BRAND,
        _("Decline"),
        services.application_decline,
        _("Declined."),
        "danger",
        needs_text="message",
    ),
    Action("complete", A.COMPLETED, BRAND, _("Mark completed"), services.application_complete, _("Marked completed.")),
    Action(
        "withdraw",
        A.WITHDRAWN,
        CREATOR,
        _("Withdraw application"),
        services.application_withdraw,
        _("Your application is withdrawn."),
        "danger",
    ),
    Action(
        "decline", A.DECLINED, CREATOR, _("Decline invitation"), services.application_decline, _("Declined."), "danger"
    ),
]

DELIVERABLE_ACTIONS: list[Action] = [
    Action(
        "submit", D.SUBMITTED, CREATOR, _("Submit draft"), services.deliverable_submit, _("Draft submitted for review.")
    ),
    Action("approve", D.APPROVED, BRAND, _("Approve"), services.deliverable_approve, _("Approved.")),
    Action(
        "revise",
        D.REVISION_REQUESTED,
        BRAND,
        _("Ask for a revision"),
        services.deliverable_request_revision,
        _("Revision requested."),
    ),
    Action("live", D.LIVE, CREATOR, _("Mark live"), services.deliverable_mark_live, _("Marked live.")),
]


def _by_name(actions: list[Action]) -> dict[str, list[Action]]:
    out: dict[str, list[Action]] = {}
    for action in actions:
        out.setdefault(action.name, []).append(action)
    return out


_CAMPAIGN_BY_NAME = _by_name(CAMPAIGN_ACTIONS)
_APPLICATION_BY_NAME = _by_name(APPLICATION_ACTIONS)
_DELIVERABLE_BY_NAME = _by_name(DELIVERABLE_ACTIONS)


def campaign_action(name: str) -> Action | None:
    found = _CAMPAIGN_BY_NAME.get(name)
    return found[0] if found else None


def application_action(name: str) -> Action | None:
    """The action by name (the two "decline"s call the same service; the move table decides whose it is)."""
    found = _APPLICATION_BY_NAME.get(name)
    return found[0] if found else None


def deliverable_action(name: str) -> Action | None:
    found = _DELIVERABLE_BY_NAME.get(name)
    return found[0] if found else None


# --- Why an action is unavailable ------------------------------------------------------------------------


def campaign_blocker(user, campaign: Campaign, action: Action) -> str:
    """Why ``user`` cannot take ``action`` on ``campaign`` now; "" when they can."""
    if not permissions.can_manage_campaign(user, campaign):
        return str(_("Only the brand's team can do this."))
    if (campaign.status, action.to) not in CAMPAIGN_MOVES:
        return str(_("A %(s)s campaign cannot do this.") % {"s": campaign.get_status_display().lower()})
    if action.name == "publish" and campaign.brand.status != VettingStatus.APPROVED:
        return str(
            _("Your brand is waiting for an admin's approval. Keep drafting; you can publish once it is approved.")
        )
    return ""


def application_blocker(user, application: Application, action: Action) -> str:
    side = action.who
    if side == BRAND and not permissions.can_review_application(user, application):
        return str(_("Only the brand's team can do this."))
    if side == CREATOR and not permissions.is_application_creator(user, application):
        return str(_("Only the creator can do this."))
    if APPLICATION_MOVES.get((application.status, action.to)) != side:
        return str(_("This application is %(s)s.") % {"s": application.get_status_display().lower()})
    return ""


# --- Taking an action (pages and the API call these, so they ask for the same confirmations) -------------


def take_application_action(user, application: Application, action: Action, *, confirmed: bool = False, **extra):
    """Run ``action``'s service; raises ConfirmationRequired when the move has something to warn about and is not
    ``confirmed``. A move the person may not make goes straight to the service, which refuses it with its reason
    (so nobody learns a brief's budget from a warning)."""
    if action.confirm is not None and not confirmed and not application_blocker(user, application, action):
        needed = action.confirm(application)
        if needed is not None:
            raise ConfirmationRequired(needed)
    return action.service(application=application, actor=user, **extra)


def invite(user, campaign: Campaign, creator, *, confirmed: bool = False, note: str = "") -> Application:
    """Invite ``creator``; raises ConfirmationRequired when they miss what the brief asks for and not confirmed."""
    if not confirmed and permissions.can_manage_campaign(user, campaign):
        needed = confirmations.invite_confirmation(creator, campaign)
        if needed is not None:
            raise ConfirmationRequired(needed)
    return services.application_invite(campaign=campaign, creator=creator, actor=user, note=note)


# --- What a person sees --------------------------------------------------------------------------------------


def campaign_actions(user, campaign: Campaign) -> list[Action]:
    return [a for a in CAMPAIGN_ACTIONS if not campaign_blocker(user, campaign, a)]


def application_actions(user, application: Application) -> list[Action]:
    return [a for a in APPLICATION_ACTIONS if not application_blocker(user, application, a)]


def can_answer_invitation(user, application: Application) -> bool:
    """The creator may apply with a pitch (invited → submitted): the Apply button on the application page."""
    return (
        permissions.is_application_creator(user, application)
        and APPLICATION_MOVES.get((application.status, A.SUBMITTED)) == CREATOR
    )


def deliverable_actions(user, deliverable: Deliverable) -> dict[str, bool]:
    """Flags for the deliverable card: which of its forms to show, and whether it is a revision."""
    if deliverable.application.status != A.ACCEPTED:
        return {}
    creator = permissions.can_submit_deliverable(user, deliverable)
    brand = permissions.can_review_deliverable(user, deliverable)
    allowed = {
        to
        for (frm, to), side in DELIVERABLE_MOVES.items()
        if frm == deliverable.status and ((side == CREATOR and creator) or (side == BRAND and brand))
    }
    return {
        "submit": D.SUBMITTED in allowed,
        "review": D.APPROVED in allowed,
        "live": D.LIVE in allowed,
        "revising": deliverable.status == D.REVISION_REQUESTED,  # the submit form opens, titled as a revision
    }


def brief_page_flags(user, campaign: Campaign) -> dict:
    """What the brand's page of a brief shows, decided here rather than in the template."""
    return {
        "is_draft": campaign.status == C.DRAFT,
        "can_edit": permissions.can_edit_campaign(user, campaign),
        "has_applicants": campaign.status != C.DRAFT,
        "can_invite": permissions.can_manage_campaign(user, campaign) and campaign.status == C.OPEN,
        "publish_blocker": campaign_blocker(user, campaign, CAMPAIGN_ACTIONS[0]) if campaign.status == C.DRAFT else "",
    }


def brand_can_publish(brand: Brand | None) -> bool:
    """PRODUCT §3: a pending brand drafts but cannot publish."""
    return brand is not None and brand.status == VettingStatus.APPROVED


def creator_apply_flags(creator, campaign: Campaign, *, application: Application | None, missed: list[str]) -> dict:
    """What a creator sees next to a brief: Apply, or why not (services.apply_blocker, the one rule)."""
    blocker = services.apply_blocker(creator, campaign, application=application, missed=missed)
    return {
        "can_apply": blocker is None,
        # An eligibility blocker is shown as the "Not a fit yet" list; an existing application as its card.
        "apply_blocker": ""
        if blocker is None or missed or isinstance(blocker, services.AlreadyApplied)
        else str(blocker),
        "invited": application is not None and application.status == A.INVITED,
    }


STATUS_BADGES = {
    C.DRAFT: "",
    C.OPEN: "badge-ok",
    C.CLOSED: "badge-info",
    C.COMPLETED: "badge-brand",
    C.CANCELLED: "badge-bad",
    A.INVITED: "badge-info",
    A.SUBMITTED: "",
    A.SHORTLISTED: "badge-brand",
    A.ACCEPTED: "badge-ok",
    A.DECLINED: "badge-bad",
    A.WITHDRAWN: "badge-bad",
    A.COMPLETED: "badge-brand",
    A.NOT_SELECTED: "badge-bad",
    D.PENDING: "",
    D.SUBMITTED: "badge-info",
    D.REVISION_REQUESTED: "badge-warn",
    D.APPROVED: "badge-ok",
    D.LIVE: "badge-brand",
}
