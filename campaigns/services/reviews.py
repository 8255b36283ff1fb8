"""Reviews both ways (PRODUCT §2, issue 12): write one per side within the window, reply once, hide (staff).

Double-blind: a review is seen by others only once both sides have written theirs (``published_at`` is set on
both by the second one) or once the 14-day window has closed. campaigns.reputation reads them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core.models import User

from .. import permissions
from ..match_features import match_features_refresh
from ..models import REVIEW_WINDOW_DAYS, Application, ApplicationStatus as A, CampaignStatus as C, Review, ReviewSide
from .errors import AlreadyReviewed, CampaignError, InvalidTransition, NotPermitted
from .moves import _locked_application
from .notifications import _application_url, _brand_user_ids, notify_on_commit

RATINGS = ("overall", "communication", "quality", "timeliness")


def review_window(application: Application) -> tuple[dt.datetime, dt.datetime] | None:
    """(opens, closes) of the review window, or None when the work has not ended: completed, or hired on a
    campaign that has since ended."""
    reviewable = application.status == A.COMPLETED or (
        application.status == A.ACCEPTED and application.campaign.status in (C.COMPLETED, C.CANCELLED)
    )
    if not reviewable or application.ended_at is None:
        return None
    return application.ended_at, application.ended_at + dt.timedelta(days=REVIEW_WINDOW_DAYS)


def review_blocker(user, application: Application, *, now: dt.datetime | None = None) -> str:
    """Why ``user`` cannot review ``application`` now; "" when they can (the one rule for pages and the API)."""
    side = permissions.review_side_of(user, application)
    if not side:
        return _("Only the creator and the brand's team of this application can review it.")
    window = review_window(application)
    if window is None:
        return _("You can review once the work has ended.")
    if (now or timezone.now()) > window[1]:
        return _("The %(d)s-day review window closed on %(date)s.") % {
            "d": REVIEW_WINDOW_DAYS,
            "date": timezone.localdate(window[1]).isoformat(),
        }
    if Review.objects.filter(application=application, side=side).exists():
        return _("Your side has already reviewed this application.")
    return ""


def _clean(ratings: dict, text: str) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name in RATINGS:
        try:
            value = int(ratings.get(name))
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            errors[name] = [_("Give a rating from 1 to 5.")]
        cleaned[name] = value
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("Write a few words about working together.")]
    elif len(text) > 3000:
        errors["text"] = [_("Keep the review under 3000 characters.")]
    if errors:
        raise ValidationError(errors)
    return {**cleaned, "text": text}


@transaction.atomic
def review_create(
    *, application: Application, actor: User, text: str, now: dt.datetime | None = None, **ratings
) -> Review:
    """One review by the actor's side. Raises NotPermitted, InvalidTransition (window), AlreadyReviewed,
    ValidationError. The second review of the pair publishes both."""
    now = now or timezone.now()
    application = _locked_application(application)  # serialises the two sides: exactly one publishes the pair
    side = permissions.review_side_of(actor, application)
    if not side:
        raise NotPermitted(_("Only the creator and the brand's team of this application can review it."))
    data = _clean(ratings, text)
    blocker = review_blocker(actor, application, now=now)
    if blocker:
        kind = (
            AlreadyReviewed if Review.objects.filter(application=application, side=side).exists() else InvalidTransition
        )
        raise kind(blocker)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=application, side=side, author=actor, window_closes_at=review_window(application)[1], **data
            )
    except IntegrityError:
        raise AlreadyReviewed(_("Your side has already reviewed this application.")) from None
    other = Review.objects.filter(application=application).exclude(pk=review.pk)
    if other.exists():
        Review.objects.filter(application=application).update(published_at=now)
        review.published_at = now
    record(review, action=Action.CREATED, actor=actor, to_state="blind" if review.published_at is None else "public")
    match_features_refresh([application.creator_id])  # a rating of the creator (or now visible): reputation
    subject_ids = (
        _brand_user_ids(application.campaign.brand_id) if side == ReviewSide.CREATOR else [application.creator.user_id]
    )
    notify_on_commit(
        user_ids=subject_ids,
        verb=(
            _("Both reviews of “%(t)s” are in and now visible.")
            if review.published_at
            else _("You have a review for “%(t)s”: it shows once you review too, or when the window closes.")
        )
        % {"t": application.campaign.title},
        url=_application_url(application),
    )
    return review


def review_visible_now(review: Review, *, now: dt.datetime | None = None) -> bool:
    return review.hidden_at is None and (
        review.published_at is not None or (now or timezone.now()) >= review.window_closes_at
    )


@transaction.atomic
def review_reply(*, review: Review, actor: User, text: str) -> Review:
    """One public reply by the reviewed side, once the review is visible."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("application__campaign", "application__creator")
        .get(pk=review.pk)
    )
    own_side = permissions.review_side_of(actor, review.application)
    if not own_side or own_side == review.side:
        raise NotPermitted(_("Only the side this review is about can reply."))
    if not review_visible_now(review):
        raise InvalidTransition(_("You can reply once the review is visible."))
    if review.replied_at:
        raise AlreadyReviewed(_("This review already has its one reply."))
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise ValidationError({"reply": [_("Write a reply of up to 2000 characters.")]})
    review.reply, review.replied_at = text, timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    return review


@transaction.atomic
def review_hide(*, review: Review, actor: User, reason: str) -> Review:
    """Staff hide a review with a reason: recorded in the audit log, the author told."""
    if not permissions.can_hide_review(actor):
        raise NotPermitted(_("Only staff can hide a review."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the review is hidden; its author is told.")]})
    review = Review.objects.select_for_update(of=("self",)).select_related("application__campaign").get(pk=review.pk)
    if review.hidden_at:
        raise CampaignError(_("This review is already hidden."))
    review.hidden_at, review.hidden_reason = timezone.now(), reason[:2000]
    review.save(update_fields=["hidden_at", "hidden_reason"])
    match_features_refresh([review.application.creator_id])
    record(review, action=Action.MOVED, actor=actor, from_state="shown", to_state="hidden", note=review.hidden_reason)
    if review.author_id:
        notify_on_commit(
            user_ids=[review.author_id],
            verb=_("Your review of “%(t)s” was hidden by a moderator: %(r)s")
            % {"t": review.application.campaign.title, "r": review.hidden_reason},
            url=_application_url(review.application),
        )
    return review
