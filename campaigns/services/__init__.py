"""The write side of campaigns, split by concern; every state change goes through ``moves._transition()``.

Shape of every transition service (STYLE.md): lock the rows (campaign first, then application, then
deliverable, always in that order so two services never deadlock), check the permission and the move, save
only the changed fields, write an audit row, and queue notifications with ``transaction.on_commit``.

    errors.py        CampaignError and its kinds (API: 400, 403, 409)
    moves.py         the tables of allowed moves, the row locks, _check_move() and _transition()
    briefs.py        create and edit a brief, its validation, deliverable lines, reference images
    lifecycle.py     publish, close, complete, cancel, the deadline task's close
    applications.py  submit, invite, shortlist, accept, decline, withdraw, complete; apply_blocker()
    deliverables.py  submit a draft, approve, ask for a revision, mark live
    messages.py      the application's thread
    auto_approval.py the beat's auto-approval of drafts left unreviewed for N business days
    reminders.py     the beat's reminders (undecided, due soon, overdue, drafts waiting, review requests), each once
    reviews.py       reviews both ways: write (one per side, 14-day window, double-blind), reply once, hide
    notifications.py who gets told, in-app and by email, after commit

Callers import from ``campaigns.services``; the names below are its public surface.
"""

from .applications import (
    _clean_links,
    application_accept,
    application_complete,
    application_decline,
    application_invite,
    application_not_select,
    application_shortlist,
    application_submit,
    application_withdraw,
    apply_blocker,
)
from .auto_approval import add_business_days, auto_approve_at, deliverable_auto_approve, deliverables_auto_approve
from .briefs import (
    BRIEF_FIELDS,
    MAX_REFERENCE_IMAGES,
    _save_specs,
    brief_problems,
    campaign_create,
    campaign_update,
    reference_image_add,
    reference_image_remove,
)
from .deliverables import deliverable_approve, deliverable_mark_live, deliverable_request_revision, deliverable_submit
from .errors import AlreadyApplied, AlreadyReviewed, CampaignError, InvalidTransition, NotPermitted, SlotsFull
from .lifecycle import campaign_cancel, campaign_close, campaign_complete, campaign_publish, campaigns_close_expired
from .messages import message_post, thread_mark_read
from .moves import (
    APPLICATION_MOVES,
    BRAND,
    CAMPAIGN_MOVES,
    CREATOR,
    DELIVERABLE_MOVES,
    SYSTEM,
    _check_move,
    _transition,
)
from .notifications import notifications_mark_read, notify, notify_on_commit, send_emails
from .reminders import reminder_send_once, reminders_send
from .reviews import (
    RATINGS,
    review_blocker,
    review_create,
    review_hide,
    review_reply,
    review_visible_now,
    review_window,
)

__all__ = [
    "APPLICATION_MOVES",
    "BRAND",
    "BRIEF_FIELDS",
    "CAMPAIGN_MOVES",
    "CREATOR",
    "DELIVERABLE_MOVES",
    "MAX_REFERENCE_IMAGES",
    "AlreadyApplied",
    "CampaignError",
    "InvalidTransition",
    "NotPermitted",
    "SlotsFull",
    "_check_move",
    "_clean_links",
    "_save_specs",
    "_transition",
    "application_accept",
    "application_complete",
    "application_decline",
    "application_invite",
    "application_not_select",
    "SYSTEM",
    "application_shortlist",
    "application_submit",
    "application_withdraw",
    "apply_blocker",
    "brief_problems",
    "campaign_cancel",
    "campaign_close",
    "campaign_complete",
    "campaign_create",
    "campaign_publish",
    "campaign_update",
    "campaigns_close_expired",
    "add_business_days",
    "auto_approve_at",
    "deliverable_approve",
    "deliverable_auto_approve",
    "deliverables_auto_approve",
    "deliverable_mark_live",
    "deliverable_request_revision",
    "deliverable_submit",
    "message_post",
    "reminder_send_once",
    "reminders_send",
    "thread_mark_read",
    "notifications_mark_read",
    "notify",
    "notify_on_commit",
    "reference_image_add",
    "reference_image_remove",
    "send_emails",
    "AlreadyReviewed",
    "RATINGS",
    "review_blocker",
    "review_create",
    "review_hide",
    "review_reply",
    "review_visible_now",
    "review_window",
]
