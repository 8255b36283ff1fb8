"""Audience demographics from the platforms (issue 11): read only for accounts with a stored token, stored as
shares marked "from the platform"; demo values in the demo; the daily beat queues what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from creators.models import AudienceDemographics
from creators.services import account_demographics_set
from stats.demographics import due_demographics_ids, refresh_demographics
from tests.factories import SocialAccountFactory
from tests.fakes import FakeAccount

pytestmark = pytest.mark.django_db


def connected_instagram(fakes, token: str = "IGQ-owner"):
    fake_account = FakeAccount(id="17841400000000009", handle="dana.cooks", followers=20_000)
    fakes["instagram"].link(token, fake_account)
    fakes["instagram"].demographics[fake_account.id] = {
        "country": {"US": 600, "GB": 200, "DE": 100, "FR": 50, "ES": 30, "IT": 20},
        "age": {"18-24": 300, "25-34": 700},
        "gender": {"F": 650, "M": 300, "U": 50},
    }
    account = SocialAccountFactory(platform="instagram", handle="dana.cooks", external_id=fake_account.id)
    account.access_token = token
    account.save()
    return account


def test_connected_account_gets_platform_shares_and_unconnected_is_not_asked(fakes):
    account = connected_instagram(fakes)
    plain = SocialAccountFactory(platform="instagram", handle="not.connected")
    result = refresh_demographics(account_ids=[account.pk, plain.pk])
    assert (result.stored, result.skipped) == ([account.pk], [plain.pk])
    saved = AudienceDemographics.objects.get(account=account)
    assert saved.source == "platform"
    assert saved.countries == {"US": 60.0, "GB": 20.0, "DE": 10.0, "FR": 5.0, "ES": 3.0}  # top 5 of 1,000
    assert saved.ages == {"18-24": 30.0, "25-34": 70.0}
    assert saved.genders == {"female": 65.0, "male": 30.0, "other": 5.0}
    assert fakes["instagram"].request_count == 3
    assert not AudienceDemographics.objects.filter(account=plain).exists()


def test_rate_limited_is_retried_later(fakes):
    account = connected_instagram(fakes)
    fakes["instagram"].fail("rate_limit", retry_after=30)
    result = refresh_demographics(account_ids=[account.pk])
    assert (result.retry, result.retry_after) == ([account.pk], 30.0)


def test_demo_values_in_the_demo_never_replace_the_creators_own(settings):
    settings.STATS_PROVIDER_DEMO = True
    demo = SocialAccountFactory(platform="tiktok", handle="demo.dana")
    own = SocialAccountFactory(platform="youtube", handle="demo.kit")
    account_demographics_set(account=own, countries={"GB": 80}, ages={}, genders={}, source="self_reported")
    result = refresh_demographics(account_ids=[demo.pk, own.pk])
    assert (result.stored, result.skipped) == ([demo.pk], [own.pk])
    values = AudienceDemographics.objects.get(account=demo)
    assert values.source == "demo" and len(values.countries) == 5
    assert sum(values.countries.values()) <= 100 and sum(values.ages.values()) <= 100
    assert max(values.ages, key=values.ages.get) in ("13-17", "18-24", "25-34")  # TikTok skews young
    assert AudienceDemographics.objects.get(account=own).countries == {"GB": 80.0}


def test_due_every_28_days_for_connected_accounts(fakes):
    now = datetime(2026, 6, 1, tzinfo=UTC)
    fresh = connected_instagram(fakes, "IGQ-a")
    stale = SocialAccountFactory(platform="youtube", handle="stale")
    stale.access_token = "ya29.stale"
    stale.save()
    own = SocialAccountFactory(platform="youtube", handle="own")
    own.access_token = "ya29.own"
    own.save()
    SocialAccountFactory(platform="tiktok", handle="tt")  # no demographics on TikTok, no token
    account_demographics_set(account=fresh, countries={}, ages={}, genders={"female": 50}, source="platform")
    account_demographics_set(account=stale, countries={}, ages={}, genders={"female": 50}, source="platform")
    account_demographics_set(account=own, countries={}, ages={}, genders={"female": 50}, source="self_reported")
    AudienceDemographics.objects.filter(account=fresh).update(updated_at=now - timedelta(days=27))
    AudienceDemographics.objects.filter(account=stale).update(updated_at=now - timedelta(days=29))
    assert due_demographics_ids(now=now) == [stale.pk, own.pk]
    from marketplace.celery import app

    assert app.conf.beat_schedule["stats-schedule-demographics"]["task"] == "stats.tasks.schedule_demographics"


def test_an_expired_youtube_token_is_renewed_before_the_analytics_call(fakes, settings):
    """YouTube's owner tokens last an hour: the pipeline asks creators.tokens for a fresh one (renewed through
    Google's token endpoint, here the local OAuth fake) and reads the Analytics API with it."""
    from django.utils import timezone

    from tests.fakes.oauth import FakeOAuth, Person

    clients = {"google": ("g-id", "g-secret"), "instagram": ("i", "s"), "tiktok": ("t", "s")}
    with FakeOAuth(clients=clients) as oauth:
        settings.OAUTH_ENDPOINT_OVERRIDE = oauth.url
        settings.SOCIALACCOUNT_PROVIDERS = {
            **settings.SOCIALACCOUNT_PROVIDERS,
            "google": {
                **settings.SOCIALACCOUNT_PROVIDERS["google"],
                "APPS": [{"client_id": "g-id", "secret": "g-secret"}],
            },
        }
        oauth.refresh["1//refresh-kept"] = Person("google", "kit", "UCkit0000000000000000001")
        account = SocialAccountFactory(platform="youtube", handle="kit", external_id="UCkit0000000000000000001")
        account.access_token, account.refresh_token = "ya29.expired", "1//refresh-kept"
        account.token_expires_at = timezone.now() - timedelta(minutes=1)
        account.connected_at = timezone.now() - timedelta(days=3)
        account.save()

        def owner_of_new_tokens(request):  # the fake YouTube learns the renewed token once Google issued it
            for token, person in oauth.access.items():
                fakes["youtube"].owner_tokens[token] = person.external_id

        fakes["youtube"].country_rows[account.external_id] = [["US", 700], ["CA", 300]]
        fakes["youtube"].age_gender_rows[account.external_id] = [["age25-34", "female", 100.0]]
        original = fakes["youtube"]._analytics
        fakes["youtube"]._analytics = lambda request: (owner_of_new_tokens(request), original(request))[1]

        result = refresh_demographics(account_ids=[account.pk])

    assert result.stored == [account.pk]
    account.refresh_from_db()
    assert account.access_token != "ya29.expired" and account.access_token.startswith("ya29.")
    assert account.token_expires_at > timezone.now()
    assert oauth.exchanges == [{"provider": "google", "grant_type": "refresh_token"}]
    assert AudienceDemographics.objects.get(account=account).countries == {"US": 70.0, "CA": 30.0}
