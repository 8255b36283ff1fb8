"""The money journey in real Chromium (issue 10, "Done when"), with the real stripe SDK against the fake Stripe:

the brand accepts → funds through the fake hosted Checkout page (which sends the signed webhook) → the creator sees
"Funded" and submits a draft → the brand stays silent → the beat's auto-approval task, run as of N business days
later, approves it and the money is released → the creator onboards through the fake's Connect account link (whose
account.updated webhook sends the waiting transfer) → the brand opens its receipt and the creator the statement,
as pages and as PDF downloads. ``check_ledger`` is clean after every step. At 1280 px, the receipt and the statement
at 390 px too; axe-core on every page of ours.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from campaigns import services as campaign_services, tasks as campaign_tasks
from campaigns.services import add_business_days
from payments.models import Document, Funding, FundingStatus
from tests.campaigns.world import make_creator, make_open_campaign
from tests.e2e.support import DESKTOP, PHONE, assert_no_sideways_scroll, axe_check, log_in, shot, use_width
from tests.factories import BrandMemberFactory
from tests.fakes import FakeStripe

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


@pytest.fixture
def stripe_fake(settings, live_server):
    with FakeStripe(api_key="sk_test_fake", webhook_secret="whsec_e2e") as fake:
        settings.PAYMENTS_PROVIDER = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_fake"
        settings.STRIPE_WEBHOOK_SECRET = "whsec_e2e"
        settings.STRIPE_API_BASE = fake.url
        settings.DELIVERABLE_AUTO_APPROVE_BUSINESS_DAYS = 3
        fake.webhook_url = live_server.url + reverse("payments:stripe_webhook")
        yield fake


def ledger_is_clean(transactions: int) -> None:
    out = io.StringIO()
    call_command("check_ledger", stdout=out)  # raises CommandError on any discrepancy
    assert out.getvalue().strip() == f"ledger OK: {transactions} transactions checked"


def check(page: Page, step: str) -> None:
    axe_check(page)
    assert_no_sideways_scroll(page)
    shot(page, "money", step)


def test_fund_submit_auto_approve_pay_out_and_read_the_documents(page: Page, live_server, stripe_fake):
    member = BrandMemberFactory(user__email="ola@oat.example", brand__name="Oat Co")
    rae = make_creator(user__email="rae@example.com", display_name="Rae Lens", handle="rae-lens")
    campaign = make_open_campaign(member, title="Trail mix reels")
    application = campaign_services.application_submit(
        campaign=campaign, creator=rae, actor=rae.user, pitch="A reel from a real trail day.", proposed_rate=150
    )
    base = live_server.url
    use_width(page, DESKTOP)
    ledger_is_clean(0)

    # The brand accepts and is asked to fund 150.00 + 10 % platform fee.
    log_in(page, base, "ola@oat.example")
    page.goto(f"{base}/applications/{application.pk}/")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Accepted: the creator is hired.")).to_be_visible()
    page.get_by_test_id("money-status").click()
    expect(page.get_by_test_id("funding-status")).to_have_text("Waiting for the brand's payment")
    expect(page.get_by_text("165.00 USD")).to_be_visible()
    check(page, "1-brand-asked-to-fund")
    ledger_is_clean(0)

    # It pays on the (fake) Stripe Checkout page; Stripe's signed webhook holds the money.
    page.get_by_role("button", name="Fund this hire").click()
    expect(page.get_by_role("heading", name="Fake Checkout")).to_be_visible()
    expect(page.get_by_text("16500 usd")).to_be_visible()
    page.get_by_role("button", name="Pay").click()
    expect(page).to_have_url(re.compile(rf"/payments/applications/{application.pk}/\?paid=1$"))
    expect(page.get_by_test_id("funding-status")).to_have_text("Funded")
    assert stripe_fake.deliveries == [("checkout.session.completed", 200)]
    receipt_link = page.get_by_test_id("document-link")
    expect(receipt_link).to_contain_text("Receipt: R-")
    ledger_is_clean(1)

    # The creator sees "Funded" and submits a draft.
    log_in(page, base, "rae@example.com")
    page.goto(f"{base}/applications/{application.pk}/")
    expect(page.get_by_test_id("money-status")).to_have_text("Funded")
    reel = page.locator(".deliverable").first
    reel.get_by_label("…or a link to it").fill("https://drive.example/reel-v1")
    reel.get_by_role("button", name="Submit draft").click()
    expect(page.get_by_text("Draft submitted for review.")).to_be_visible()
    check(page, "2-creator-funded-draft-sent")
    ledger_is_clean(1)

    # The brand stays silent. The beat's task, run as of 3 business days after the draft, approves it; a minute
    # earlier it does nothing. The release follows (in-process), and the transfer waits for a payout account.
    deliverable = application.deliverables.get()
    sent_at = deliverable.submissions.latest("created_at").created_at
    due = add_business_days(sent_at, 3)
    assert campaign_tasks.auto_approve_drafts.delay(now=(due - timezone.timedelta(minutes=1)).isoformat()).get() == 0
    assert campaign_tasks.auto_approve_drafts.delay(now=due.isoformat()).get() == 1
    funding = Funding.objects.get(application=application)
    assert funding.status == FundingStatus.RELEASED
    assert stripe_fake.transfers == {}
    ledger_is_clean(2)

    # The creator onboards through the account link; account.updated sends the waiting transfer.
    page.goto(f"{base}/payments/applications/{application.pk}/")
    expect(page.get_by_test_id("funding-status")).to_have_text("Released, payout pending")
    page.get_by_role("button", name="Set up payouts").click()
    expect(page.get_by_role("heading", name="Fake Connect onboarding")).to_be_visible()
    page.get_by_role("button", name="Agree and submit").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert stripe_fake.deliveries[-1] == ("account.updated", 200)
    (transfer,) = stripe_fake.transfers.values()
    assert (transfer["amount"], transfer["currency"], transfer["transfer_group"]) == (
        15000,
        "usd",
        f"application-{application.pk}",
    )
    payouts = page.locator("#payouts")
    expect(payouts.get_by_test_id("payout-status")).to_have_text("Paid out")
    statement_number = Document.objects.get(funding=funding, kind="statement").number
    receipt_number = Document.objects.get(funding=funding, kind="receipt").number
    expect(payouts.get_by_test_id("statement-link")).to_have_text(statement_number)
    check(page, "3-creator-paid-out")
    ledger_is_clean(3)

    # The creator reads the statement, then downloads it.
    payouts.get_by_test_id("statement-link").click()
    expect(page.get_by_role("heading", name=f"Payout statement {statement_number}")).to_be_visible()
    expect(page.get_by_test_id("document-party")).to_have_text("Rae Lens (@rae-lens)")
    expect(page.get_by_test_id("document-amounts")).to_contain_text("Paid to you150.00 USD")
    expect(page.get_by_text(transfer["id"])).to_be_visible()
    check(page, "4-statement")
    use_width(page, PHONE)
    check(page, "4-statement")
    use_width(page, DESKTOP)
    with page.expect_download() as download:
        page.get_by_test_id("document-pdf").click()
    assert download.value.suggested_filename == f"{statement_number}.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    # The brand reads its receipt from the hire's payment page, then downloads it.
    log_in(page, base, "ola@oat.example")
    page.goto(f"{base}/payments/applications/{application.pk}/")
    expect(page.get_by_test_id("funding-status")).to_have_text("Paid out")
    page.get_by_role("link", name=receipt_number).click()
    expect(page.get_by_role("heading", name=f"Receipt {receipt_number}")).to_be_visible()
    expect(page.get_by_test_id("document-party")).to_have_text("Oat Co")
    expect(page.get_by_test_id("document-amounts")).to_contain_text("Total paid165.00 USD")
    check(page, "5-receipt")
    use_width(page, PHONE)
    check(page, "5-receipt")
    with page.expect_download() as download:
        page.get_by_test_id("document-pdf").click()
    assert download.value.suggested_filename == f"{receipt_number}.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    # Each side's document is the other side's 404.
    response = page.request.get(f"{base}/payments/documents/{statement_number}/")
    assert response.status == 404
    ledger_is_clean(3)
