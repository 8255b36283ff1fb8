"""Live-post metrics (issue 11): marking a deliverable live follows its post (ownership checked against the fake
platforms), and the pipeline refreshes followed posts — idempotent, rate limited, daily to 30 days, weekly to 90."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Deliverable
from stats import post_refresh
from stats.models import Post, PostSnapshot
from tests.campaigns.world import make_creator
from tests.factories import BrandMemberFactory, CampaignFactory, DeliverableSpecFactory, SocialAccountFactory
from tests.fakes import FakeAccount, FakePost

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
CHANNEL = "UC" + "d" * 22
OTHER_CHANNEL = "UC" + "e" * 22


def approved_deliverable(platform: str, handle: str, *, external_id: str = "", token: str = "") -> Deliverable:
    """A hired creator's approved deliverable on ``platform``; the creator's account there is @``handle``."""
    member = BrandMemberFactory()
    creator = make_creator(platform="linkedin")
    account = SocialAccountFactory(creator=creator, platform=platform, handle=handle, external_id=external_id)
    if token:
        account.access_token = token
        account.save()
    campaign = CampaignFactory(brand=member.brand, platforms=[platform])
    DeliverableSpecFactory(campaign=campaign, platform=platform)
    campaign = services.campaign_publish(campaign=campaign, actor=member.user)
    app = services.application_submit(campaign=campaign, creator=creator, actor=creator.user, pitch="Pick me")
    app = services.application_accept(application=app, actor=member.user)
    d = app.deliverables.get()
    services.deliverable_submit(deliverable=d, actor=creator.user, link="https://example.com/draft")
    services.deliverable_approve(deliverable=d, actor=member.user)
    d.refresh_from_db()
    return d


def youtube_channels(fake) -> None:
    fake.add(
        FakeAccount(
            id=CHANNEL,
            handle="dana",
            followers=12_300,
            posts=[FakePost("dQw4w9WgXcQ", T0, likes=2_500, comments=200, views=50_000)],
        )
    )
    fake.add(
        FakeAccount(
            id=OTHER_CHANNEL,
            handle="someone",
            followers=99_000,
            posts=[FakePost("aBcDeFgHiJk", T0, likes=10, comments=1, views=100)],
        )
    )


# -- marking live ---------------------------------------------------------------------------------------------------


def test_a_video_of_another_channel_is_refused_on_the_form_with_the_address_kept(client, fakes):
    youtube_channels(fakes["youtube"])
    d = approved_deliverable("youtube", "dana", external_id=CHANNEL)
    client.force_login(d.application.creator.user)
    typed = "https://www.youtube.com/watch?v=aBcDeFgHiJk"
    response = client.post(reverse("campaigns:deliverable_action", args=[d.pk, "live"]), {f"d{d.pk}-live_url": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This is not a post of your linked YouTube account @dana." in page
    assert f'value="{typed}"' in page
    d.refresh_from_db()
    assert (d.status, d.live_url, d.post_id) == ("approved", "", None)
    assert Post.objects.count() == 0


def test_own_video_is_followed_and_linked(client, fakes):
    youtube_channels(fakes["youtube"])
    d = approved_deliverable("youtube", "dana", external_id=CHANNEL)
    client.force_login(d.application.creator.user)
    typed = "https://youtu.be/dQw4w9WgXcQ?si=share"
    response = client.post(reverse("campaigns:deliverable_action", args=[d.pk, "live"]), {f"d{d.pk}-live_url": typed})
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.live_url) == ("live", typed)
    post = d.post
    assert (post.platform_post_id, post.url, post.published_at) == (
        "dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        T0,
    )
    assert post.account.handle == "dana"
    assert fakes["youtube"].count("/videos") == 1  # the ownership check: one videos.list?part=snippet


def test_the_same_post_twice_is_one_followed_post_and_no_second_check(fakes):
    youtube_channels(fakes["youtube"])
    first = approved_deliverable("youtube", "dana", external_id=CHANNEL)
    services.deliverable_mark_live(
        deliverable=first, actor=first.application.creator.user, url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    from stats.posts import post_resolve

    again = post_resolve(
        creator_id=first.application.creator_id, platform="youtube", url="https://m.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    assert again.post_id == "dQw4w9WgXcQ"
    assert fakes["youtube"].count("/videos") == 1


@pytest.mark.parametrize(
    ("platform", "handle", "url", "message"),
    [
        (
            "tiktok",
            "dana.cooks",
            "https://www.tiktok.com/@someone.else/video/7312345678901234567",
            "This post is by @someone.else, not by your linked TikTok account @dana.cooks.",
        ),
        (
            "instagram",
            "dana.cooks",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "This deliverable is a Instagram post: paste the address of the Instagram post.",
        ),
        (
            "instagram",
            "dana.cooks",
            "https://www.instagram.com/dana.cooks/",
            "Paste the address of the Instagram post itself (instagram.com/p/… or instagram.com/reel/…).",
        ),
    ],
)
def test_refusals_without_asking_the_platform(platform, handle, url, message, fakes):
    d = approved_deliverable(platform, handle)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.deliverable_mark_live(deliverable=d, actor=d.application.creator.user, url=url)
    assert caught.value.message_dict == {"live_url": [message]}
    assert sum(f.request_count for f in fakes.values()) == 0


def test_instagram_post_found_among_the_accounts_media(fakes):
    fakes["instagram"].add(
        FakeAccount(
            id="17841400000000001",
            handle="dana.cooks",
            followers=20_000,
            posts=[FakePost("17900000000000001", T0, likes=1_200, comments=45, shortcode="C9xYz12AbCd")],
        )
    )
    d = approved_deliverable("instagram", "dana.cooks")
    d = services.deliverable_mark_live(
        deliverable=d, actor=d.application.creator.user, url="https://www.instagram.com/reel/C9xYz12AbCd/?igsh=x"
    )
    assert (d.post.platform_post_id, d.post.url) == ("17900000000000001", "https://www.instagram.com/reel/C9xYz12AbCd/")


def test_platform_not_answering_asks_to_try_again(fakes):
    fakes["youtube"].fail("server_error", times=None)
    d = approved_deliverable("youtube", "dana", external_id=CHANNEL)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.deliverable_mark_live(
            deliverable=d, actor=d.application.creator.user, url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        )
    assert caught.value.message_dict == {
        "live_url": ["YouTube did not answer whether this is your post. Try again in a few minutes."]
    }


# -- refreshing -----------------------------------------------------------------------------------------------------


def followed(platform: str, handle: str, post_id: str, *, first_seen: datetime = T0, **account) -> Post:
    acc = SocialAccountFactory(platform=platform, handle=handle, **account)
    return Post.objects.create(
        account=acc, platform_post_id=post_id, url=f"https://example.com/{post_id}", first_seen_at=first_seen
    )


def test_refresh_writes_numbers_and_one_snapshot_per_day(fakes):
    youtube_channels(fakes["youtube"])
    tt_post = FakePost("7312345678901234567", T0, likes=1_200, comments=45, views=25_000, shares=30)
    fakes["tiktok"].link("act.dana", FakeAccount(id="open-dana", handle="dana.tt", followers=1, posts=[tt_post]))
    yt = followed("youtube", "dana", "dQw4w9WgXcQ", external_id=CHANNEL)
    tt = followed("tiktok", "dana.tt", "7312345678901234567")
    tt.account.access_token = "act.dana"
    tt.account.save()

    result = post_refresh.refresh_posts(post_ids=[yt.pk, tt.pk], as_of=T0 + timedelta(hours=1))
    assert sorted(result.refreshed) == sorted([yt.pk, tt.pk])
    assert result.requests == 2  # one videos.list, one video/query
    yt.refresh_from_db()
    assert (yt.views, yt.likes, yt.comments, yt.shares, yt.saves, yt.reach) == (50_000, 2_500, 200, None, None, None)
    tt.refresh_from_db()
    assert (tt.views, tt.likes, tt.comments, tt.shares, tt.published_at) == (25_000, 1_200, 45, 30, T0)

    # Later the same day, with more views: the day's snapshot is rewritten, not added to.
    tt_post.views = 31_000
    post_refresh.refresh_posts(post_ids=[tt.pk], as_of=T0 + timedelta(hours=5))
    assert list(PostSnapshot.objects.filter(post=tt).values_list("period", "views")) == [(T0.date(), 31_000)]
    post_refresh.refresh_posts(post_ids=[tt.pk], as_of=T0 + timedelta(days=1))
    assert PostSnapshot.objects.filter(post=tt).count() == 2


def test_refresh_goes_through_the_shared_limiter_and_defers_when_it_is_full(fakes, settings):
    videos = [FakePost(f"vid{k:08d}", T0, likes=10, comments=1, views=100 + k) for k in range(51)]
    fakes["youtube"].add(FakeAccount(id=CHANNEL, handle="dana", followers=12_300, posts=videos))
    settings.YOUTUBE_REQUESTS_PER_MINUTE = 1
    posts = [followed("youtube", f"chan{k}", f"vid{k:08d}", external_id=CHANNEL) for k in range(51)]
    result = post_refresh.refresh_posts(post_ids=[p.pk for p in posts], as_of=T0, time_budget=0.2)
    # 51 videos: two videos.list calls; the limiter allows one a minute, so the second batch waits for later.
    assert (len(result.refreshed), len(result.deferred)) == (50, 1)
    assert fakes["youtube"].count("/videos") == 1
    assert result.retry_after >= 1.0


def test_failures_back_off_and_a_gone_post_stops(fakes, settings):
    youtube_channels(fakes["youtube"])
    settings.STATS_MAX_CONSECUTIVE_FAILURES = 5
    live = followed("youtube", "dana", "dQw4w9WgXcQ", external_id=CHANNEL)
    gone = followed("youtube", "dana2", "deletedvid1", external_id=CHANNEL)
    result = post_refresh.refresh_posts(post_ids=[live.pk, gone.pk], as_of=T0)
    assert (result.refreshed, result.errored) == ([live.pk], [gone.pk])
    gone.refresh_from_db()
    assert (gone.consecutive_failures, gone.refresh_error) == (5, "youtube: video deletedvid1 is gone")
    fakes["youtube"].fail("server_error", times=None)
    result = post_refresh.refresh_posts(post_ids=[live.pk], as_of=T0 + timedelta(days=1), count_failures=True)
    assert result.failed == [live.pk]
    live.refresh_from_db()
    assert (live.consecutive_failures, live.views) == (1, 50_000)  # the last good numbers stay
    assert post_refresh.due_post_ids(now=T0 + timedelta(days=1, minutes=30)) == []  # backing off, gone stopped
    assert post_refresh.due_post_ids(now=T0 + timedelta(days=1, hours=2)) == [(live.pk, "youtube")]


def test_cadence_daily_to_30_days_then_weekly_to_90_then_never():
    now = datetime(2026, 6, 10, 9, tzinfo=UTC)
    never = followed("youtube", "a", "never", first_seen=now - timedelta(days=100))
    new = followed("youtube", "b", "new", first_seen=now - timedelta(hours=1))
    today_done = followed("youtube", "c", "today", first_seen=now - timedelta(days=3))
    yesterday = followed("youtube", "d", "yesterday", first_seen=now - timedelta(days=3))
    week_old = followed("youtube", "e", "weekold", first_seen=now - timedelta(days=40))
    week_fresh = followed("youtube", "f", "weekfresh", first_seen=now - timedelta(days=40))
    stale_90 = followed("youtube", "g", "stale90", first_seen=now - timedelta(days=89))
    Post.objects.filter(pk=today_done.pk).update(refreshed_at=datetime(2026, 6, 10, 0, 10, tzinfo=UTC))
    Post.objects.filter(pk=yesterday.pk).update(refreshed_at=datetime(2026, 6, 9, 23, 50, tzinfo=UTC))
    Post.objects.filter(pk=week_old.pk).update(refreshed_at=datetime(2026, 6, 3, 23, 0, tzinfo=UTC))
    Post.objects.filter(pk=week_fresh.pk).update(refreshed_at=datetime(2026, 6, 4, 1, 0, tzinfo=UTC))
    Post.objects.filter(pk=stale_90.pk).update(refreshed_at=datetime(2026, 5, 20, tzinfo=UTC))
    Post.objects.filter(pk=never.pk).update(refreshed_at=datetime(2026, 3, 1, tzinfo=UTC))
    due = [pk for pk, _ in post_refresh.due_post_ids(now=now)]
    assert due == [new.pk, stale_90.pk, week_old.pk, yesterday.pk]


def test_beat_queues_due_posts_once(fakes, settings):
    from unittest import mock

    post = followed("youtube", "dana", "dQw4w9WgXcQ")
    with mock.patch("stats.tasks.refresh_posts_task.delay") as delay:
        assert post_refresh.schedule_post_refreshes(now=T0) == 1
        assert post_refresh.schedule_post_refreshes(now=T0) == 0  # already queued
    delay.assert_called_once_with([post.pk])
    from marketplace.celery import app

    entry = app.conf.beat_schedule["stats-schedule-post-refreshes"]
    assert entry["task"] == "stats.tasks.schedule_post_refreshes"


def test_task_retries_failures_and_requeues_deferred(fakes, settings):
    from unittest import mock

    from celery.exceptions import Retry

    from stats.tasks import refresh_posts_task

    youtube_channels(fakes["youtube"])
    post = followed("youtube", "dana", "dQw4w9WgXcQ", external_id=CHANNEL)
    fakes["youtube"].fail("server_error", times=None)
    with mock.patch.object(refresh_posts_task, "retry", side_effect=Retry()) as retry, pytest.raises(Retry):
        refresh_posts_task.run([post.pk])
    assert retry.call_args.kwargs["args"] == [[post.pk]]
    post.refresh_from_db()
    assert post.consecutive_failures == 0  # not the last attempt: the failure is not counted yet
    fakes["youtube"].clear_failures()
    assert refresh_posts_task.run([post.pk])["refreshed"] == 1


def test_demo_backfill_gives_a_decay_curve(settings):
    settings.STATS_PROVIDER_DEMO = True
    post = followed("tiktok", "demo.dana", "7312345678901234567")
    from stats.api import backfill_demo_posts

    assert backfill_demo_posts(post_ids=[post.pk], days=21, now=T0) == 1
    views = list(PostSnapshot.objects.filter(post=post).order_by("period").values_list("views", flat=True))
    assert len(views) == 22
    assert views == sorted(views)
    assert views[3] >= 0.8 * views[-1]  # most of the views in the first days
