"""Auto-approval (issue 10): a draft the brand leaves unreviewed for N business days is approved by the platform,
once, whatever the number of beat ticks; a draft reviewed meanwhile is left alone. Times are explicit datetimes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from audit.models import AuditEntry
from campaigns import hooks, services
from campaigns.models import DeliverableStatus, Notification, SubmissionStatus
from campaigns.services import add_business_days, deliverables_auto_approve
from tests.campaigns.test_transitions import reach
from tests.factories import BrandMemberFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
FRIDAY = dt.datetime(2031, 3, 7, 10, 0, tzinfo=UTC)


def bell(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("verb", flat=True))


@pytest.fixture
def hired(member, campaign, creator):
    return reach("accepted", campaign, creator, member)


def submit(application, creator, at: dt.datetime):
    d = application.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    d.submissions.update(created_at=at)
    Notification.objects.all().delete()
    mail.outbox.clear()
    return d


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.datetime(2031, 3, 7, 10, 0, tzinfo=UTC), 3, dt.datetime(2031, 3, 12, 10, 0, tzinfo=UTC)),  # Fri → Wed
        (dt.datetime(2031, 3, 3, 9, 30, tzinfo=UTC), 3, dt.datetime(2031, 3, 6, 9, 30, tzinfo=UTC)),  # Mon → Thu
        (dt.datetime(2031, 3, 8, 12, 0, tzinfo=UTC), 1, dt.datetime(2031, 3, 10, 12, 0, tzinfo=UTC)),  # Sat → Mon
        (dt.datetime(2031, 3, 5, 8, 0, tzinfo=UTC), 5, dt.datetime(2031, 3, 12, 8, 0, tzinfo=UTC)),  # Wed → Wed
    ],
)
def test_business_days_skip_the_weekend(start, days, expected):
    assert add_business_days(start, days) == expected


def test_the_beat_runs_auto_approval_hourly():
    from marketplace.celery import app

    entry = app.conf.beat_schedule["campaigns-auto-approve-drafts"]
    assert entry["task"] == "campaigns.tasks.auto_approve_drafts"
    assert entry["schedule"].minute == {40}


def test_a_friday_draft_is_approved_on_wednesday_not_monday(hired, member, creator, django_capture_on_commit_callbacks):
    teammate = BrandMemberFactory(brand=member.brand, role="member")
    d = submit(hired, creator, FRIDAY)

    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 10, 10, 0, tzinfo=UTC)) == 0  # Monday: 3 calendar days
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 12, 9, 59, tzinfo=UTC)) == 0  # Wednesday, a minute early
    d.refresh_from_db()
    assert d.status == DeliverableStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        assert deliverables_auto_approve(now=dt.datetime(2031, 3, 12, 10, 0, tzinfo=UTC)) == 1
    d.refresh_from_db()
    assert d.status == DeliverableStatus.APPROVED
    draft = d.submissions.get()
    assert (draft.status, draft.reviewed_by, draft.brand_comment) == (SubmissionStatus.APPROVED, None, "")

    entry = AuditEntry.objects.filter(target_id=d.pk, to_state="approved").get()
    assert entry.actor is None
    assert (entry.from_state, entry.note) == (
        "submitted",
        "Approved automatically: the brand did not review the draft within 3 business days.",
    )

    title = hired.campaign.title
    assert bell(creator.user) == [
        f"Your draft for “{title}” was approved automatically: the brand did not review it within 3 business days."
    ]
    brand_verb = (
        f"{creator.display_name}'s draft ({d}) for “{title}” was approved automatically after 3 business days "
        "without a review."
    )
    assert bell(member.user) == [brand_verb] and bell(teammate.user) == [brand_verb]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([creator.user.email, member.user.email, teammate.user.email])


def test_a_duplicated_tick_approves_once(hired, creator, django_capture_on_commit_callbacks):
    fired = []

    def listener(*, deliverable, actor):
        fired.append((deliverable.pk, actor))

    hooks.register("deliverable_approved", listener)
    try:
        d = submit(hired, creator, FRIDAY)
        at = dt.datetime(2031, 3, 12, 11, 40, tzinfo=UTC)
        with django_capture_on_commit_callbacks(execute=True):
            assert deliverables_auto_approve(now=at) == 1
            assert deliverables_auto_approve(now=at) == 0
            assert deliverables_auto_approve(now=at + dt.timedelta(days=7)) == 0
    finally:
        hooks._listeners["deliverable_approved"].remove(listener)
    assert fired == [(d.pk, None)]
    assert AuditEntry.objects.filter(target_id=d.pk, to_state="approved").count() == 1
    assert len(bell(creator.user)) == 1


@pytest.mark.parametrize("review", ["approve", "revision"])
def test_a_draft_reviewed_meanwhile_is_left_alone(hired, member, creator, review, django_capture_on_commit_callbacks):
    d = submit(hired, creator, FRIDAY)
    if review == "approve":
        services.deliverable_approve(deliverable=d, actor=member.user, comment="Lovely")
        expected = DeliverableStatus.APPROVED
    else:
        services.deliverable_request_revision(deliverable=d, actor=member.user, comment="Brighter, please")
        expected = DeliverableStatus.REVISION_REQUESTED
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert deliverables_auto_approve(now=dt.datetime(2031, 3, 20, 10, 0, tzinfo=UTC)) == 0
    d.refresh_from_db()
    assert d.status == expected
    assert AuditEntry.objects.filter(target_id=d.pk, to_state="approved", actor__isnull=True).count() == 0
    assert bell(creator.user) == []


def test_a_new_draft_after_a_revision_gets_its_own_three_business_days(hired, member, creator):
    d = submit(hired, creator, FRIDAY)
    services.deliverable_request_revision(deliverable=d, actor=member.user, comment="Shorter")
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft-2")
    d.submissions.filter(status=SubmissionStatus.IN_REVIEW).update(
        created_at=dt.datetime(2031, 3, 11, 15, 0, tzinfo=UTC)  # Tuesday
    )
    # The first draft's deadline (Wednesday 10:00) means nothing now; the new one is due Friday 15:00.
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 14, 14, 59, tzinfo=UTC)) == 0
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 14, 15, 0, tzinfo=UTC)) == 1


def test_the_setting_sets_the_number_of_business_days(settings, hired, creator):
    settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS = 1
    d = submit(hired, creator, FRIDAY)
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 10, 9, 59, tzinfo=UTC)) == 0
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 10, 10, 0, tzinfo=UTC)) == 1
    assert AuditEntry.objects.get(target_id=d.pk, to_state="approved").note == (
        "Approved automatically: the brand did not review the draft within 1 business day."
    )


def test_a_cancelled_campaign_s_draft_is_not_approved(hired, member, creator):
    d = submit(hired, creator, FRIDAY)
    services.campaign_cancel(campaign=hired.campaign, actor=member.user)
    assert deliverables_auto_approve(now=dt.datetime(2031, 3, 20, 10, 0, tzinfo=UTC)) == 0
    d.refresh_from_db()
    assert d.status == DeliverableStatus.SUBMITTED
