"""`make run`'s demo data (`seed_demo`): every state each app shows, realistic pitches and money, idempotent.

Seeding the whole demo (200 creators with avatars and 30 days of history) takes ~15 s, and it is the same
data for every test here: the module seeds it once, as `make run` does (`seed_demo` on an empty database), in
a transaction of its own that each test runs inside (a savepoint, rolled back after the test, like Django's
``setUpTestData``) and that is rolled back after the last test. Each test's second seed and its comparison
with the counts right after the first one are unchanged.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from brands.models import Brand
from campaigns.models import Application, ApplicationStatus as A, Campaign, CampaignStatus as C
from core.models import User
from creators.models import Creator
from marketplace import demo
from payments.models import Funding, FundingStatus, LedgerTransaction
from results.models import ClickDay, Conversion, TrackedLink

pytestmark = pytest.mark.django_db


def _niches():
    """The taxonomy from the data migration (transactional tests elsewhere may have flushed it)."""
    from creators.models import Niche

    for slug, name in importlib.import_module("creators.migrations.0002_seed_niches").NICHES:
        Niche.objects.get_or_create(slug=slug, defaults={"name": name})


def _counts() -> dict[str, object]:
    return {
        "people": (User.objects.count(), Creator.objects.count(), Brand.objects.count()),
        "campaigns": (Campaign.objects.count(), Application.objects.count()),
        "ledger": LedgerTransaction.objects.count(),
        "results": (ClickDay.objects.count(), Conversion.objects.count()),
    }


@pytest.fixture(scope="module")
def first_seed(django_db_setup, django_db_blocker):
    """The demo seeded once on an empty database (through the command `make run` runs), and the counts then."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _niches()
            call_command("seed_demo", stdout=io.StringIO())
            counts = _counts()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield counts
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def seed_again() -> None:
    demo.seed(log=lambda line: None)


def test_demo_seed_shows_every_state_and_is_idempotent(first_seed):
    assert set(Campaign.objects.values_list("status", flat=True)) == set(C.values)
    assert {A.SUBMITTED, A.SHORTLISTED, A.ACCEPTED, A.DECLINED, A.WITHDRAWN, A.COMPLETED, A.INVITED} <= set(
        Application.objects.values_list("status", flat=True)
    )
    casey = Application.objects.filter(creator__handle="casey")
    assert casey.filter(status=A.ACCEPTED).exists()
    seed_again()
    assert (Campaign.objects.count(), Application.objects.count()) == first_seed["campaigns"]


def test_demo_pitches_fit_their_creators_and_completed_campaigns_are_in_the_past(first_seed):
    """Issue 14 point 10: a pitch names the creator's own niche and a platform they have an account on; a
    completed campaign's deadlines are behind it."""
    pitched = (
        Application.objects.exclude(pitch="")
        .exclude(creator__handle="casey")
        .select_related("creator")
        .prefetch_related("creator__niches", "creator__accounts")
    )
    assert pitched.count() >= 5
    for app in pitched:
        niches = [n.name.lower() for n in app.creator.niches.all()]
        platforms = [a.get_platform_display() for a in app.creator.accounts.all()]
        assert any(n in app.pitch for n in niches), (app.pitch, niches)
        assert any(f"on {p}." in app.pitch for p in platforms), (app.pitch, platforms)
    today = timezone.localdate()
    completed = Campaign.objects.filter(status=C.COMPLETED)
    assert completed.exists()
    for campaign in completed:
        assert campaign.application_deadline < today and campaign.content_due_date < today
    assert today - dt.timedelta(days=400) < completed.first().content_due_date


def test_demo_shows_the_money_states_offline_and_the_ledger_is_clean(first_seed, settings, capsys):
    settings.PAYMENTS_PROVIDER = "offline"
    states = set(Funding.objects.values_list("status", flat=True))
    assert {FundingStatus.HELD, FundingStatus.RELEASED, FundingStatus.PAID_OUT} <= states
    assert Funding.objects.get(application__creator__handle="casey", application__status="accepted").status == "held"
    assert LedgerTransaction.objects.count() == first_seed["ledger"]
    seed_again()
    assert LedgerTransaction.objects.count() == first_seed["ledger"]
    call_command("check_ledger")
    assert capsys.readouterr().out.startswith("ledger OK: ")


def test_demo_hires_have_links_codes_clicks_and_orders_once(first_seed, settings):
    settings.PAYMENTS_PROVIDER = "offline"
    links = TrackedLink.objects.count()
    assert links >= 1
    assert TrackedLink.objects.filter(promo_code="").count() == 0
    assert ClickDay.objects.count() == links * 14
    assert Conversion.objects.count() >= links * 2
    assert (ClickDay.objects.count(), Conversion.objects.count()) == first_seed["results"]
    seed_again()
    assert (ClickDay.objects.count(), Conversion.objects.count()) == first_seed["results"]


@pytest.mark.slow
def test_demo_seed_is_idempotent(first_seed):
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Creator.objects.count(), Brand.objects.count()) == first_seed["people"]
    assert User.objects.get(email="admin@example.com").is_staff


@pytest.mark.slow
def test_demo_admin_can_log_in_to_the_admin(first_seed, client):
    from core.demo_accounts import DEMO_ADMIN_TOTP_SECRET, DEMO_LOGINS, DEMO_PASSWORD, demo_totp_code

    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post("/accounts/login/?next=/admin/", {"login": DEMO_LOGINS["admin"], "password": DEMO_PASSWORD})
    # The demo admin has an authenticator app (secret printed by `make run`): it asks for its code.
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert DEMO_ADMIN_TOTP_SECRET == "JBSWY3DPEHPK3PXPMKTDEMO2"
    response = client.post("/accounts/2fa/authenticate/", {"code": demo_totp_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
