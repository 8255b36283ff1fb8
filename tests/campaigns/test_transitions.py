"""Every allowed and every forbidden move of campaigns, applications and deliverables (PRODUCT §4–§5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from campaigns import services
from campaigns.models import (
    Application,
    ApplicationStatus as A,
    Campaign,
    CampaignStatus as C,
    Deliverable,
    DeliverableStatus as D,
)
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import BrandMemberFactory, CampaignFactory, DeliverableSpecFactory

pytestmark = pytest.mark.django_db

# --- The tables, written out from PRODUCT §4–§5 (never read from the code under test) ------------------------
# (from, to) -> who may make the move; every pair not listed is forbidden to everyone. "" = no application yet.

APPLICATION_TABLE = {
    ("", "submitted"): "creator",
    ("", "invited"): "brand",
    ("invited", "submitted"): "creator",  # "the creator then submits or declines"
    ("invited", "declined"): "creator",
    ("submitted", "shortlisted"): "brand",
    ("submitted", "accepted"): "brand",
    ("shortlisted", "accepted"): "brand",
    ("submitted", "declined"): "brand",
    ("shortlisted", "declined"): "brand",
    ("submitted", "withdrawn"): "creator",
    ("shortlisted", "withdrawn"): "creator",
    ("accepted", "completed"): "brand",
    # PRODUCT §5 extended (issue 12): still undecided when the campaign ends -> "not selected", by the platform
    ("submitted", "not_selected"): "system",
    ("shortlisted", "not_selected"): "system",
    ("invited", "not_selected"): "system",
}
CAMPAIGN_TABLE = {
    ("draft", "open"): "brand",
    ("open", "closed"): "brand",
    ("closed", "completed"): "brand",
    ("draft", "cancelled"): "brand",
    ("open", "cancelled"): "brand",
    ("closed", "cancelled"): "brand",
}
DELIVERABLE_TABLE = {
    ("pending", "submitted"): "creator",
    ("revision_requested", "submitted"): "creator",
    ("submitted", "approved"): "brand",
    ("submitted", "revision_requested"): "brand",
    ("approved", "live"): "creator",
}


def test_the_code_tables_are_the_product_tables():
    assert dict(services.APPLICATION_MOVES) == APPLICATION_TABLE
    assert dict(services.CAMPAIGN_MOVES) == CAMPAIGN_TABLE
    assert dict(services.DELIVERABLE_MOVES) == DELIVERABLE_TABLE


# --- Applications ----------------------------------------------------------------------------------------


def _approve_all(app, member):
    for d in app.deliverables.exclude(status=D.APPROVED):
        services.deliverable_submit(deliverable=d, actor=app.creator.user, link="https://example.com/draft")
        services.deliverable_approve(deliverable=d, actor=member.user)


def reach(state: str, campaign: Campaign, creator, member) -> Application:
    """An application in ``state``, reached through the services only."""
    if state == A.INVITED:
        return services.application_invite(campaign=campaign, creator=creator, actor=member.user)
    app = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Pick me")
    if state == A.SHORTLISTED:
        app = services.application_shortlist(application=app, actor=member.user)
    elif state in (A.ACCEPTED, A.COMPLETED):
        app = services.application_accept(application=app, actor=member.user)
        if state == A.COMPLETED:
            _approve_all(app, member)
            app = services.application_complete(application=app, actor=member.user)
    elif state == A.DECLINED:
        app = services.application_decline(application=app, actor=member.user)
    elif state == A.WITHDRAWN:
        app = services.application_withdraw(application=app, actor=creator.user)
    elif state == A.NOT_SELECTED:
        app = services.application_not_select(application=app, system=True)
    assert app.status == state
    return app


def move(app: Application, to: str, *, as_side: str, member, campaign):
    creator_user = app.creator.user
    if as_side == "system":
        return services.application_not_select(application=app, actor=None, system=True)
    actor = member.user if as_side == "brand" else creator_user
    if to == A.SUBMITTED:
        return services.application_submit(campaign=campaign, creator=app.creator, actor=actor, pitch="Again")
    if to == A.INVITED:
        return services.application_invite(campaign=campaign, creator=app.creator, actor=actor)
    if to == A.SHORTLISTED:
        return services.application_shortlist(application=app, actor=actor)
    if to == A.ACCEPTED:
        return services.application_accept(application=app, actor=actor)
    if to == A.DECLINED:
        return services.application_decline(application=app, actor=actor, message="Not this time")
    if to == A.WITHDRAWN:
        return services.application_withdraw(application=app, actor=actor)
    if to == A.COMPLETED:
        _approve_all(app, member) if app.status == A.ACCEPTED else None
        return services.application_complete(application=app, actor=actor)
    if to == A.NOT_SELECTED:
        return services.application_not_select(application=app, actor=actor)
    raise AssertionError(to)


EXISTING = ["invited", "submitted", "shortlisted", "accepted", "declined", "withdrawn", "completed", "not_selected"]
PAIRS = [(f, t) for f in EXISTING for t in EXISTING]


@pytest.mark.parametrize(("frm", "to"), PAIRS, ids=[f"{f}->{t}" for f, t in PAIRS])
def test_every_application_move(frm, to, member, campaign, creator):
    app = reach(frm, campaign, creator, member)
    side = APPLICATION_TABLE.get((frm, to))
    if side:
        moved = move(app, to, as_side=side, member=member, campaign=campaign)
        assert moved.status == to
        event = app.audit_entries.last()
        assert (event.from_state, event.to_state, event.action) == (frm, to, "moved")
        assert event.actor == {"brand": member.user, "creator": creator.user, "system": None}[side]
    else:
        events_before = AuditEntry.objects.count()
        owners = {s for (_f, t), s in APPLICATION_TABLE.items() if t == to}
        for as_side in ("brand", "creator"):
            # the side that may make such a move at all is told the move is illegal; the other side may
            # equally be told it lacks the permission
            expected = (
                services.InvalidTransition if as_side in owners else (services.InvalidTransition, services.NotPermitted)
            )
            with pytest.raises(expected):
                move(app, to, as_side=as_side, member=member, campaign=campaign)
        app.refresh_from_db()
        assert app.status == frm
        assert AuditEntry.objects.count() == events_before


ALLOWED = sorted((f, t, s) for (f, t), s in APPLICATION_TABLE.items() if f)


@pytest.mark.parametrize(("frm", "to", "side"), ALLOWED, ids=[f"{f}->{t}" for f, t, _s in ALLOWED])
def test_allowed_moves_refuse_the_wrong_side_and_other_brands(frm, to, side, member, campaign, creator, other_member):
    app = reach(frm, campaign, creator, member)
    wrong = "creator" if side == "brand" else "brand"
    with pytest.raises((services.NotPermitted, services.InvalidTransition)):
        move(app, to, as_side=wrong, member=member, campaign=campaign)
    if side == "brand" and to != A.SUBMITTED:
        with pytest.raises(services.NotPermitted):
            move(app, to, as_side="brand", member=other_member, campaign=campaign)
    app.refresh_from_db()
    assert app.status == frm


def test_new_application_records_who_and_notifies_the_brand(
    member, campaign, creator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app = services.application_submit(
            campaign=campaign,
            creator=creator,
            actor=creator.user,
            pitch="Hi",
            proposed_rate=120,
            sample_links=["https://example.com/a"],
        )
    assert len(callbacks) == 1
    assert app.status == A.SUBMITTED and app.sample_links == ["https://example.com/a"]
    event = app.audit_entries.get()
    assert (event.from_state, event.to_state, event.actor, event.action) == ("", A.SUBMITTED, creator.user, "created")
    assert member.user.notifications.get().verb.startswith(creator.display_name)
    assert mailoutbox[0].to == [member.user.email]


def test_nothing_is_queued_when_a_move_is_refused(member, campaign, creator, django_capture_on_commit_callbacks):
    app = reach(A.WITHDRAWN, campaign, creator, member)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(services.InvalidTransition):
        services.application_shortlist(application=app, actor=member.user)
    assert callbacks == []


def test_illegal_move_message_is_clear(member, campaign, creator):
    app = reach(A.WITHDRAWN, campaign, creator, member)
    with pytest.raises(
        services.InvalidTransition, match="This application is withdrawn, so it cannot become accepted."
    ):
        services.application_accept(application=app, actor=member.user)


def test_accept_creates_deliverables_from_the_brief(member, creator):
    campaign = CampaignFactory(brand=member.brand)
    DeliverableSpecFactory(campaign=campaign, quantity=3, format="story")
    DeliverableSpecFactory(campaign=campaign, quantity=1, format="reel")
    services.campaign_publish(campaign=campaign, actor=member.user)
    app = reach(A.ACCEPTED, campaign, creator, member)
    assert sorted(app.deliverables.values_list("format", flat=True)) == ["reel", "story", "story", "story"]
    assert set(app.deliverables.values_list("due_date", flat=True)) == {campaign.content_due_date}


def test_filling_the_last_slot_closes_the_campaign(member, creator, other_creator):
    campaign = make_open_campaign(member, slots=2)
    reach(A.ACCEPTED, campaign, creator, member)
    campaign.refresh_from_db()
    assert campaign.status == C.OPEN
    reach(A.ACCEPTED, campaign, other_creator, member)
    campaign.refresh_from_db()
    assert campaign.status == C.CLOSED
    assert campaign.audit_entries.last().note == "All slots are filled"
    with pytest.raises(services.InvalidTransition, match="not taking applications"):
        third = make_creator()
        services.application_submit(campaign=campaign, creator=third, actor=third.user, pitch="x")


def test_no_accept_beyond_the_slots(member, creator, other_creator):
    campaign = make_open_campaign(member, slots=1)
    late = reach(A.SUBMITTED, campaign, other_creator, member)
    reach(A.ACCEPTED, campaign, creator, member)
    with pytest.raises(services.SlotsFull, match="All 1 slots"):
        services.application_accept(application=late, actor=member.user)
    late.refresh_from_db()
    assert late.status == A.SUBMITTED


def test_complete_needs_every_deliverable_approved(member, campaign, creator):
    app = reach(A.ACCEPTED, campaign, creator, member)
    with pytest.raises(services.InvalidTransition, match="1 deliverable"):
        services.application_complete(application=app, actor=member.user)
    assert Application.objects.get(pk=app.pk).status == A.ACCEPTED


def test_decline_keeps_the_optional_message(member, campaign, creator):
    app = reach(A.SUBMITTED, campaign, creator, member)
    app = services.application_decline(application=app, actor=member.user, message="We went with video creators.")
    assert app.decline_message == "We went with video creators."
    assert app.audit_entries.last().note == "We went with video creators."


# --- Submitting: the creator's requirements ------------------------------------------------------------------


def test_pending_creator_cannot_apply(member, campaign):
    pending = make_creator(status="pending")
    with pytest.raises(services.NotPermitted, match="waiting for an admin"):
        services.application_submit(campaign=campaign, creator=pending, actor=pending.user, pitch="x")
    assert not Application.objects.exists()


def test_ineligible_creator_is_told_what_they_miss(member):
    campaign = make_open_campaign(
        member, target_tiers=["macro"], countries=["US"], platforms=["tiktok"], min_followers=50_000, languages=["es"]
    )
    creator = make_creator(followers=12_000)
    with pytest.raises(services.CampaignError) as info:
        services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="x")
    text = str(info.value)
    for word in ("Tier", "Platform", "Followers", "Country", "Language"):
        assert word in text
    assert not Application.objects.exists()


def test_cannot_apply_for_someone_else(member, campaign, creator, other_creator):
    with pytest.raises(services.NotPermitted):
        services.application_submit(campaign=campaign, creator=creator, actor=other_creator.user, pitch="x")


def test_draft_and_expired_campaigns_take_no_applications(member, creator):
    draft = CampaignFactory(brand=member.brand)
    with pytest.raises(services.InvalidTransition):
        services.application_submit(campaign=draft, creator=creator, actor=creator.user, pitch="x")
    expired = make_open_campaign(member)
    Campaign.objects.filter(pk=expired.pk).update(application_deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.InvalidTransition):
        services.application_submit(campaign=expired, creator=creator, actor=creator.user, pitch="x")


def test_bad_sample_link_is_refused(member, campaign, creator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.application_submit(
            campaign=campaign, creator=creator, actor=creator.user, pitch="x", sample_links=["javascript:alert(1)"]
        )


# --- Campaigns -------------------------------------------------------------------------------------------------


def reach_campaign(state: str, member) -> Campaign:
    campaign = CampaignFactory(brand=member.brand)
    DeliverableSpecFactory(campaign=campaign)
    if state == C.DRAFT:
        return campaign
    if state == C.CANCELLED:
        return services.campaign_cancel(campaign=campaign, actor=member.user)
    campaign = services.campaign_publish(campaign=campaign, actor=member.user)
    if state in (C.CLOSED, C.COMPLETED):
        campaign = services.campaign_close(campaign=campaign, actor=member.user)
    if state == C.COMPLETED:
        campaign = services.campaign_complete(campaign=campaign, actor=member.user)
    return campaign


CAMPAIGN_SERVICE = {
    C.OPEN: services.campaign_publish,
    C.CLOSED: services.campaign_close,
    C.COMPLETED: services.campaign_complete,
    C.CANCELLED: services.campaign_cancel,
}
CPAIRS = [(f, t) for f in C.values for t in CAMPAIGN_SERVICE]


@pytest.mark.parametrize(("frm", "to"), CPAIRS, ids=[f"{f}->{t}" for f, t in CPAIRS])
def test_every_campaign_move(frm, to, member, other_member):
    campaign = reach_campaign(frm, member)
    allowed = (frm, to) in CAMPAIGN_TABLE
    if allowed:
        with pytest.raises(services.NotPermitted):
            CAMPAIGN_SERVICE[to](campaign=campaign, actor=other_member.user)
        moved = CAMPAIGN_SERVICE[to](campaign=campaign, actor=member.user)
        assert moved.status == to
        event = campaign.audit_entries.last()
        assert (event.from_state, event.to_state, event.actor) == (frm, to, member.user)
    else:
        with pytest.raises(services.InvalidTransition):
            CAMPAIGN_SERVICE[to](campaign=campaign, actor=member.user)
        campaign.refresh_from_db()
        assert campaign.status == frm


def test_pending_brand_drafts_but_cannot_publish():
    member = BrandMemberFactory(brand__status="pending")
    campaign = CampaignFactory(brand=member.brand)
    DeliverableSpecFactory(campaign=campaign)
    with pytest.raises(services.NotPermitted, match="waiting for an admin"):
        services.campaign_publish(campaign=campaign, actor=member.user)
    campaign.refresh_from_db()
    assert campaign.status == C.DRAFT


def test_publish_needs_a_deliverable(member):
    campaign = CampaignFactory(brand=member.brand)
    with pytest.raises(services.CampaignError, match="at least one deliverable"):
        services.campaign_publish(campaign=campaign, actor=member.user)


def test_brief_validation_explains_itself():
    today = timezone.localdate()
    problems = services.brief_problems(
        {
            "application_deadline": today - dt.timedelta(days=1),
            "content_due_date": today - dt.timedelta(days=2),
            "compensation_type": "fee",
            "fee_per_creator": 100,
            "slots": 5,
            "total_budget": 300,
            "usage_rights": "paid_ads",
        }
    )
    assert problems["application_deadline"] == "The application deadline cannot be in the past."
    assert "after the application deadline" in problems["content_due_date"]
    assert "does not cover 5 slots × 100.00 = 500.00" in problems["total_budget"]
    assert "paid ads" in problems["usage_duration_months"]
    assert services.brief_problems({"compensation_type": "mix", "fee_per_creator": 50, "slots": 1, "total_budget": 50})[
        "compensation_type"
    ].startswith("A mix needs")


def test_deadline_task_closes_expired_campaigns_once(member, creator, django_capture_on_commit_callbacks):
    from campaigns.tasks import close_expired_campaigns

    expired = make_open_campaign(member)
    fresh = make_open_campaign(member)
    reach(A.SUBMITTED, expired, creator, member)
    Campaign.objects.filter(pk=expired.pk).update(application_deadline=timezone.localdate() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert close_expired_campaigns.apply().get() == 1
    assert close_expired_campaigns.apply().get() == 0  # idempotent
    expired.refresh_from_db()
    fresh.refresh_from_db()
    assert (expired.status, fresh.status) == (C.CLOSED, C.OPEN)
    event = expired.audit_entries.last()
    assert event.actor is None and event.note == "Application deadline passed"
    assert creator.user.notifications.filter(verb__contains="no longer takes applications").exists()


def test_deadline_task_is_in_the_beat_schedule():
    from marketplace.celery import app

    assert any(e["task"] == "campaigns.tasks.close_expired_campaigns" for e in app.conf.beat_schedule.values())


# --- Deliverables -------------------------------------------------------------------------------------------------


def reach_deliverable(state: str, member, campaign, creator) -> Deliverable:
    app = reach(A.ACCEPTED, campaign, creator, member)
    d = app.deliverables.get()
    if state == D.PENDING:
        return d
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/v1")
    if state == D.REVISION_REQUESTED:
        services.deliverable_request_revision(deliverable=d, actor=member.user, comment="Brighter, please")
    if state in (D.APPROVED, D.LIVE):
        services.deliverable_approve(deliverable=d, actor=member.user)
    if state == D.LIVE:
        services.deliverable_mark_live(
            deliverable=d, actor=creator.user, url="https://www.instagram.com/p/C0000000001/"
        )
    d.refresh_from_db()
    assert d.status == state
    return d


def dmove(d, to, member, creator):
    if to == D.SUBMITTED:
        return services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/v2")
    if to == D.APPROVED:
        return services.deliverable_approve(deliverable=d, actor=member.user)
    if to == D.REVISION_REQUESTED:
        return services.deliverable_request_revision(deliverable=d, actor=member.user, comment="Again")
    return services.deliverable_mark_live(
        deliverable=d, actor=creator.user, url="https://www.instagram.com/p/C0000000002/"
    )


DPAIRS = [(f, t) for f in D.values for t in D.values if t != D.PENDING]


@pytest.mark.parametrize(("frm", "to"), DPAIRS, ids=[f"{f}->{t}" for f, t in DPAIRS])
def test_every_deliverable_move(frm, to, member, campaign, creator):
    d = reach_deliverable(frm, member, campaign, creator)
    if (frm, to) in DELIVERABLE_TABLE:
        dmove(d, to, member, creator)
        d.refresh_from_db()
        assert d.status == to
        event = d.audit_entries.last()
        assert (event.from_state, event.to_state) == (frm, to)
        assert event.actor == (member.user if DELIVERABLE_TABLE[(frm, to)] == "brand" else creator.user)
    else:
        with pytest.raises(services.InvalidTransition):
            dmove(d, to, member, creator)
        d.refresh_from_db()
        assert d.status == frm


def test_revision_keeps_the_brand_comment_on_the_submission(member, campaign, creator):
    d = reach_deliverable(D.REVISION_REQUESTED, member, campaign, creator)
    sub = d.submissions.get()
    assert (sub.status, sub.brand_comment, sub.reviewed_by) == ("revision_requested", "Brighter, please", member.user)


def test_only_the_creator_submits_and_only_the_brand_reviews(member, campaign, creator, other_member):
    d = reach_deliverable(D.PENDING, member, campaign, creator)
    with pytest.raises(services.NotPermitted):
        services.deliverable_submit(deliverable=d, actor=member.user, link="https://example.com/x")
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/x")
    for actor in (creator.user, other_member.user):
        with pytest.raises(services.NotPermitted):
            services.deliverable_approve(deliverable=d, actor=actor)


def test_a_fake_upload_is_refused(member, campaign, creator):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    d = reach_deliverable(D.PENDING, member, campaign, creator)
    fake = SimpleUploadedFile("draft.mp4", b"MZ\x90\x00 this is an exe", content_type="video/mp4")
    with pytest.raises(ValidationError, match="not an image"):
        services.deliverable_submit(deliverable=d, actor=creator.user, file=fake)
    d.refresh_from_db()
    assert d.status == D.PENDING and not d.submissions.exists()


def test_messages_notify_the_other_side(member, application, creator, django_capture_on_commit_callbacks):
    teammate = BrandMemberFactory(brand=member.brand, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(application=application, actor=member.user, body="Can you do Friday?")
    assert creator.user.notifications.filter(verb__startswith="New message").count() == 1
    assert teammate.user.notifications.filter(verb__startswith="New message").count() == 1
    assert not member.user.notifications.filter(verb__startswith="New message").exists()


def test_slots_cannot_drop_below_the_hired(member, creator, other_creator):
    from django.core.exceptions import ValidationError

    campaign = make_open_campaign(member, slots=3)
    reach(A.ACCEPTED, campaign, creator, member)
    reach(A.ACCEPTED, campaign, other_creator, member)
    with pytest.raises(ValidationError, match="2 creators are already hired"):
        services.campaign_update(campaign=campaign, actor=member.user, data={"slots": 1, "total_budget": 600})
    campaign.refresh_from_db()
    assert campaign.slots == 3
    services.campaign_update(campaign=campaign, actor=member.user, data={"slots": 2})
    assert Campaign.objects.get(pk=campaign.pk).slots == 2


def test_notification_email_is_a_retrying_celery_task(
    member, campaign, creator, django_capture_on_commit_callbacks, mailoutbox, settings
):
    from campaigns.tasks import send_notification_emails

    assert send_notification_emails.autoretry_for == (OSError,) and send_notification_emails.max_retries == 5
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Hi")
    assert [m.to for m in mailoutbox] == [[member.user.email]]
    assert mailoutbox[0].body.startswith(f"{creator.display_name} applied to “{campaign.title}”.")
    assert f"/applications/{Application.objects.get().pk}/" in mailoutbox[0].body


def test_completed_work_shows_on_the_media_kit_as_a_past_collaboration(member, campaign, creator, client):
    url = f"/c/{creator.handle}/"
    assert "Past collaborations" not in client.get(url).content.decode()
    reach(A.ACCEPTED, campaign, creator, member)  # accepted is not yet a collaboration
    assert "Past collaborations" not in client.get(url).content.decode()
    app = Application.objects.get(campaign=campaign, creator=creator)
    _approve_all(app, member)
    services.application_complete(application=app, actor=member.user)
    body = client.get(url).content.decode()
    assert "Past collaborations" in body and campaign.title in body and campaign.brand.name in body


# --- No ghosting: "not selected" when the campaign ends (issue 12) -------------------------------------------


@pytest.mark.parametrize("frm", ["submitted", "shortlisted", "invited"])
def test_not_selected_is_refused_to_both_people(frm, member, campaign, creator):
    app = reach(frm, campaign, creator, member)
    for actor in (member.user, creator.user):
        with pytest.raises(services.NotPermitted, match="Only the platform makes this application not selected"):
            services.application_not_select(application=app, actor=actor)
    app.refresh_from_db()
    assert app.status == frm


def test_completing_a_campaign_ends_every_undecided_application(
    member, creator, other_creator, django_capture_on_commit_callbacks, mailoutbox
):
    campaign = make_open_campaign(member, slots=3)
    hired = reach(A.ACCEPTED, campaign, creator, member)
    waiting = reach(A.SUBMITTED, campaign, other_creator, member)
    third = make_creator()
    listed = reach(A.SHORTLISTED, campaign, third, member)
    fourth = make_creator()
    gone = reach(A.WITHDRAWN, campaign, fourth, member)
    services.campaign_close(campaign=campaign, actor=member.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_complete(campaign=campaign, actor=member.user)
    statuses = {a.pk: a.status for a in Application.objects.filter(campaign=campaign)}
    assert statuses == {
        hired.pk: "accepted",
        waiting.pk: "not_selected",
        listed.pk: "not_selected",
        gone.pk: "withdrawn",
    }
    event = waiting.audit_entries.last()
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        "submitted",
        "not_selected",
        None,
        "The campaign was completed before a decision",
    )
    told = other_creator.user.notifications.get()
    assert told.verb == f"“{campaign.title}” ended without a decision on your application: not selected this time."
    assert told.target_url == f"/applications/{waiting.pk}/"
    assert not creator.user.notifications.filter(verb__contains="not selected").exists()
    assert sorted(m.to[0] for m in mailoutbox if "not selected" in m.subject) == sorted(
        [other_creator.user.email, third.user.email]
    )


def test_cancelling_a_campaign_ends_undecided_applications_with_one_message_each(
    member, campaign, creator, django_capture_on_commit_callbacks
):
    app = reach(A.SUBMITTED, campaign, creator, member)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_cancel(campaign=campaign, actor=member.user)
    app.refresh_from_db()
    assert app.status == "not_selected"
    assert list(creator.user.notifications.values_list("verb", flat=True)) == [
        f"“{campaign.title}” ended without a decision on your application: not selected this time."
    ]


def test_closing_keeps_applicants_open_for_hiring(member, campaign, creator):
    app = reach(A.SUBMITTED, campaign, creator, member)
    services.campaign_close(campaign=campaign, actor=member.user)
    app.refresh_from_db()
    assert app.status == "submitted"
    assert services.application_accept(application=app, actor=member.user).status == "accepted"
