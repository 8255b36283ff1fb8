"""The budget tracker on the brand's campaign page, with payments answering campaigns.hooks.campaign_money:
budget, committed, held, released, paid out, remaining; constant queries; only the brand's team and the staff."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns import services as campaign_services
from payments import services
from payments.models import Funding
from tests.campaigns.test_budget_tracker import tracker_rows
from tests.campaigns.world import make_creator, make_open_campaign
from tests.factories import UserFactory

from .conftest import approve_all

pytestmark = pytest.mark.django_db


def hire(campaign, member, rate):
    creator = make_creator()
    app = campaign_services.application_submit(
        campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=rate
    )
    return campaign_services.application_accept(application=app, actor=member.user), creator


def pay(app):
    funding = Funding.objects.get(application=app)
    assert services.funding_mark_held(funding=funding, amount=funding.total, currency="USD", reference="test")
    return funding


@pytest.fixture
def money_campaign(offline, member, django_capture_on_commit_callbacks):
    """Budget 1,000, fee 200: four hires at 150 (paid out), 180 (released), 250 (held), the brief's 200 (asked)."""
    campaign = make_open_campaign(member, fee_per_creator=Decimal(200), slots=5, total_budget=Decimal(1000))
    with django_capture_on_commit_callbacks(execute=True):
        paid_out, c1 = hire(campaign, member, 150)
        pay(paid_out)
        approve_all(paid_out, member, c1)
        released, c2 = hire(campaign, member, 180)
        pay(released)
        approve_all(released, member, c2)
        held, _c3 = hire(campaign, member, 250)
        pay(held)
        hire(campaign, member, None)
    services.funding_payout(funding_id=Funding.objects.get(application=paid_out).pk, reference="offline test")
    return campaign


def test_the_brand_sees_where_the_money_is(money_campaign, member, client):
    client.force_login(member.user)
    html = client.get(reverse("campaigns:detail", args=[money_campaign.pk])).content.decode()
    assert tracker_rows(html) == {
        "Budget": "$1,000",
        "Committed": "$780 (4 hires)",
        "Funded, held": "$250",
        "Released": "$180",
        "Paid out": "$150",
        "Not funded yet": "$200",
        "Remaining": "$220",
    }
    # The bar (SVG, x and width in percent): shares of the 1,000 budget.
    assert re.findall(r'<rect class="budget-(\w+)" x="([\d.]+)" width="([\d.]+)"', html) == [
        ("paid_out", "0", "15.0"),
        ("released", "15.0", "18.0"),
        ("held", "33.0", "25.0"),
        ("unfunded", "58.0", "20.0"),
        ("left", "78.0", "22.0"),
    ]


def test_over_budget_says_by_how_much(offline, member, client):
    campaign = make_open_campaign(member, fee_per_creator=Decimal(200), slots=2, total_budget=Decimal(400))
    hire(campaign, member, 200)
    hire(campaign, member, 250)
    client.force_login(member.user)
    rows = tracker_rows(client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode())
    assert rows["Committed"] == "$450 (2 hires)"
    assert rows["Remaining"] == "$50 over budget"
    assert rows["Not funded yet"] == "$450"


def test_staff_see_the_tracker_other_tenants_get_404_creators_see_none(money_campaign, other_member, client):
    url = reverse("campaigns:detail", args=[money_campaign.pk])
    client.force_login(UserFactory(is_staff=True, role="brand"))  # staff, in no brand
    assert tracker_rows(client.get(url).content.decode())["Paid out"] == "$150"

    client.force_login(other_member.user)
    # An open campaign is public: another brand sees the brief, never the money.
    response = client.get(url)
    assert "budget-tracker" not in response.content.decode()

    hired_creator = Funding.objects.filter(application__campaign=money_campaign).first().application.creator
    client.force_login(hired_creator.user)
    response = client.get(url)
    assert response.status_code == 200 and "budget-tracker" not in response.content.decode()

    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "budget-tracker" not in response.content.decode()


def test_a_draft_campaign_is_404_for_another_brand(offline, member, other_member, client):
    from tests.factories import CampaignFactory

    draft = CampaignFactory(brand=member.brand)
    client.force_login(other_member.user)
    assert client.get(reverse("campaigns:detail", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(("hires", "held"), [(1, "$100"), (12, "$1,200")])
def test_campaign_page_queries_do_not_grow_with_hires(offline, hires, held, member, client, django_assert_num_queries):
    campaign = make_open_campaign(member, fee_per_creator=Decimal(100), slots=20, total_budget=Decimal(5000))
    for _ in range(hires):
        pay(hire(campaign, member, 100)[0])
    client.force_login(member.user)
    with django_assert_num_queries(10):
        response = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert tracker_rows(response.content.decode())["Funded, held"] == held
