"""``/api/v1/disputes/``: a party's disputes on its hires; opening one; other tenants' disputes are 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from payments import disputes, services
from payments.models import Dispute, Funding
from tests.factories import BrandMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/disputes/"


@pytest.fixture
def held(offline, hire):
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    return funding


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_creator_opens_a_dispute(held, hire, creator, member):
    response = _api(creator.user).post(URL, {"application": hire.pk, "reason": "  Unpaid extra reel.  "}, format="json")
    assert response.status_code == 201
    body = response.json()
    dispute = Dispute.objects.get()
    assert body == {
        "id": dispute.pk,
        "application": hire.pk,
        "side": "creator",
        "reason": "Unpaid extra reel.",
        "status": "open",
        "outcome": None,
        "currency": "USD",
        "held": 16500,
        "to_creator": None,
        "to_platform": None,
        "to_brand": None,
        "resolution_note": "",
        "created_at": body["created_at"],
        "resolved_at": None,
    }
    seen = _api(member.user).get(f"{URL}{dispute.pk}/")  # the other side reads it too
    assert (seen.status_code, seen.json()["side"]) == (200, "creator")


def test_the_list_holds_only_the_callers_hires(held, hire, creator, member, other_member, other_creator):
    dispute = disputes.dispute_open(application=hire, actor=member.user, reason="Off brief.")
    for user in (creator.user, member.user, BrandMemberFactory(brand=member.brand).user):
        listing = _api(user).get(URL)
        assert listing.status_code == 200
        assert [d["id"] for d in listing.json()["results"]] == [dispute.pk]
    for user in (other_member.user, other_creator.user, UserFactory(is_staff=True)):
        assert _api(user).get(URL).json()["results"] == []
        assert _api(user).get(f"{URL}{dispute.pk}/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_or_many(
    offline, member, creator, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from campaigns import services as campaign_services
    from tests.campaigns.world import make_creator, make_open_campaign

    def one_more():
        c = make_creator()
        app = campaign_services.application_submit(
            campaign=make_open_campaign(member), creator=c, actor=c.user, pitch="Hi", proposed_rate=100
        )
        campaign_services.application_accept(application=app, actor=member.user)
        services.funding_mark_held(funding=Funding.objects.get(application=app), amount=11000, currency="USD")
        disputes.dispute_open(application=app, actor=c.user, reason="Why")

    one_more()
    api = _api(member.user)
    with django_assert_num_queries(2) as one:  # count, page (the funding joined)
        assert len(api.get(URL).json()["results"]) == 1
    for _ in range(4):
        one_more()
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get(URL).json()["results"]) == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"application": 1, "reason": ""}, "reason"),
        ({"application": 1, "reason": "x" * 2001}, "reason"),
        ({"reason": "Why"}, "application"),
        ({"application": "1.5", "reason": "Why"}, "application"),
        ({"application": 10**19, "reason": "Why"}, "application"),
    ],
)
def test_a_bad_body_is_a_400_with_the_field(held, creator, body, field):
    response = _api(creator.user).post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert Dispute.objects.count() == 0


def test_another_tenants_hire_is_a_404(held, hire, other_member, other_creator):
    for user in (other_member.user, other_creator.user):
        response = _api(user).post(URL, {"application": hire.pk, "reason": "Not mine."}, format="json")
        assert response.status_code == 404
    assert Dispute.objects.count() == 0


def test_state_conflicts_are_409(offline, hire, creator, member):
    not_yet = _api(creator.user).post(URL, {"application": hire.pk, "reason": "Early."}, format="json")
    assert not_yet.status_code == 409
    assert not_yet.json() == {
        "message": "Only money held for a hire can be disputed; "
        "this hire's payment is “Waiting for the brand's payment”.",
        "errors": {},
    }
    services.funding_mark_held(funding=Funding.objects.get(application=hire), amount=16500, currency="USD")
    assert _api(creator.user).post(URL, {"application": hire.pk, "reason": "Now."}, format="json").status_code == 201
    again = _api(member.user).post(URL, {"application": hire.pk, "reason": "Us too."}, format="json")
    assert again.status_code == 409
    assert again.json()["message"] == "A dispute is already open on this hire; the platform is looking into it."


def test_anonymous_is_401(held, hire):
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, {"application": hire.pk, "reason": "x"}, format="json").status_code == 401
