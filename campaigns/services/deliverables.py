"""Deliverables of an accepted creator: submit a draft, approve or ask for a revision, mark live."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.models import User

from .. import hooks
from ..match_features import match_features_refresh
from ..models import ApplicationStatus as A, Deliverable, DeliverableStatus as D, Submission, SubmissionStatus
from .errors import InvalidTransition
from .moves import _check_move, _locked_deliverable, _transition
from .notifications import _tell_brand, _tell_creator


def _require_hired(deliverable: Deliverable) -> None:
    if deliverable.application.status != A.ACCEPTED:
        raise InvalidTransition(_("Deliverables can change only while the application is accepted."))


@transaction.atomic
def deliverable_submit(
    *, deliverable: Deliverable, actor: User, file=None, link: str = "", note: str = ""
) -> Submission:
    """The creator submits a draft (an uploaded file or a link).

    Raises ValidationError, NotPermitted, InvalidTransition."""
    if not file and not (link or "").strip():
        raise ValidationError({"link": [_("Upload the draft or paste a link to it.")]})
    deliverable = _locked_deliverable(deliverable)
    _check_move(deliverable, D.SUBMITTED, actor=actor)
    _require_hired(deliverable)
    # The one upload policy: type from the content, images re-encoded (no GPS), our own name and extension.
    content = uploads.accept_draft(file) if file else None
    submission = Submission(
        deliverable=deliverable, link=(link or "").strip(), note=(note or "").strip(), submitted_by=actor
    )
    with uploads.discard_on_error() as stored:
        if content is not None:
            stored.save(submission.file, content)
        submission.save()
        _transition(deliverable, D.SUBMITTED, actor=actor)
        match_features_refresh([deliverable.application.creator_id])  # a draft: the on-time share
        _tell_brand(
            deliverable.application,
            _("%(c)s submitted a draft for “%(t)s”.")
            % {"c": deliverable.application.creator.display_name, "t": deliverable.application.campaign.title},
        )
    return submission


def _review(
    deliverable: Deliverable, to: str, actor: User | None, comment: str, *, system: bool = False, note: str = ""
) -> Deliverable:
    """Decide on the locked deliverable's latest draft. ``system=True``: the platform decides (auto-approval),
    ``note`` then goes to the audit entry instead of the brand's comment."""
    _check_move(deliverable, to, actor=actor, system=system)
    _require_hired(deliverable)
    latest = deliverable.submissions.select_for_update().first()
    if latest is not None:
        latest.status = SubmissionStatus.APPROVED if to == D.APPROVED else SubmissionStatus.REVISION_REQUESTED
        latest.brand_comment, latest.reviewed_by, latest.reviewed_at = comment, actor, timezone.now()
        latest.save(update_fields=["status", "brand_comment", "reviewed_by", "reviewed_at"])
    _transition(deliverable, to, actor=actor, note=note or comment, system=system)
    return deliverable


@transaction.atomic
def deliverable_approve(*, deliverable: Deliverable, actor: User, comment: str = "") -> Deliverable:
    """submitted → approved, by the brand."""
    deliverable = _review(_locked_deliverable(deliverable), D.APPROVED, actor, (comment or "").strip())
    hooks.fire("deliverable_approved", deliverable=deliverable, actor=actor)  # payments: release when all are
    _tell_creator(
        deliverable.application,
        _("Your draft for “%(t)s” is approved.") % {"t": deliverable.application.campaign.title},
    )
    return deliverable


@transaction.atomic
def deliverable_request_revision(*, deliverable: Deliverable, actor: User, comment: str) -> Deliverable:
    """submitted → revision requested, by the brand, with a comment saying what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what should change.")]})
    deliverable = _review(_locked_deliverable(deliverable), D.REVISION_REQUESTED, actor, comment.strip())
    _tell_creator(
        deliverable.application,
        _("The brand asks for a revision on “%(t)s”.") % {"t": deliverable.application.campaign.title},
    )
    return deliverable


def deliverable_mark_live(*, deliverable: Deliverable, actor: User, url: str) -> Deliverable:
    """approved → live, by the creator, with the public URL of the post.

    On a platform whose posts are followed (stats.posts), the address must be a post of the creator's linked
    account of the deliverable's platform: the platform is asked before anything is locked or written, and a refusal
    is a ValidationError on ``live_url`` saying why. The post is then followed (``Deliverable.post``) and its numbers
    are refreshed by the statistics pipeline."""
    from stats.api import FOLLOWED_PLATFORMS, PostRefused, post_follow, post_resolve

    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"live_url": [_("Paste the public web address of the post.")]}) from None
    # Who may, and from which state, before the platform is asked anything (checked again under the lock).
    _check_move(Deliverable.objects.select_related("application").get(pk=deliverable.pk), D.LIVE, actor=actor)
    resolved = None
    if deliverable.platform in FOLLOWED_PLATFORMS:
        try:
            resolved = post_resolve(
                creator_id=deliverable.application.creator_id, platform=deliverable.platform, url=url
            )
        except PostRefused as exc:
            raise ValidationError({"live_url": [str(exc)]}) from None
    with transaction.atomic():
        deliverable = _locked_deliverable(deliverable)
        deliverable.live_url = url
        fields = ["live_url"]
        if resolved is not None:
            deliverable.post = post_follow(resolved)
            fields.append("post")
        _transition(deliverable, D.LIVE, actor=actor, extra_fields=fields)
        _tell_brand(
            deliverable.application,
            _("%(c)s's post for “%(t)s” is live.")
            % {"c": deliverable.application.creator.display_name, "t": deliverable.application.campaign.title},
        )
    return deliverable
