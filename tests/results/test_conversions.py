"""Conversions (issue 11): by API (idempotent by order id), by CSV (bad rows by line, good rows kept), by a signed
webhook (HMAC-SHA256 over timestamp + body, tolerance, replay-safe). Other tenants' links and codes are refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from results import services
from results.models import Conversion, WebhookDelivery
from tests.campaigns.world import make_open_campaign
from tests.factories import BrandMemberFactory
from tests.results.conftest import hire

pytestmark = pytest.mark.django_db


@pytest.fixture
def rae(trail, oat):
    link = hire(trail, oat, handle="rae-lens").tracked_link
    services.link_set_promo_code(link=link, promo_code="RAE10", actor=oat.user)
    return link


@pytest.fixture
def api(oat):
    client = APIClient()
    client.force_authenticate(oat.user)
    return client


@pytest.fixture
def rival_link(db):
    rival = BrandMemberFactory(brand__name="Rival Bars")
    campaign = make_open_campaign(rival, title="Rival")
    link = hire(campaign, rival, handle="riv-al").tracked_link
    services.link_set_promo_code(link=link, promo_code="RIVAL", actor=rival.user)
    return link


# --- API ---------------------------------------------------------------------------------------------------------


def test_the_api_records_an_order_once_by_its_id(api, rae, trail):
    body = {"order_id": "A-1001", "amount": 4250, "currency": "usd", "code": rae.code}
    first = api.post("/api/v1/conversions/", body, format="json")
    assert first.status_code == 201
    assert first.json() | {"id": 0, "occurred_at": ""} == {
        "id": 0,
        "order_id": "A-1001",
        "amount": 4250,
        "currency": "USD",
        "link": rae.code,
        "campaign": trail.pk,
        "source": "api",
        "occurred_at": "",
    }
    again = api.post("/api/v1/conversions/", body | {"amount": 9999}, format="json")
    assert again.status_code == 200
    assert again.json()["amount"] == 4250  # the first stands
    assert Conversion.objects.count() == 1


def test_the_api_attributes_by_promo_code_in_any_case(api, rae):
    response = api.post(
        "/api/v1/conversions/",
        {"order_id": "A-2", "amount": 1000, "currency": "USD", "code": "rae10", "occurred_at": "2026-03-02T10:00:00Z"},
        format="json",
    )
    assert response.status_code == 201
    conversion = Conversion.objects.get(order_id="A-2")
    assert conversion.link == rae
    assert conversion.occurred_at.isoformat() == "2026-03-02T10:00:00+00:00"


def test_another_brands_link_or_code_is_not_found(api, rae, rival_link):
    for code in (rival_link.code, "RIVAL"):
        response = api.post(
            "/api/v1/conversions/", {"order_id": f"X-{code}", "amount": 100, "currency": "USD", "code": code}
        )
        assert response.status_code == 404
        assert response.json()["message"] == f"No link or promo code {code} in your campaigns."
    assert Conversion.objects.count() == 0


def test_the_api_refuses_bad_input_with_a_message(api, rae):
    wrong_currency = api.post(
        "/api/v1/conversions/", {"order_id": "B-1", "amount": 100, "currency": "EUR", "code": rae.code}
    )
    assert wrong_currency.status_code == 400
    assert "Amounts must be in USD" in wrong_currency.json()["message"]
    negative = api.post("/api/v1/conversions/", {"order_id": "B-2", "amount": -5, "currency": "USD", "code": rae.code})
    assert negative.status_code == 400
    assert "amount" in negative.json()["errors"]
    missing = api.post("/api/v1/conversions/", {"amount": 5, "currency": "USD", "code": rae.code})
    assert missing.status_code == 400
    assert "order_id" in missing.json()["errors"]
    assert Conversion.objects.count() == 0


def test_the_api_needs_a_brand_account(rae):
    assert APIClient().post("/api/v1/conversions/", {}).status_code in (401, 403)
    creator_client = APIClient()
    creator_client.force_authenticate(rae.application.creator.user)
    response = creator_client.post(
        "/api/v1/conversions/", {"order_id": "C-1", "amount": 100, "currency": "USD", "code": rae.code}
    )
    assert response.status_code == 404


# --- CSV -----------------------------------------------------------------------------------------------------------


def upload(client, campaign, text: str | bytes, name: str = "orders.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/brand/campaigns/{campaign.pk}/conversions/", {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_a_csv_keeps_good_rows_and_reports_bad_ones_by_line(client, oat, trail, rae, rival_link):
    Conversion.objects.create(
        brand=oat.brand,
        link=rae,
        order_id="OLD-1",
        amount=100,
        currency="USD",
        source="api",
        occurred_at="2026-03-01T00:00Z",
    )
    client.force_login(oat.user)
    csv_text = (
        "order_id,amount,currency,code,occurred_at\n"
        f"A-1,42.50,USD,{rae.code},2026-03-02\n"  # 2: good
        "A-2,12,usd,rae10,\n"  # 3: good (promo code, lower case)
        "A-3,twelve,USD,RAE10,\n"  # 4: bad amount
        "A-4,10.00,USD,RIVAL,\n"  # 5: another brand's code
        ",10.00,USD,RAE10,\n"  # 6: no order id
        "A-1,10.00,USD,RAE10,\n"  # 7: repeated in the file
        "OLD-1,1.00,USD,RAE10,\n"  # 8: already recorded
        "A-5,1.005,USD,RAE10,\n"  # 9: three decimals
        "A-6,5.00,EUR,RAE10,\n"  # 10: wrong currency
        "A-7,5.00,USD,RAE10,yesterday\n"  # 11: bad date
        "A-8,1e30,USD,RAE10,\n"  # 12: absurd amount
        "A-9,NaN,USD,RAE10,\n"  # 13: not a number
        "A-10,5.00,USD,RAE10,2026-13-01\n"  # 14: no such month
        "A-11,5.00,USD,,\n"  # 15: no code
    )
    response = upload(client, trail, csv_text)
    assert response.status_code == 400  # some lines were refused: said so, not a silent success
    page = response.content.decode()
    assert "2 orders recorded." in page
    assert "1 was already recorded and left as it was." in page
    assert "11 lines were not imported:" in page
    for expected in (
        "Line 4: twelve is not an amount (write it like 12.50).",
        "Line 5: No link or promo code RIVAL in your campaigns.",
        "Line 6: The order id is required (at most 100 characters).",
        "Line 7: Order A-1 is already on line 2.",
        "Line 9: 1.005 has more than two decimals.",
        "Line 10: Amounts must be in USD, the currency the campaign is paid in (so ROAS compares like with like).",
        "Line 11: yesterday is not a date (write 2026-03-01 or 2026-03-01T14:30:00Z).",
        "Line 12: 1e30 is not an amount (write it like 12.50).",
        "Line 13: NaN is not an amount (write it like 12.50).",
        "Line 14: 2026-13-01 is not a date (write 2026-03-01 or 2026-03-01T14:30:00Z).",
        "Line 15: Give the creator&#x27;s link code or promo code.",
    ):
        assert expected in page
    assert "Line 8: order OLD-1 already recorded" in page
    made = {c.order_id: (c.amount, c.link_id, c.source) for c in Conversion.objects.exclude(order_id="OLD-1")}
    assert made == {"A-1": (4250, rae.pk, "csv"), "A-2": (1200, rae.pk, "csv")}

    again = upload(client, trail, csv_text)  # the same file again records nothing twice
    assert "0 orders recorded." in again.content.decode()
    assert Conversion.objects.count() == 3


def test_a_csv_that_cannot_be_read_is_refused_whole(client, oat, trail, rae):
    client.force_login(oat.user)
    no_header = upload(client, trail, f"A-1,1.00,USD,{rae.code}\n")
    assert no_header.status_code == 400
    assert "The first line must name the columns order_id, amount, currency, code" in no_header.content.decode()
    latin1 = upload(client, trail, "order_id,amount,currency,code\nA-1,1.00,USD,CAFÉ\n".encode("latin-1"))
    assert "The file is not UTF-8 text; export it as CSV UTF-8." in latin1.content.decode()
    big = upload(client, trail, "order_id,amount,currency,code\n" + "x" * (1024 * 1024))
    assert big.status_code == 400
    assert "The file is over 1 MB; split it into smaller files." in big.content.decode()
    assert Conversion.objects.count() == 0


def test_another_brand_cannot_upload_to_the_campaign(client, trail, rae):
    client.force_login(BrandMemberFactory().user)
    assert upload(client, trail, f"order_id,amount,currency,code\nA-1,1.00,USD,{rae.code}\n").status_code == 404
    assert Conversion.objects.count() == 0


# --- the signed webhook ------------------------------------------------------------------------------------------


def signed(secret: str, body: bytes, *, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    return f"t={at},v1=" + hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()


def post_event(client, endpoint, event: dict, *, secret: str | None = None, at: int | None = None):
    body = json.dumps(event).encode()
    return client.post(
        f"/hooks/conversions/{endpoint.token}/",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=signed(secret or endpoint.secret, body, at=at),
    )


def test_a_signed_event_is_applied_once(client, oat, rae):
    endpoint = services.webhook_endpoint(brand=oat.brand)
    event = {"id": "evt_1", "order_id": "W-1", "amount": 2599, "currency": "USD", "code": "RAE10"}
    first = post_event(client, endpoint, event)
    assert (first.status_code, first.json()) == (201, {"message": "Order W-1 recorded."})
    replay = post_event(client, endpoint, event)
    assert (replay.status_code, replay.json()) == (200, {"message": "Event evt_1 was already applied."})
    same_order = post_event(client, endpoint, event | {"id": "evt_2"})
    assert (same_order.status_code, same_order.json()) == (200, {"message": "Order W-1 was already recorded."})
    assert Conversion.objects.get().amount == 2599
    assert Conversion.objects.get().source == "webhook"
    assert WebhookDelivery.objects.count() == 2


def test_a_bad_or_old_signature_is_refused(client, oat, rae):
    endpoint = services.webhook_endpoint(brand=oat.brand)
    event = {"id": "evt_9", "order_id": "W-9", "amount": 100, "currency": "USD", "code": rae.code}
    wrong = post_event(client, endpoint, event, secret="whsec_guess")
    assert (wrong.status_code, wrong.json()) == (400, {"message": "The signature does not match."})
    old = post_event(client, endpoint, event, at=int(time.time()) - 301)
    assert (old.status_code, old.json()) == (400, {"message": "The signature's timestamp is too old or in the future."})
    body = json.dumps(event).encode()
    unsigned = client.post(f"/hooks/conversions/{endpoint.token}/", body, content_type="application/json")
    assert unsigned.status_code == 400
    tampered = client.post(
        f"/hooks/conversions/{endpoint.token}/",
        json.dumps(event | {"amount": 1}).encode(),
        content_type="application/json",
        HTTP_X_SIGNATURE=signed(endpoint.secret, body),
    )
    assert tampered.status_code == 400
    unknown = client.post(
        "/hooks/conversions/nope/", body, content_type="application/json", HTTP_X_SIGNATURE="t=1,v1=0"
    )
    assert unknown.status_code == 404
    not_json = client.post(f"/hooks/conversions/{endpoint.token}/", b"{", content_type="application/json")
    assert not_json.status_code == 400
    assert Conversion.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0


def test_a_webhook_with_impossible_values_is_refused_not_a_500(client, oat, rae):
    endpoint = services.webhook_endpoint(brand=oat.brand)
    base = {"id": "evt_x", "order_id": "W-X", "amount": 100, "currency": "USD", "code": "RAE10"}
    for changed, message in (
        ({"campaign": 10**30}, "campaign must be a campaign id."),
        ({"amount": 10**40}, "amount must be an integer number of minor units (1250 for 12.50)."),
        ({"amount": "12.50"}, "amount must be an integer number of minor units (1250 for 12.50)."),
        ({"occurred_at": "2026-02-30"}, "2026-02-30 is not a date (write 2026-03-01 or 2026-03-01T14:30:00Z)."),
    ):
        response = post_event(client, endpoint, base | changed)
        assert (response.status_code, response.json()) == (400, {"message": message}), changed
    assert Conversion.objects.count() == 0


def test_a_webhook_cannot_claim_another_brands_code(client, oat, rae, rival_link):
    endpoint = services.webhook_endpoint(brand=oat.brand)
    response = post_event(
        client, endpoint, {"id": "evt_r", "order_id": "W-R", "amount": 100, "currency": "USD", "code": rival_link.code}
    )
    assert response.status_code == 404
    assert Conversion.objects.count() == 0
    assert WebhookDelivery.objects.count() == 0  # not applied: a corrected retry of the same event may still land


def test_the_secret_is_on_the_brand_settings_page_and_can_be_rotated(client, oat, rae):
    client.force_login(oat.user)
    page = client.get("/brand/profile/").content.decode()
    endpoint = services.webhook_endpoint(brand=oat.brand)
    assert endpoint.secret.startswith("whsec_")
    assert f'value="{endpoint.secret}"' in page
    assert f"/hooks/conversions/{endpoint.token}/" in page
    old = endpoint.secret
    assert client.post("/brand/webhook-secret/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    event = {"id": "evt_o", "order_id": "W-O", "amount": 100, "currency": "USD", "code": rae.code}
    assert post_event(client, endpoint, event, secret=old).status_code == 400
    assert post_event(client, endpoint, event).status_code == 201


def test_the_signature_check_itself():
    body = b'{"id":"e"}'
    header = signed("s3cret", body, at=1_700_000_000)
    services.verify_signature(secret="s3cret", header=header, body=body, now=1_700_000_299)
    with pytest.raises(services.SignatureError, match="too old"):
        services.verify_signature(secret="s3cret", header=header, body=body, now=1_700_000_301)
    with pytest.raises(services.SignatureError, match="does not match"):
        services.verify_signature(secret="s3cret", header=header, body=b'{"id":"f"}', now=1_700_000_000)
    # HMAC-SHA256 with key "s3cret" over '1700000000.{"id":"e"}', computed once with `openssl dgst -sha256 -hmac`.
    assert services.sign("s3cret", 1_700_000_000, body) == (
        "5f377fa322ec8c278b23b2f30a8313105d1308211b1c38ce4c91515aeba84556"
    )
