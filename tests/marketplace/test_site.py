"""Issue 14.1: one source of the site's absolute address and name, used by every email."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

from campaigns.services.notifications import send_emails
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db
PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_with_port_set_and_no_site_url_emails_link_to_that_port(settings, monkeypatch):
    settings.SITE_URL = ""
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("HOST", raising=False)
    user = UserFactory(email="rae@example.com")
    assert send_emails(user_ids=[user.pk], verb="You were shortlisted", url="/applications/7/") == 1
    assert "http://127.0.0.1:8123/applications/7/" in mail.outbox[0].body
    assert ":8000" not in mail.outbox[0].body


def test_a_server_bound_to_every_interface_is_linked_through_loopback(settings, monkeypatch):
    from core.site import absolute_url

    settings.SITE_URL = ""
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9001")
    assert absolute_url("/c/rae/") == "http://127.0.0.1:9001/c/rae/"


def test_site_url_setting_wins(settings, monkeypatch):
    from core.site import absolute_url

    settings.SITE_URL = "https://market.example/"
    monkeypatch.setenv("PORT", "8123")
    assert absolute_url("/c/rae/") == "https://market.example/c/rae/"
    assert absolute_url() == "https://market.example/"


def test_settings_default_follows_port_of_make_run():
    # A fresh process, as `PORT=8123 make run` starts the web server and the worker.
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST")}
    env.update(PORT="8123", DJANGO_SETTINGS_MODULE="marketplace.settings.base")
    code = (
        "import django; from django.conf import settings; from core.site import absolute_url; "
        "print(absolute_url('/dashboard/'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "http://127.0.0.1:8123/dashboard/", out.stderr


def test_the_site_row_names_the_product_after_migrate(settings):
    settings.SITE_URL = "https://market.example"
    call_command("migrate", "marketplace", verbosity=0)  # post_migrate runs on every migrate
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("Creator Marketplace", "market.example")


def test_account_emails_greet_from_the_product_not_example_com(client):
    UserFactory(email="rae@example.com")
    response = client.post("/accounts/password/reset/", {"email": "rae@example.com"})
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "Hello from Creator Marketplace!" in body
    assert "example.com!" not in body
