"""The payments API: ledger entries per side (GET payments/entries/) and one hire's funding with its receipt or
statement (GET applications/{id}/funding/). Each side reads its own money; another tenant's is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from campaigns import services as campaign_services
from payments import services
from payments.models import Entry, Funding, LedgerTransaction
from tests.factories import BrandMemberFactory, UserFactory

from .conftest import approve_all

UTC = dt.UTC


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def paid_out(offline, hire, member, creator, clock, django_capture_on_commit_callbacks):
    clock(dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD", reference="pi_123")
    clock(dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC))
    with django_capture_on_commit_callbacks(execute=True):
        approve_all(hire, member, creator)
    services.funding_payout(funding_id=funding.pk, reference="tr_456")
    return funding


def _rows(data):
    return [(r["kind"], r["account"], r["amount_minor"], r["currency"]) for r in data["results"]]


def test_a_brand_member_lists_every_entry_of_its_hires(paid_out, hire, member, api, django_assert_max_num_queries):
    api.force_authenticate(member.user)
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/payments/entries/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 7
    # Newest movement first; within one movement, the last entry first.
    assert _rows(data) == [
        ("payout", "paid_out", 15000, "USD"),
        ("payout", "creator_owed", -15000, "USD"),
        ("release", "platform_fee", 1500, "USD"),
        ("release", "creator_owed", 15000, "USD"),
        ("release", "held", -16500, "USD"),
        ("hold", "held", 16500, "USD"),
        ("hold", "brand_funding", -16500, "USD"),
    ]
    first = data["results"][0]
    payout = LedgerTransaction.objects.get(application=hire, kind="payout")
    assert first["transaction"] == payout.pk
    assert first["application"] == hire.pk
    assert first["created"] == "2026-03-12T15:30:00Z"
    assert set(first) == {"id", "transaction", "kind", "account", "amount_minor", "currency", "application", "created"}


def test_a_creator_lists_what_they_are_owed_and_were_paid(paid_out, creator, api):
    api.force_authenticate(creator.user)
    data = api.get("/api/v1/payments/entries/").json()
    assert _rows(data) == [
        ("payout", "paid_out", 15000, "USD"),
        ("payout", "creator_owed", -15000, "USD"),
        ("release", "creator_owed", 15000, "USD"),
    ]


def test_entries_filter_by_application_and_kind(paid_out, hire, member, api):
    api.force_authenticate(member.user)
    assert _rows(api.get("/api/v1/payments/entries/", {"kind": "hold"}).json()) == [
        ("hold", "held", 16500, "USD"),
        ("hold", "brand_funding", -16500, "USD"),
    ]
    assert api.get("/api/v1/payments/entries/", {"application": hire.pk}).json()["count"] == 7
    assert api.get("/api/v1/payments/entries/", {"application": hire.pk + 1000}).json()["count"] == 0


@pytest.mark.parametrize(
    "query,field",
    [({"kind": "steal"}, "kind"), ({"application": "1.5"}, "application"), ({"application": "9" * 19}, "application")],
)
def test_bad_filters_are_a_400_naming_the_field(paid_out, member, api, query, field):
    api.force_authenticate(member.user)
    response = api.get("/api/v1/payments/entries/", query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_other_tenants_see_none_of_it(paid_out, hire, other_member, other_creator, api):
    for user in (other_member.user, other_creator.user, UserFactory(role="")):
        api.force_authenticate(user)
        assert api.get("/api/v1/payments/entries/").json()["count"] == 0
        assert api.get("/api/v1/payments/entries/", {"application": hire.pk}).json()["count"] == 0
        assert api.get(f"/api/v1/applications/{hire.pk}/funding/").status_code == 404


def test_anonymous_is_a_401(paid_out, hire, api):
    assert api.get("/api/v1/payments/entries/").status_code == 401
    assert api.get(f"/api/v1/applications/{hire.pk}/funding/").status_code == 401


def test_the_brand_reads_the_funding_with_its_receipt(paid_out, hire, member, api):
    api.force_authenticate(member.user)
    response = api.get(f"/api/v1/applications/{hire.pk}/funding/")
    assert response.status_code == 200
    assert response.json() == {
        "application": hire.pk,
        "status": "paid_out",
        "status_display": "Paid out",
        "currency": "USD",
        "fee_minor": 15000,
        "platform_fee_minor": 1500,
        "total_minor": 16500,
        "receipt": {
            "number": "R-2026-000001",
            "url": "http://testserver/payments/documents/R-2026-000001/",
            "pdf_url": "http://testserver/payments/documents/R-2026-000001.pdf",
        },
        "statement": None,
        "updated": "2026-03-12T15:30:00Z",
    }


def test_the_creator_reads_the_funding_with_the_statement(paid_out, hire, creator, api):
    api.force_authenticate(creator.user)
    data = api.get(f"/api/v1/applications/{hire.pk}/funding/").json()
    assert (data["status"], data["fee_minor"], data["platform_fee_minor"], data["total_minor"]) == (
        "paid_out",
        15000,
        None,
        None,
    )
    assert data["receipt"] is None
    assert data["statement"] == {
        "number": "S-2026-000001",
        "url": "http://testserver/payments/documents/S-2026-000001/",
        "pdf_url": "http://testserver/payments/documents/S-2026-000001.pdf",
    }


def test_a_funding_waiting_for_payment_has_no_documents(offline, hire, member, api):
    api.force_authenticate(member.user)
    data = api.get(f"/api/v1/applications/{hire.pk}/funding/").json()
    assert (data["status"], data["total_minor"], data["receipt"], data["statement"]) == (
        "requested",
        16500,
        None,
        None,
    )


def test_an_application_without_funding_is_the_apis_404(offline, application, member, api):
    api.force_authenticate(member.user)
    response = api.get(f"/api/v1/applications/{application.pk}/funding/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "errors": {}}


def test_a_teammate_reads_the_brands_money_too(paid_out, member, api):
    api.force_authenticate(BrandMemberFactory(brand=member.brand, role="member").user)
    assert api.get("/api/v1/payments/entries/").json()["count"] == 7


def test_entries_query_count_does_not_grow_with_hires(
    offline, member, campaign, api, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests.campaigns.world import make_creator

    for _ in range(3):
        creator = make_creator()
        app = campaign_services.application_submit(
            campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=100
        )
        app = campaign_services.application_accept(application=app, actor=member.user)
        services.funding_mark_held(funding=Funding.objects.get(application=app), amount=11000, currency="USD")
    api.force_authenticate(member.user)
    assert Entry.objects.count() == 6
    with django_assert_num_queries(2):  # the count and the page (the brand ids are cached on the user)
        assert api.get("/api/v1/payments/entries/").json()["count"] == 6
