"""The creator's refresh status and "refresh now" (a few a day), and the admin's refresh status and action."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from creators.models import Platform, RefreshStatus
from stats.errors import StatsError
from stats.flags import flags_resolve
from stats.manual import refresh_now_for_admin, stats_request_refresh
from stats.models import AuthenticityFlag
from stats.queue import clear_queued, mark_queued
from tests.conftest import broker_redis
from tests.factories import CreatorFactory, SocialAccountFactory, UserFactory
from tests.factories.users import login_with_mfa

pytestmark = pytest.mark.django_db

STATUS_URL = reverse("stats:refresh_status")
REFRESH_URL = reverse("stats:refresh_now")


@pytest.fixture
def creator(client):
    creator = CreatorFactory()
    client.force_login(creator.user)
    return creator


@pytest.fixture
def broker():
    client = broker_redis()
    client.delete("celery")
    yield lambda: client.llen("celery")
    client.delete("celery")


@pytest.mark.parametrize("n", [1, 20])
def test_status_fragment_has_a_constant_query_count(client, creator, n, django_assert_num_queries):
    now = timezone.now()
    for k in range(n):
        SocialAccountFactory(
            creator=creator,
            platform=Platform.INSTAGRAM,
            handle=f"acc{k}",
            last_refreshed_at=now,
            refresh_status=RefreshStatus.OK,
            engagement_rate="3.25",
        )
    with django_assert_num_queries(3):  # user (session: cached), creator, accounts
        response = client.get(STATUS_URL, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.count("Up to date") == n and "3.25 %" in html and "Last refreshed" in html


def test_status_page_shows_errors_and_asks_to_relink(client, creator):
    SocialAccountFactory(
        creator=creator,
        handle="broken",
        refresh_status=RefreshStatus.ERROR,
        refresh_error="instagram: code 110: Cannot find User",
    )
    html = client.get(STATUS_URL).content.decode()
    assert "<html" in html and "Needs re-linking" in html and "Cannot find User" in html
    assert "link it again" in html
    assert "Not refreshed yet" in html


def test_refresh_now_queues_and_is_limited_per_day(
    client, creator, settings, broker, django_capture_on_commit_callbacks
):
    settings.STATS_MANUAL_REFRESHES_PER_DAY = 2
    a, b = SocialAccountFactory(creator=creator), SocialAccountFactory(creator=creator, platform=Platform.TIKTOK)
    other = SocialAccountFactory()  # someone else's account is never touched
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH_URL, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Refreshing 2 account(s) now" in html and "1 of 2 left today" in html
    assert broker() == 1
    assert mark_queued([a.id, b.id, other.id]) == [other.id]  # a and b are marked as queued

    clear_queued([a.id, b.id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REFRESH_URL, HTTP_HX_REQUEST="true")
    assert broker() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH_URL)  # without htmx: message and redirect
    assert response.status_code == 302 and broker() == 2
    page = client.get(response["Location"]).content.decode()
    assert "used today" in page and "0 of 2 left today" in page and "disabled" in page


def test_refresh_pages_need_a_creator(client):
    assert client.get(STATUS_URL).status_code == 302  # to login
    client.force_login(UserFactory(role="brand"))
    assert client.get(STATUS_URL).status_code == 404
    assert client.post(REFRESH_URL).status_code == 404
    assert client.get(REFRESH_URL).status_code == 405


def test_admin_lists_refresh_status_and_refreshes_now(client, broker, django_capture_on_commit_callbacks):
    admin = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    login_with_mfa(client, admin)
    accounts = [SocialAccountFactory(refresh_status=RefreshStatus.FAILING, consecutive_failures=2) for _ in range(3)]
    listing = client.get(reverse("admin:creators_socialaccount_changelist"))
    assert listing.status_code == 200 and "⚠ Retrying" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:creators_socialaccount_changelist"),
            {"action": "refresh_now", "_selected_action": [a.id for a in accounts]},
            follow=True,
        )
    assert "Queued a refresh of 3 accounts." in response.content.decode()
    assert broker() == 1


def test_admin_shows_flags_with_numbers_and_resolves_them(client):
    admin = UserFactory(email="staff2@example.com", is_staff=True, is_superuser=True)
    login_with_mfa(client, admin)
    flag = AuthenticityFlag.objects.create(
        account=SocialAccountFactory(),
        code="follower_spike",
        message="Followers grew 30.0 % in 20.0 h without a matching rise in likes.",
        numbers={"growth_percent": 30.0},
        raised_at=timezone.now(),
    )
    detail = client.get(reverse("admin:stats_authenticityflag_change", args=[flag.id])).content.decode()
    assert "&quot;growth_percent&quot;: 30.0" in detail
    client.post(
        reverse("admin:stats_authenticityflag_changelist"), {"action": "resolve", "_selected_action": [flag.id]}
    )
    flag.refresh_from_db()
    assert flag.resolved_by == admin and flag.resolved_at is not None


@pytest.mark.parametrize("n", [1, 20])
def test_admin_lists_have_a_constant_query_count(client, n, django_assert_max_num_queries):
    admin = UserFactory(email=f"staff-q{n}@example.com", is_staff=True, is_superuser=True)
    login_with_mfa(client, admin)
    for k in range(n):
        account = SocialAccountFactory(refresh_status=RefreshStatus.OK)
        AuthenticityFlag.objects.create(
            account=account, code="likes_over_views", message="m", numbers={"posts": k}, raised_at=timezone.now()
        )
    # The same budget for 1 and 20 rows: nothing is fetched per row.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("admin:creators_socialaccount_changelist")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("admin:stats_authenticityflag_changelist")).status_code == 200


def test_only_the_creator_or_staff_may_refresh(broker):
    creator = CreatorFactory()
    SocialAccountFactory(creator=creator)
    stranger = UserFactory(role="creator")
    with pytest.raises(StatsError):
        stats_request_refresh(creator=creator, actor=stranger)
    with pytest.raises(StatsError):
        refresh_now_for_admin(account_ids=[1], actor=creator.user)
    with pytest.raises(StatsError):
        flags_resolve(flag_ids=[1], actor=creator.user)
    assert broker() == 0
