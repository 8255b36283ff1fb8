"""Scores from facts, against hand-computed fixtures (issue 12). The expected numbers are worked out by hand in
the comments; the rows are written directly, as the facts the scores read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from audit.models import AuditEntry
from campaigns.models import Application, Deliverable, Review, Submission
from campaigns.reputation import brand_reputation, creator_reputation
from tests.campaigns.world import make_creator
from tests.factories import BrandMemberFactory, CampaignFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TODAY = dt.date(2026, 6, 15)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def d(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


def _app(creator, brand, status, *, ended=False):
    return Application.objects.create(
        campaign=CampaignFactory(brand=brand, status="closed"),
        creator=creator,
        status=status,
        ended_at=noon(d(6, 1)) if ended else None,
    )


def _deliverable(app, due, drafts):
    """``drafts``: [(day, submission status)], oldest first."""
    deliverable = Deliverable.objects.create(application=app, platform="instagram", format="reel", due_date=due)
    for day, status in drafts:
        sub = Submission.objects.create(deliverable=deliverable, link="https://example.com/x", status=status)
        Submission.objects.filter(pk=sub.pk).update(created_at=noon(day))
    return deliverable


def _review(app, side, overall, *, published=True, hidden=False):
    return Review.objects.create(
        application=app,
        side=side,
        overall=overall,
        communication=3,
        quality=3,
        timeliness=3,
        text="x",
        window_closes_at=noon(d(7, 1)) + dt.timedelta(days=3650),
        published_at=noon(d(6, 2)) if published else None,
        hidden_at=noon(d(6, 3)) if hidden else None,
    )


@pytest.fixture
def brand():
    return BrandMemberFactory().brand


def test_creator_scores_from_facts(brand, django_assert_num_queries):
    creator = make_creator()
    app1 = _app(creator, brand, "completed", ended=True)
    app2 = _app(creator, brand, "completed", ended=True)
    app3 = _app(creator, brand, "accepted", ended=True)  # hired, then the campaign ended
    app4 = _app(creator, brand, "accepted")  # still at work
    _deliverable(app1, d(6, 10), [(d(6, 9), "revision_requested"), (d(6, 12), "approved")])  # on time, 1 revision
    _deliverable(app1, d(6, 10), [(d(6, 11), "revision_requested"), (d(6, 13), "in_review")])  # late, 1 revision
    _deliverable(app3, d(6, 1), [])  # overdue, never delivered: late
    _deliverable(app4, d(6, 30), [])  # not due yet: not counted
    _deliverable(app2, d(6, 20), [(d(6, 14), "approved")])  # early: on time
    _review(app1, "brand", 5)
    _review(app2, "brand", 2)
    _review(app3, "brand", 1, hidden=True)  # hidden: not counted
    _review(app4, "brand", 1, published=False)  # blind, window open: not counted
    _review(app1, "creator", 4)  # about the brand, not the creator
    other = make_creator()

    with django_assert_num_queries(3):
        rep = creator_reputation([creator.pk, other.pk], today=TODAY)

    mine = rep[creator.pk]
    assert (mine.rating, mine.reviews, mine.rating_shown) == (3.5, 2, "3.5 / 5")
    # on time: D1 and D5 of D1, D2, D3, D5 (D4 not due) = 2 / 4
    assert (mine.score("on_time").value, mine.score("on_time").shown, mine.score("on_time").detail) == (
        0.5,
        "50%",
        "2 of 4 drafts by the due date",
    )
    # revisions: 2 revision requests over the 3 deliverables with a draft = 0.666…
    assert mine.score("revisions").shown == "0.7"
    assert mine.score("revisions").value == pytest.approx(0.6667, abs=1e-4)
    assert mine.score("revisions").detail == "2 revisions over 3 deliverables"
    # completion: 2 completed of 3 ended hires (app4 still at work) = 67%
    assert (mine.score("completion").shown, mine.score("completion").detail) == ("67%", "2 of 3 hires completed")
    empty = rep[other.pk]
    assert (empty.rating, empty.reviews) == (None, 0)
    assert [s.shown for s in empty.scores] == ["—", "—", "—"]


def _entry(app, to, at, frm=""):
    AuditEntry.objects.create(
        target_type=ContentType.objects.get_for_model(Application),
        target_id=app.pk,
        action="moved" if frm else "created",
        from_state=frm,
        to_state=to,
        at=at,
    )


def test_brand_scores_from_facts(brand, django_assert_num_queries):
    t = noon(d(5, 1))
    day = dt.timedelta(days=1)
    a = _app(make_creator(), brand, "accepted")
    _entry(a, "submitted", t)
    _entry(a, "shortlisted", t + 1 * day, "submitted")  # first decision after 1 day
    _entry(a, "accepted", t + 3 * day, "shortlisted")
    b = _app(make_creator(), brand, "declined")
    _entry(b, "submitted", t)
    _entry(b, "declined", t + 3 * day, "submitted")  # 3 days
    c = _app(make_creator(), brand, "shortlisted")
    _entry(c, "invited", t - day)
    _entry(c, "submitted", t, "invited")  # the wait starts at the submission, not the invitation
    _entry(c, "shortlisted", t + 5 * day, "submitted")  # 5 days
    for _ in range(2):
        ghosted = _app(make_creator(), brand, "not_selected")
        _entry(ghosted, "submitted", t)
        _entry(ghosted, "not_selected", t + 10 * day, "submitted")  # not a decision
    _app(make_creator(), brand, "withdrawn")
    _review(a, "creator", 4)
    _review(b, "creator", 3)
    other = BrandMemberFactory().brand
    ContentType.objects.get_for_model(Application)  # cached, as in any running process

    with django_assert_num_queries(5):  # +1: payments' payout time (campaigns.hooks.brand_scores)
        rep = brand_reputation([brand.pk, other.pk])

    mine = rep[brand.pk]
    assert (mine.rating, mine.reviews) == (3.5, 2)
    # median of 1, 3 and 5 days
    assert (mine.score("decision_time").value, mine.score("decision_time").shown) == (3.0, "3.0 days")
    assert mine.score("decision_time").detail == "median over 3 decided applications"
    # not selected: 2 of the 4 that ended (a accepted, b declined, 2 not selected; c still open, withdrawn out)
    assert (mine.score("undecided").value, mine.score("undecided").shown, mine.score("undecided").detail) == (
        0.5,
        "50%",
        "2 of 4 applicants left undecided at close",
    )
    assert [s.shown for s in rep[other.pk].scores] == ["—", "—", "—"]
