"""Issue 14.8: admins see who waits for vetting (admin home, daily digest); new accounts are told how long it takes."""

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from core.models import VettingDigest
from marketplace.celery import app as celery_app
from tests.factories import BrandFactory, CreatorFactory, UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    for _ in range(3):
        CreatorFactory(status="pending")
    CreatorFactory(status="approved")
    BrandFactory(status="pending")
    BrandFactory(status="approved")


def test_the_admin_home_counts_pending_accounts_and_links_to_them(client, queue, django_assert_max_num_queries):
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    login_with_mfa(client, admin)
    html = client.get(reverse("admin:index")).content.decode()
    queue_html = html[html.index('id="vetting-queue"') :]
    rows = re.findall(
        r'<a href="([^"]+)">([^<]+)</a></th>\s*<td><a href="[^"]+"><strong data-testid="pending-count">'
        r"(\d+)</strong>",
        queue_html,
    )
    assert rows == [
        ("/admin/creators/creator/?status__exact=pending", "Creators waiting for review", "3"),
        ("/admin/brands/brand/?status__exact=pending", "Brands waiting for review", "1"),
    ]
    changelist = client.get("/admin/creators/creator/?status__exact=pending").content.decode()
    assert "3 creators" in changelist


def test_the_daily_digest_goes_to_staff_once_a_day(settings, queue):
    settings.SITE_URL = "https://market.example"
    UserFactory(email="admin@example.com", is_staff=True)
    UserFactory(email="gone@example.com", is_staff=True, is_active=False)
    UserFactory(email="someone@example.com")
    from core.vetting_queue import send_vetting_digest

    assert send_vetting_digest(day=date(2026, 12, 7)) == 1
    assert send_vetting_digest(day=date(2026, 12, 7)) == 0  # a retried or duplicated run sends nothing
    assert [m.to for m in mail.outbox] == [["admin@example.com"]]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "[Creator Marketplace] 4 accounts wait for vetting"
    assert "Creators waiting for review: 3" in body and "Brands waiting for review: 1" in body
    assert "https://market.example/admin/creators/creator/?status__exact=pending" in body
    assert VettingDigest.objects.get().day == date(2026, 12, 7)
    assert send_vetting_digest(day=date(2026, 12, 8)) == 1  # the next day, again


def test_no_digest_when_nobody_waits():
    UserFactory(email="admin@example.com", is_staff=True)
    from core.vetting_queue import send_vetting_digest

    assert send_vetting_digest(day=date(2026, 12, 7)) == 0 and mail.outbox == []


def test_the_digest_is_scheduled_daily():
    entry = celery_app.conf.beat_schedule["marketplace-vetting-digest"]
    assert entry["task"] == "marketplace.tasks.send_vetting_digest"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {0}
    from marketplace.tasks import send_vetting_digest

    assert send_vetting_digest.name == entry["task"]


def test_the_task_sends_the_digest(queue):
    from marketplace.tasks import send_vetting_digest

    UserFactory(email="admin@example.com", is_staff=True)
    assert send_vetting_digest.apply().get() == 1
    assert send_vetting_digest.apply().get() == 0
    assert len(mail.outbox) == 1


def test_a_pending_creator_is_told_the_expected_review_time(client, settings):
    settings.VETTING_EXPECTED_DAYS = 3
    creator = CreatorFactory(status="pending")
    client.force_login(creator.user)
    for url in (reverse("dashboard"), reverse("creators:edit")):
        html = client.get(url).content.decode()
        assert "An admin reviews new accounts, usually within 3 working days." in html, url
    creator.status = "approved"
    creator.save(update_fields=["status"])
    assert "usually within" not in client.get(reverse("dashboard")).content.decode()


def test_a_pending_brand_is_told_the_expected_review_time(client):
    from tests.factories import BrandMemberFactory

    member = BrandMemberFactory(brand__status="pending")
    client.force_login(member.user)
    assert "usually within 2 working days" in client.get(reverse("dashboard")).content.decode()
