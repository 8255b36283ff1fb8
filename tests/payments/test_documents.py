"""Receipts (the brand's, when its money is held) and statements (the creator's, when paid out): numbered without
gaps per kind and year, issued once, read only by their own side, as a page and a PDF download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from payments import documents, services
from payments.models import Document, DocumentCounter, Funding, FundingStatus
from tests.factories import BrandMemberFactory, UserFactory

from .conftest import approve_all

UTC = dt.UTC


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock (timezone.now, which auto_now_add reads) to a given moment."""

    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def named(member, creator, campaign):
    member.brand.name = "Oat Co"
    member.brand.save()
    creator.display_name, creator.handle = "Rae Lens", "rae-lens"
    creator.save()
    campaign.title = "Trail mix reels"
    campaign.save()


def _hold(hire, reference="pi_123"):
    funding = Funding.objects.get(application=hire)
    services.funding_mark_held(funding=funding, amount=16500, currency="USD", reference=reference)
    return funding


def _pay_out(hire, member, creator, captured, reference="tr_456"):
    with captured(execute=True):
        approve_all(hire, member, creator)
    funding = Funding.objects.get(application=hire)
    assert funding.status == FundingStatus.RELEASED
    services.funding_payout(funding_id=funding.pk, reference=reference)
    return funding


def test_holding_the_money_issues_the_brand_a_numbered_receipt(offline, named, hire, clock):
    clock(dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    funding = _hold(hire)
    receipt = Document.objects.get(funding=funding)
    assert receipt.number == "R-2026-000001"
    assert (receipt.kind, receipt.year, receipt.sequence) == ("receipt", 2026, 1)
    assert receipt.issued_at == dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert (receipt.brand_name, receipt.creator_name, receipt.creator_handle, receipt.campaign_title) == (
        "Oat Co",
        "Rae Lens",
        "rae-lens",
        "Trail mix reels",
    )
    assert (receipt.fee, receipt.platform_fee, receipt.total, receipt.currency) == (15000, 1500, 16500, "USD")
    assert (receipt.reference, receipt.provider) == ("pi_123", "offline")
    assert documents.lines(receipt) == {"fee": "150.00 USD", "platform_fee": "15.00 USD", "total": "165.00 USD"}


def test_a_request_not_yet_paid_has_no_receipt(offline, hire):
    assert Document.objects.count() == 0


def test_the_payout_issues_the_creator_a_statement(
    offline, named, hire, member, creator, clock, django_capture_on_commit_callbacks
):
    clock(dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    _hold(hire)
    clock(dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC))
    funding = _pay_out(hire, member, creator, django_capture_on_commit_callbacks)
    statement = Document.objects.get(funding=funding, kind="statement")
    assert statement.number == "S-2026-000001"
    assert statement.issued_at == dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC)
    assert statement.reference == "tr_456"
    assert statement.fee == 15000
    # The release issues nothing: one receipt, one statement.
    assert sorted(Document.objects.values_list("number", flat=True)) == ["R-2026-000001", "S-2026-000001"]


def test_numbers_run_per_kind_and_restart_each_year(offline, member, clock):
    from tests.campaigns.world import make_creator, make_open_campaign

    campaign = make_open_campaign(member, slots=5)
    hires = []
    for _ in range(3):
        creator = make_creator()
        app = campaign_services.application_submit(
            campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=150
        )
        hires.append(campaign_services.application_accept(application=app, actor=member.user))
    clock(dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    _hold(hires[0])
    _hold(hires[1])
    clock(dt.datetime(2027, 1, 1, 0, 1, tzinfo=UTC))
    _hold(hires[2])
    numbers = list(Document.objects.order_by("issued_at", "id").values_list("number", flat=True))
    assert numbers == ["R-2026-000001", "R-2026-000002", "R-2027-000001"]
    assert sorted(DocumentCounter.objects.values_list("kind", "year", "last")) == [
        ("receipt", 2026, 2),
        ("receipt", 2027, 1),
    ]


def test_a_document_is_issued_once_and_never_renumbered(offline, hire, clock):
    clock(dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    funding = _hold(hire)
    first = Document.objects.get(funding=funding)
    again = documents.issue(funding=funding, kind="receipt")
    assert again.pk == first.pk
    assert again.number == "R-2026-000001"
    assert DocumentCounter.objects.get(kind="receipt").last == 1  # no number was used up
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            kind="receipt",
            year=first.year,
            sequence=2,
            number="R-X",
            funding=funding,
            issued_at=first.issued_at,
            brand_name="x",
            creator_name="x",
            creator_handle="x",
            campaign_title="x",
            currency="USD",
            fee=1,
            platform_fee=0,
            provider="offline",
        )


def test_a_rolled_back_hold_gives_its_number_back(offline, member, clock):
    from tests.campaigns.world import make_creator, make_open_campaign

    clock(dt.datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    campaign = make_open_campaign(member, slots=5)
    hires = []
    for _ in range(2):
        creator = make_creator()
        app = campaign_services.application_submit(
            campaign=campaign, creator=creator, actor=creator.user, pitch="Hi", proposed_rate=150
        )
        hires.append(campaign_services.application_accept(application=app, actor=member.user))

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _hold(hires[0])
        raise Boom
    assert Document.objects.count() == 0
    _hold(hires[1])
    assert list(Document.objects.values_list("number", flat=True)) == ["R-2026-000001"]


# --- pages ---------------------------------------------------------------------------------------------------


@pytest.fixture
def paid_out(offline, named, hire, member, creator, clock, django_capture_on_commit_callbacks):
    clock(dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    _hold(hire)
    clock(dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC))
    return _pay_out(hire, member, creator, django_capture_on_commit_callbacks)


def test_the_brand_reads_its_receipt(paid_out, member, client, django_assert_max_num_queries):
    client.force_login(member.user)
    with django_assert_max_num_queries(8):
        page = client.get("/payments/documents/R-2026-000001/")
    assert page.status_code == 200
    body = page.content.decode()
    for text in (
        'Receipt <span class="document-number" data-testid="document-number">R-2026-000001</span>',
        "9 March 2026",
        '<td data-testid="document-party">Oat Co</td>',
        "Rae Lens (@rae-lens)",
        "Trail mix reels",
        "<td>150.00 USD</td>",
        "<td>15.00 USD</td>",
        "<strong>165.00 USD</strong>",
        "<code>pi_123</code>",
        'href="/payments/documents/R-2026-000001.pdf"',
    ):
        assert text in body, text


def test_the_creator_reads_the_statement(paid_out, creator, client):
    client.force_login(creator.user)
    body = client.get("/payments/documents/S-2026-000001/").content.decode()
    assert 'Payout statement <span class="document-number" data-testid="document-number">S-2026-000001</span>' in body
    assert "12 March 2026" in body
    assert '<td data-testid="document-party">Rae Lens (@rae-lens)</td>' in body
    assert "<strong>150.00 USD</strong>" in body
    assert "<code>tr_456</code>" in body
    # The brand's cost is the brand's (as on the payment page and in the API): no platform fee, no total.
    assert "15.00 USD" not in body and "165.00 USD" not in body and "Platform fee" not in body


@pytest.mark.parametrize("number", ["R-2026-000001", "S-2026-000001"])
def test_the_pdf_is_an_attachment_with_nosniff(paid_out, member, creator, client, number):
    client.force_login(member.user if number.startswith("R") else creator.user)
    response = client.get(f"/payments/documents/{number}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{number}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "who,number",
    [
        ("creator", "R-2026-000001"),  # the receipt is the brand's
        ("member", "S-2026-000001"),  # the statement is the creator's
        ("other_member", "R-2026-000001"),
        ("other_creator", "S-2026-000001"),
        ("staff", "R-2026-000001"),
        ("member", "R-2026-000099"),  # no such number
    ],
)
def test_anyone_else_gets_a_404(paid_out, request, client, who, number):
    user = UserFactory(is_staff=True) if who == "staff" else request.getfixturevalue(who).user
    client.force_login(user)
    assert client.get(f"/payments/documents/{number}/").status_code == 404
    assert client.get(f"/payments/documents/{number}.pdf").status_code == 404


def test_anonymous_is_sent_to_log_in(paid_out, client):
    response = client.get("/payments/documents/R-2026-000001/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_member_of_the_brand_reads_the_receipt(paid_out, member, client):
    teammate = BrandMemberFactory(brand=member.brand, role="member")
    client.force_login(teammate.user)
    assert client.get("/payments/documents/R-2026-000001/").status_code == 200


def test_the_payment_page_links_each_side_to_its_document(paid_out, hire, member, creator, client):
    client.force_login(member.user)
    brand_page = client.get(reverse("payments:funding", args=[hire.pk])).content.decode()
    assert 'href="/payments/documents/R-2026-000001/"' in brand_page
    assert "S-2026-000001" not in brand_page
    client.force_login(creator.user)
    creator_page = client.get(reverse("payments:funding", args=[hire.pk])).content.decode()
    assert 'href="/payments/documents/S-2026-000001/"' in creator_page
    assert "R-2026-000001" not in creator_page


def test_the_creator_dashboard_lists_payouts_with_their_statement(
    paid_out, creator, client, django_assert_max_num_queries
):
    client.force_login(creator.user)
    body = client.get("/dashboard/").content.decode()
    assert '<h2 class="card-title" id="payouts-title">Payouts</h2>' in body
    assert "Trail mix reels" in body
    assert '<span class="badge" data-testid="payout-status">Paid out</span>' in body
    assert '<a href="/payments/documents/S-2026-000001/" data-testid="statement-link">S-2026-000001</a>' in body


def test_the_dashboard_says_nothing_about_payouts_without_paid_hires(creator, client):
    client.force_login(creator.user)
    assert 'id="payouts"' not in client.get("/dashboard/").content.decode()


def test_staff_read_documents_in_the_admin_without_editing_them(paid_out):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    model_admin = site._registry[Document]
    request = RequestFactory().get("/admin/payments/document/")
    request.user = UserFactory(role="", is_staff=True, is_superuser=True)
    assert sorted(model_admin.get_queryset(request).values_list("number", flat=True)) == [
        "R-2026-000001",
        "S-2026-000001",
    ]
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_add_permission(request)


def test_issue_documents_numbers_older_movements_in_date_order_once(
    offline, named, hire, member, creator, clock, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    clock(dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    _hold(hire)
    clock(dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC))
    _pay_out(hire, member, creator, django_capture_on_commit_callbacks)
    Document.objects.all().delete()  # as before receipts existed
    DocumentCounter.objects.all().delete()
    out = io.StringIO()
    call_command("issue_documents", stdout=out)
    assert out.getvalue() == "2 documents issued\n"
    assert sorted(Document.objects.values_list("number", "issued_at", "reference")) == [
        ("R-2026-000001", dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC), "pi_123"),
        ("S-2026-000001", dt.datetime(2026, 3, 12, 15, 30, tzinfo=UTC), "tr_456"),
    ]
    out = io.StringIO()
    call_command("issue_documents", stdout=out)
    assert out.getvalue() == "0 documents issued\n"
