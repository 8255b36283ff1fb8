"""Reminders (issue 12): each due reminder is sent once (bell + email) even when the beat runs twice, nothing is
sent before it is due (times given as explicit datetimes), to the right people only, never another tenant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from campaigns import services, tasks
from campaigns.models import Application, Notification, ReminderSent
from campaigns.services import reminders
from tests.campaigns.test_transitions import reach
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOTHING = {"undecided": 0, "due_soon": 0, "overdue": 0, "draft_unreviewed": 0, "review_open": 0, "review_closing": 0}


def bell(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("verb", flat=True))


def sent(**counts) -> dict[str, int]:
    return {**NOTHING, **counts}


@pytest.fixture
def teammate(member):
    return BrandMemberFactory(brand=member.brand, role="member")


@pytest.fixture
def elsewhere(other_member):
    """Another brand with its own open campaign and an applicant of its own: never told about our work."""
    campaign = make_open_campaign(other_member, title="Their launch")
    stranger = make_creator()
    services.application_submit(campaign=campaign, creator=stranger, actor=stranger.user, pitch="Hi")
    Notification.objects.all().delete()
    return other_member


def test_beat_runs_the_reminders_hourly():
    from marketplace.celery import app

    entry = app.conf.beat_schedule["campaigns-send-reminders"]
    assert entry["task"] == "campaigns.tasks.send_reminders"
    assert entry["schedule"].minute == {20}


# --- undecided applications ----------------------------------------------------------------------------------


def test_undecided_applications_after_five_days_tell_the_brand_team_once(
    member, teammate, campaign, creator, other_creator, elsewhere
):
    first = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me")
    second = services.application_submit(campaign=campaign, creator=other_creator, actor=other_creator.user, pitch="Me")
    Notification.objects.all().delete()
    mail.outbox.clear()
    submitted = timezone.now()

    assert reminders.reminders_send(now=submitted + dt.timedelta(days=4, hours=23, minutes=59)) == NOTHING
    assert bell(member.user) == []

    later = submitted + dt.timedelta(days=5, minutes=1)
    # The other brand's applicant waited as long: that reminder goes to the other brand, not to us.
    assert reminders.reminders_send(now=later) == sent(undecided=3)
    verb = f"2 applications to “{campaign.title}” have waited over 5 days for a decision."
    assert bell(member.user) == [verb]
    assert bell(teammate.user) == [verb]
    assert bell(creator.user) == [] and bell(other_creator.user) == []
    assert bell(elsewhere.user) == ["1 application to “Their launch” has waited over 5 days for a decision."]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, teammate.user.email, elsewhere.user.email]
    )
    assert mail.outbox[0].subject.endswith("waited over 5 days for a decision.")
    assert set(ReminderSent.objects.filter(kind="undecided").values_list("key", flat=True)) >= {
        f"application:{first.pk}",
        f"application:{second.pk}",
    }

    # The duplicated tick, and every tick after: nothing more.
    assert reminders.reminders_send(now=later) == NOTHING
    assert reminders.reminders_send(now=later + dt.timedelta(days=9)) == NOTHING
    assert len(bell(member.user)) == 1 and len(mail.outbox) == 3


def test_a_decided_application_is_not_reminded(member, campaign, creator):
    app = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me")
    services.application_decline(application=app, actor=member.user, message="Not this time")
    Notification.objects.all().delete()
    assert reminders.reminders_send(now=timezone.now() + dt.timedelta(days=6)) == NOTHING
    assert bell(member.user) == []


def test_the_celery_task_run_twice_sends_once(member, campaign, creator):
    services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Me")
    Application.objects.update(created_at=timezone.now() - dt.timedelta(days=8))
    from audit.models import AuditEntry

    AuditEntry.objects.filter(to_state="submitted").update(at=timezone.now() - dt.timedelta(days=8))
    Notification.objects.all().delete()
    assert tasks.send_reminders.apply().get() == sent(undecided=1)
    assert tasks.send_reminders.apply().get() == NOTHING
    assert len(bell(member.user)) == 1


def test_the_unique_key_decides_a_race_between_two_ticks(member, campaign, creator, application):
    """Two workers that both loaded the application as due: the second insert fails and tells nobody."""
    Notification.objects.all().delete()
    key = [f"application:{application.pk}"]
    assert reminders.reminder_send_once("undecided", key, user_ids=[member.user.pk], verb="Waiting", url="/x/") == 1
    assert reminders.reminder_send_once("undecided", key, user_ids=[member.user.pk], verb="Waiting", url="/x/") == 0
    # A group of which one key is already taken still sends for its other keys, once.
    assert (
        reminders.reminder_send_once(
            "undecided", [*key, "application:999999"], user_ids=[member.user.pk], verb="Waiting", url="/x/"
        )
        == 1
    )
    assert bell(member.user) == ["Waiting", "Waiting"]


# --- deliverables due and overdue --------------------------------------------------------------------------


@pytest.fixture
def hired(member, campaign, creator):
    app = reach("accepted", campaign, creator, member)
    app.deliverables.update(due_date=dt.date(2031, 3, 10))
    Notification.objects.all().delete()
    mail.outbox.clear()
    return app


def test_due_in_48_hours_then_overdue_tell_the_creator_once_each(hired, member, creator, elsewhere):
    title = hired.campaign.title
    # The due date ends at 2031-03-11 00:00 UTC; 48 hours before is 2031-03-09 00:00.
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 8, 23, 59, tzinfo=UTC)) == sent(undecided=1)  # theirs
    assert bell(creator.user) == []
    mail.outbox.clear()

    at = dt.datetime(2031, 3, 9, 0, 1, tzinfo=UTC)
    assert reminders.reminders_send(now=at) == sent(due_soon=1)
    assert reminders.reminders_send(now=at) == NOTHING
    what = str(hired.deliverables.get())
    assert bell(creator.user) == [
        f"Your {what} for “{title}” is due on 2031-03-10: send the draft by the end of that day."
    ]
    assert [m.to for m in mail.outbox] == [[creator.user.email]]

    assert reminders.reminders_send(now=dt.datetime(2031, 3, 10, 23, 59, tzinfo=UTC)) == NOTHING
    late = dt.datetime(2031, 3, 11, 0, 1, tzinfo=UTC)
    assert reminders.reminders_send(now=late) == sent(overdue=1)
    assert reminders.reminders_send(now=late + dt.timedelta(days=3)) == NOTHING
    assert bell(creator.user)[1] == (
        f"Your {what} for “{title}” was due on 2031-03-10 and has no draft yet: send it, "
        "or tell the brand when it will come."
    )
    assert bell(member.user) == []
    assert bell(elsewhere.user) == ["1 application to “Their launch” has waited over 5 days for a decision."]


def test_a_drafted_deliverable_is_neither_due_nor_overdue(hired, creator):
    d = hired.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    Notification.objects.all().delete()
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 9, 12, tzinfo=UTC))["due_soon"] == 0
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 12, tzinfo=UTC))["overdue"] == 0
    assert bell(creator.user) == []


# --- drafts waiting for the brand ------------------------------------------------------------------------------


def test_a_draft_unreviewed_for_three_days_tells_the_brand_team_once(hired, member, teammate, creator, elsewhere):
    d = hired.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    Notification.objects.all().delete()
    mail.outbox.clear()
    came_in = dt.datetime(2031, 3, 7, 10, 0, tzinfo=UTC)  # a Friday
    d.submissions.update(created_at=came_in)

    assert reminders.reminders_send(now=came_in + dt.timedelta(days=2, hours=23))["draft_unreviewed"] == 0
    at = came_in + dt.timedelta(days=3, minutes=1)
    assert reminders.reminders_send(now=at)["draft_unreviewed"] == 1
    assert reminders.reminders_send(now=at)["draft_unreviewed"] == 0
    # Three business days after a Friday morning is Wednesday morning (auto_approval.py).
    verb = (
        f"A draft ({d}) for “{hired.campaign.title}” is waiting for your review: without one it is approved "
        "automatically on 2031-03-12 at 10:00."
    )
    assert bell(member.user) == [verb] and bell(teammate.user) == [verb]
    assert bell(creator.user) == []
    assert verb not in bell(elsewhere.user)


def test_a_monday_draft_is_reminded_a_day_before_its_thursday_auto_approval(hired, member, creator):
    d = hired.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    d.submissions.update(created_at=dt.datetime(2031, 3, 3, 10, 0, tzinfo=UTC))  # a Monday
    Notification.objects.all().delete()

    assert reminders.reminders_send(now=dt.datetime(2031, 3, 5, 9, 59, tzinfo=UTC))["draft_unreviewed"] == 0
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 5, 10, 0, tzinfo=UTC))["draft_unreviewed"] == 1
    assert bell(member.user) == [
        f"A draft ({d}) for “{hired.campaign.title}” is waiting for your review: without one it is approved "
        "automatically on 2031-03-06 at 10:00."
    ]
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 6, 10, 0, tzinfo=UTC))["draft_unreviewed"] == 0


def test_a_cancelled_campaign_s_draft_is_not_reminded(hired, member, creator):
    d = hired.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    services.campaign_cancel(campaign=hired.campaign, actor=member.user)
    Notification.objects.all().delete()
    assert reminders.reminders_send(now=timezone.now() + dt.timedelta(days=10))["draft_unreviewed"] == 0
    assert [v for v in bell(member.user) if v.startswith("A draft")] == []  # (the review request does come)


def test_a_reviewed_draft_is_not_reminded(hired, member, creator):
    d = hired.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    services.deliverable_approve(deliverable=d, actor=member.user)
    Notification.objects.all().delete()
    assert reminders.reminders_send(now=timezone.now() + dt.timedelta(days=4))["draft_unreviewed"] == 0
    assert bell(member.user) == []


# --- review requests ----------------------------------------------------------------------------------------


@pytest.fixture
def ended(member, campaign, creator):
    app = reach("completed", campaign, creator, member)
    Application.objects.filter(pk=app.pk).update(ended_at=dt.datetime(2031, 5, 1, 12, tzinfo=UTC))
    app.refresh_from_db()
    Notification.objects.all().delete()
    mail.outbox.clear()
    return app


def test_review_requests_when_the_window_opens_and_before_it_closes(ended, member, teammate, creator, elsewhere):
    title, brand = ended.campaign.title, ended.campaign.brand.name
    assert reminders.reminders_send(now=dt.datetime(2031, 5, 1, 11, 59, tzinfo=UTC))["review_open"] == 0

    opened = dt.datetime(2031, 5, 1, 12, 30, tzinfo=UTC)
    assert reminders.reminders_send(now=opened)["review_open"] == 2  # one per side
    assert reminders.reminders_send(now=opened)["review_open"] == 0
    assert bell(creator.user) == [f"How was working with {brand} on “{title}”? Leave a review by 2031-05-15."]
    who = creator.display_name
    assert bell(member.user) == [f"How was working with {who} on “{title}”? Leave a review by 2031-05-15."]
    assert bell(teammate.user) == bell(member.user)
    assert [n.target_url for n in Notification.objects.filter(user=creator.user)] == [
        f"/applications/{ended.pk}/review/"
    ]

    # The brand reviews; only the creator is asked again, two days before the window closes (2031-05-15 12:00).
    services.review_create(
        application=ended,
        actor=member.user,
        overall=5,
        communication=5,
        quality=5,
        timeliness=5,
        text="Lovely work.",
        now=opened,
    )
    Notification.objects.all().delete()
    assert reminders.reminders_send(now=dt.datetime(2031, 5, 13, 11, 59, tzinfo=UTC))["review_closing"] == 0
    closing = dt.datetime(2031, 5, 13, 12, 1, tzinfo=UTC)
    assert reminders.reminders_send(now=closing)["review_closing"] == 1
    assert reminders.reminders_send(now=closing)["review_closing"] == 0
    assert bell(creator.user) == [f"Last days to review {brand} for “{title}”: the window closes on 2031-05-15."]
    assert bell(member.user) == [] and bell(teammate.user) == []
    assert all("review" not in v for v in bell(elsewhere.user))
    # After the window: nothing.
    assert reminders.reminders_send(now=dt.datetime(2031, 5, 16, tzinfo=UTC))["review_closing"] == 0


def test_an_application_first_seen_in_its_last_two_days_gets_only_the_closing_request(ended, member, creator):
    at = dt.datetime(2031, 5, 14, tzinfo=UTC)
    counts = reminders.reminders_send(now=at)
    assert (counts["review_open"], counts["review_closing"]) == (0, 2)
    assert len(bell(creator.user)) == 1 and len(bell(member.user)) == 1


def test_no_review_request_for_live_work(hired, creator, member):
    assert reminders.reminders_send(now=dt.datetime(2031, 3, 1, tzinfo=UTC))["review_open"] == 0
    assert bell(creator.user) == [] and bell(member.user) == []


@pytest.mark.django_db(transaction=True)
def test_two_beat_ticks_at_the_same_moment_send_once():
    """Real parallel transactions (each thread its own connection): one tick sends, the other sends nothing."""
    from tests.campaigns.test_concurrency import race

    owner = BrandMemberFactory()
    campaign = make_open_campaign(owner)
    applicant = make_creator()
    services.application_submit(campaign=campaign, creator=applicant, actor=applicant.user, pitch="Me")
    Notification.objects.all().delete()
    at = timezone.now() + dt.timedelta(days=6)
    results = race([lambda: reminders.reminders_send(now=at), lambda: reminders.reminders_send(now=at)])
    assert sorted(r["undecided"] for r in results) == [0, 1], results
    assert len(bell(owner.user)) == 1
    assert ReminderSent.objects.filter(kind="undecided").count() == 1
