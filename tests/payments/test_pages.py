"""Who sees which money: the application's brand team and its creator; anyone else gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments import services
from payments.models import Funding, FundingStatus
from tests.factories import UserFactory


@pytest.fixture
def held(offline, hire):
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD")
    return funding


def test_the_creator_sees_funded_on_the_application_page(held, hire, creator, client, django_assert_max_num_queries):
    client.force_login(creator.user)
    page = client.get(reverse("campaigns:application", args=[hire.pk])).content.decode()
    assert 'data-testid="money-status">Funded</a>' in page
    with django_assert_max_num_queries(12):
        money = client.get(reverse("payments:funding", args=[hire.pk]))
    body = money.content.decode()
    assert money.status_code == 200
    assert "150.00 USD" in body
    assert "Platform fee" not in body  # the brand's cost is the brand's
    assert "payment is held for you: start the work" in body


def test_the_brand_sees_the_total_and_the_pay_button_before_payment(offline, hire, member, client):
    client.force_login(member.user)
    body = client.get(reverse("payments:funding", args=[hire.pk])).content.decode()
    assert "165.00 USD" in body
    assert "Fund this hire" in body
    response = client.post(reverse("payments:checkout", args=[hire.pk]), follow=True)
    assert "Pay by bank transfer" in response.content.decode()
    assert Funding.objects.get(application=hire).status == FundingStatus.REQUESTED


@pytest.mark.parametrize("who", ["other_member", "other_creator", "stranger"])
def test_other_tenants_get_404(held, hire, other_member, other_creator, client, who):
    user = {"other_member": other_member.user, "other_creator": other_creator.user, "stranger": UserFactory()}[who]
    client.force_login(user)
    assert client.get(reverse("payments:funding", args=[hire.pk])).status_code == 404
    assert client.post(reverse("payments:checkout", args=[hire.pk])).status_code == 404


def test_the_creator_cannot_start_the_brands_checkout(offline, hire, creator, client):
    client.force_login(creator.user)
    assert client.post(reverse("payments:checkout", args=[hire.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(held, hire, client):
    response = client.get(reverse("payments:funding", args=[hire.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_second_checkout_after_payment_says_so(held, hire, member, client):
    client.force_login(member.user)
    response = client.post(reverse("payments:checkout", args=[hire.pk]), follow=True)
    assert "This hire is already funded." in response.content.decode()
