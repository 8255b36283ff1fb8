"""The fakes' in-memory accounts, explicit or generated lazily from an id.

Generated accounts exist so a benchmark can ask for 100,000 accounts without
anyone building a dataset: any id/handle/token the fake has not been told
about yields the same plausible account every time (seeded from a hash), and
nothing is stored per account beyond a small LRU cache.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

REFERENCE_TIME = datetime(2026, 6, 1, 12, tzinfo=UTC)


@dataclass
class FakePost:
    id: str
    published_at: datetime
    likes: int | None
    comments: int | None
    views: int | None = None
    shares: int | None = None
    reach: int | None = None  # Instagram Media Insights only
    saves: int | None = None  # Instagram Media Insights only ("saved")
    shortcode: str = ""  # Instagram: the code in the post's address (instagram.com/p/<shortcode>/)


@dataclass
class FakeAccount:
    id: str
    handle: str
    followers: int
    following: int = 0
    posts: list[FakePost] = field(default_factory=list)
    posts_count: int | None = None
    total_views: int = 0
    total_likes: int = 0
    hidden_followers: bool = False  # YouTube hiddenSubscriberCount
    likes_hidden: bool = False  # Instagram: like_count reads 0 through business_discovery

    def __post_init__(self) -> None:
        self.posts.sort(key=lambda p: p.published_at, reverse=True)
        if self.posts_count is None:
            self.posts_count = len(self.posts)


def stable_hex(*parts: object, length: int = 22) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:length]


@lru_cache(maxsize=16384)
def generated_account(platform: str, account_id: str, handle: str, n_posts: int = 30) -> FakeAccount:
    """A deterministic account for ``account_id``; post ids are ``f"{account_id}.{k}"`` so they decode back."""
    rng = random.Random(f"{platform}|{account_id}")
    followers = int(10 ** rng.uniform(2.5, 6.3))
    cadence = timedelta(hours=rng.randint(20, 120))
    posts = []
    for k in range(n_posts):
        views = int(followers * rng.uniform(0.1, 1.5)) + 1
        likes = int(views * rng.uniform(0.02, 0.08))
        posts.append(
            FakePost(
                id=f"{account_id}.{k}",
                published_at=REFERENCE_TIME - cadence * (k + 1),
                likes=likes,
                comments=int(likes * rng.uniform(0.02, 0.08)),
                views=views,
                shares=int(likes * rng.uniform(0.01, 0.1)),
            )
        )
    return FakeAccount(
        id=account_id,
        handle=handle,
        followers=followers,
        following=rng.randint(10, 2000),
        posts=posts,
        posts_count=n_posts + rng.randint(0, 500),
        total_views=sum(p.views or 0 for p in posts) * 3,
        total_likes=sum(p.likes or 0 for p in posts) * 3,
    )
