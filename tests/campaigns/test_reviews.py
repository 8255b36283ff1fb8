"""Reviews both ways (issue 12): one per side, the 14-day window, double-blind visibility over time, one reply,
hiding audited and its author told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from campaigns import services
from campaigns.models import Application, Review
from campaigns.reputation import reviews_of_brand, reviews_of_creator, visible_reviews
from tests.campaigns.test_transitions import reach
from tests.factories import BrandMemberFactory

pytestmark = pytest.mark.django_db

GOOD = {"overall": 5, "communication": 4, "quality": 5, "timeliness": 4, "text": "Great to work with."}


@pytest.fixture
def done(member, campaign, creator):
    return reach("completed", campaign, creator, member)


def _ended(app, days_ago: float):
    Application.objects.filter(pk=app.pk).update(ended_at=timezone.now() - dt.timedelta(days=days_ago))
    app.refresh_from_db()
    return app


def test_double_blind_until_both_are_in(done, member, creator):
    brand_review = services.review_create(application=done, actor=member.user, **GOOD)
    assert brand_review.side == "brand" and brand_review.published_at is None
    assert list(visible_reviews()) == []
    assert list(reviews_of_creator(creator.pk)) == []
    creator_review = services.review_create(application=done, actor=creator.user, **{**GOOD, "overall": 3})
    assert creator_review.side == "creator"
    assert sorted(r.pk for r in visible_reviews()) == sorted([brand_review.pk, creator_review.pk])
    assert [r.overall for r in reviews_of_creator(creator.pk)] == [5]
    assert [r.overall for r in reviews_of_brand(member.brand_id)] == [3]


def test_a_lone_review_shows_when_the_window_closes(done, member):
    done = _ended(done, days_ago=10)
    review = services.review_create(application=done, actor=member.user, **GOOD)
    assert review.window_closes_at == done.ended_at + dt.timedelta(days=14)
    assert list(visible_reviews(now=timezone.now())) == []
    assert list(visible_reviews(now=timezone.now() + dt.timedelta(days=3, hours=23))) == []
    assert list(visible_reviews(now=timezone.now() + dt.timedelta(days=4, seconds=1))) == [review]


def test_one_review_per_side(done, member, creator):
    services.review_create(application=done, actor=member.user, **GOOD)
    teammate = BrandMemberFactory(brand=member.brand)
    with pytest.raises(services.AlreadyReviewed, match="already reviewed"):
        services.review_create(application=done, actor=teammate.user, **GOOD)
    assert Review.objects.count() == 1


def test_window_is_enforced(done, member, creator):
    done = _ended(done, days_ago=14.01)
    with pytest.raises(services.InvalidTransition, match="14-day review window closed"):
        services.review_create(application=done, actor=creator.user, **GOOD)
    assert Review.objects.count() == 0


def test_no_review_before_the_work_ends_nor_by_strangers(member, campaign, creator, other_member):
    app = reach("accepted", campaign, creator, member)
    with pytest.raises(services.InvalidTransition, match="once the work has ended"):
        services.review_create(application=app, actor=member.user, **GOOD)
    done = reach("completed", *_fresh(member))
    with pytest.raises(services.NotPermitted):
        services.review_create(application=done, actor=other_member.user, **GOOD)


def _fresh(member):
    from tests.campaigns.world import make_creator, make_open_campaign

    return make_open_campaign(member), make_creator(), member


def test_hire_on_a_cancelled_campaign_may_be_reviewed(member, campaign, creator):
    app = reach("accepted", campaign, creator, member)
    services.campaign_cancel(campaign=campaign, actor=member.user)
    app.refresh_from_db()
    assert app.ended_at is not None
    assert services.review_create(application=app, actor=creator.user, **GOOD).side == "creator"


def test_bad_ratings_are_refused_with_a_message(done, member):
    with pytest.raises(ValidationError) as info:
        services.review_create(
            application=done, actor=member.user, **{**GOOD, "overall": 6, "timeliness": "x", "text": "  "}
        )
    assert set(info.value.message_dict) == {"overall", "timeliness", "text"}
    assert info.value.message_dict["overall"] == ["Give a rating from 1 to 5."]


def test_one_reply_by_the_reviewed_side_once_visible(done, member, creator):
    review = services.review_create(application=done, actor=member.user, **GOOD)
    with pytest.raises(services.InvalidTransition, match="once the review is visible"):
        services.review_reply(review=review, actor=creator.user, text="Thanks!")
    services.review_create(application=done, actor=creator.user, **GOOD)
    with pytest.raises(services.NotPermitted):
        services.review_reply(review=review, actor=member.user, text="Replying to myself")
    review = services.review_reply(review=review, actor=creator.user, text="Thanks!")
    assert review.reply == "Thanks!"
    with pytest.raises(services.AlreadyReviewed, match="one reply"):
        services.review_reply(review=review, actor=creator.user, text="Again")


def test_hiding_is_audited_and_the_author_told(done, member, creator, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    review = services.review_create(application=done, actor=creator.user, **GOOD)
    services.review_create(application=done, actor=member.user, **GOOD)
    with pytest.raises(services.NotPermitted):
        services.review_hide(review=review, actor=member.user, reason="I dislike it")
    with pytest.raises(ValidationError):
        services.review_hide(review=review, actor=staff, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.review_hide(review=review, actor=staff, reason="Personal data in the text")
    entry = AuditEntry.objects.filter(target_id=review.pk, to_state="hidden").get()
    assert (entry.actor, entry.from_state, entry.note) == (staff, "shown", "Personal data in the text")
    assert creator.user.notifications.filter(
        verb=f"Your review of “{done.campaign.title}” was hidden by a moderator: Personal data in the text"
    ).exists()
    assert list(reviews_of_brand(member.brand_id)) == []


# --- API -------------------------------------------------------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_and_list_per_creator_and_brand(done, member, creator, other_member, django_assert_max_num_queries):
    body = {"application": done.pk, **GOOD}
    response = _api(member.user).post("/api/v1/reviews/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["side"] == "brand"
    assert _api(member.user).post("/api/v1/reviews/", body, format="json").status_code == 409
    assert _api(other_member.user).post("/api/v1/reviews/", body, format="json").status_code == 404
    bad = _api(creator.user).post("/api/v1/reviews/", {**body, "overall": 9}, format="json")
    assert bad.status_code == 400 and "overall" in bad.json()["errors"]
    # blind: the creator's list is empty until the creator reviews too
    assert _api(other_member.user).get(f"/api/v1/reviews/?creator={creator.pk}").json()["results"] == []
    assert _api(creator.user).post("/api/v1/reviews/", {**body, "overall": 4}, format="json").status_code == 201
    with django_assert_max_num_queries(4):
        listed = _api(other_member.user).get(f"/api/v1/reviews/?creator={creator.pk}").json()["results"]
    assert [(r["overall"], r["side"], r["brand"]) for r in listed] == [(5, "brand", member.brand.name)]
    listed = _api(other_member.user).get(f"/api/v1/reviews/?brand={member.brand_id}").json()["results"]
    assert [(r["overall"], r["creator"]) for r in listed] == [(4, creator.handle)]
    assert _api(creator.user).get("/api/v1/reviews/").status_code == 400


# --- Pages -----------------------------------------------------------------------------------------------------


def test_both_sides_review_from_the_application_page_and_the_reviews_appear(
    client, done, member, creator, django_assert_max_num_queries
):
    client.force_login(creator.user)
    page = client.get(f"/applications/{done.pk}/").content.decode()
    assert f'href="/applications/{done.pk}/review/"' in page
    form = client.get(f"/applications/{done.pk}/review/").content.decode()
    assert "Clarity of the brief" in form
    refused = client.post(
        f"/applications/{done.pk}/review/",
        {"overall": 4, "communication": 5, "quality": 4, "timeliness": 9, "text": "Clear brief, paid fast."},
    )
    assert refused.status_code == 400 and "Clear brief, paid fast." in refused.content.decode()
    client.post(
        f"/applications/{done.pk}/review/",
        {"overall": 4, "communication": 5, "quality": 4, "timeliness": 5, "text": "Clear brief, paid fast."},
    )
    assert "Shown once the other side reviews too" in client.get(f"/applications/{done.pk}/").content.decode()
    assert "Clear brief, paid fast." not in client.get(f"/brands/{member.brand_id}/").content.decode()

    client.force_login(member.user)
    client.post(
        f"/applications/{done.pk}/review/",
        {"overall": 5, "communication": 5, "quality": 5, "timeliness": 4, "text": "Lovely reels, on time."},
    )
    page = client.get(f"/applications/{done.pk}/").content.decode()
    assert "Clear brief, paid fast." in page and "Reply publicly" in page
    brand_review = Review.objects.get(side="creator")
    client.post(f"/applications/{done.pk}/reviews/{brand_review.pk}/reply/", {"reply": "Thank you!"})

    client.logout()
    with django_assert_max_num_queries(8):
        brand_page = client.get(f"/brands/{member.brand_id}/").content.decode()
    assert "Clear brief, paid fast." in brand_page and "Thank you!" in brand_page and "4.0 / 5" in brand_page
    kit = client.get(f"/c/{creator.handle}/").content.decode()
    assert "Lovely reels, on time." in kit and "5.0 / 5" in kit
    assert "1 of 1 hires completed" in kit


def test_brand_page_of_an_unapproved_brand_is_404(client):
    brand = BrandMemberFactory(brand__status="pending").brand
    assert client.get(f"/brands/{brand.pk}/").status_code == 404


def test_staff_hide_a_review_in_the_admin_with_a_reason(client, done, member, creator):
    from tests.factories import UserFactory

    review = services.review_create(application=done, actor=creator.user, **GOOD)
    from tests.factories.users import login_with_mfa

    staff = UserFactory(is_staff=True, is_superuser=True)
    login_with_mfa(client, staff)
    url = f"/admin/campaigns/review/{review.pk}/change/"
    import re

    page = client.get(url)
    assert page.status_code == 200
    prefix = re.search(r'name="([^"]+)-TOTAL_FORMS"', page.content.decode()).group(1)
    response = client.post(url, {"hide_reason": "Insults", f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.hidden_reason == "Insults"
    assert AuditEntry.objects.filter(target_id=review.pk, to_state="hidden", actor=staff).count() == 1


def test_applicant_list_shows_each_creators_scores_with_their_numbers(client, done, member, creator):
    from tests.campaigns.world import make_open_campaign

    services.review_create(application=done, actor=member.user, **GOOD)
    services.review_create(application=done, actor=creator.user, **GOOD)
    second = make_open_campaign(member)
    services.application_submit(campaign=second, creator=creator, actor=creator.user, pitch="Again!")
    client.force_login(member.user)
    page = client.get(f"/brand/campaigns/{second.pk}/applicants/").content.decode()
    assert "★ 5.0 / 5" in page
    assert 'On-time rate 100% <span class="muted">(1 of 1 drafts by the due date)</span>' in page
    assert 'Completion rate 100% <span class="muted">(1 of 1 hires completed)</span>' in page


def test_api_scores_on_the_creator_and_on_the_campaigns_brand(done, member, creator, other_member):
    """Issue 12: scores on the creator and brand resources. One hire, one deliverable drafted on time, no
    revision, completed; the brand rated the creator 5, the creator rated the brand 3."""
    services.review_create(application=done, actor=member.user, **GOOD)
    services.review_create(application=done, actor=creator.user, **{**GOOD, "overall": 3})
    kit = _api(other_member.user).get(f"/api/v1/creators/{creator.pk}/").json()["reputation"]
    assert kit == {
        "rating": "5.0 / 5",
        "review_count": 1,
        "scores": [
            {"title": "On-time rate", "shown": "100%", "detail": "1 of 1 drafts by the due date"},
            {"title": "Revisions per deliverable", "shown": "0.0", "detail": "0 revisions over 1 deliverables"},
            {"title": "Completion rate", "shown": "100%", "detail": "1 of 1 hires completed"},
        ],
    }
    brand = _api(member.user).get(f"/api/v1/campaigns/{done.campaign_id}/").json()["brand_reputation"]
    assert brand == {
        "rating": "3.0 / 5",
        "review_count": 1,
        "scores": [
            {"title": "Median time to a decision", "shown": "0.0 days", "detail": "median over 1 decided applications"},
            {"title": "Left undecided at close", "shown": "0%", "detail": "0 of 1 applicants left undecided at close"},
            {"title": "Median time from approval to payout", "shown": "—", "detail": "median over 0 paid-out hires"},
        ],
    }
    # The list stays as it was (no per-row reputation queries); the detail carries it.
    assert "reputation" not in _api(other_member.user).get("/api/v1/creators/").json()["results"][0]
