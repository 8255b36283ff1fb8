"""Following a creator's published post (issue 11): from its address to a ``stats.Post`` whose numbers the pipeline
refreshes (``stats.post_refresh``).

Two steps, so the platform is asked outside any transaction or row lock:

* ``post_resolve(creator_id=, platform=, url=)`` parses the address, picks the creator's linked account of that
  platform (the handle in the address, where the platform puts one, must be the account's) and asks the platform
  that the post belongs to the account (``Provider.find_post``), through the platform's shared rate limiter.
  It raises ``PostRefused`` with a message fit for the form when the post is not one of that account's.
* ``post_follow(resolved)`` creates the ``Post`` (or reuses the one already followed) and queues its first refresh
  after commit; it belongs inside the caller's transaction.

The campaigns app calls both from ``deliverable_mark_live``; dependencies point one way (stats never imports it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creators.models import Platform, SocialAccount

from .config import limiter_for, provider_for
from .models import Post
from .providers.base import AccountGone, AccountRef, NotAccountPost, ProviderError
from .providers.post_urls import NotAPostURL, ParsedPost, parse_post_url

#: Platforms whose posts can be followed (LinkedIn has no statistics API).
FOLLOWED_PLATFORMS = (Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE)
#: How long the creator may wait for a rate-limit slot before being asked to try again.
CHECK_WAIT_SECONDS = 5.0


class PostRefused(Exception):
    """The address is not a followable post of the creator's linked account; ``str()`` is for the creator."""


@dataclass(frozen=True)
class ResolvedPost:
    account_id: int
    post_id: str
    url: str  # the canonical address (one per post, whatever tracking parameters were pasted)
    published_at: datetime | None


def canonical_url(parsed: ParsedPost, handle: str) -> str:
    if parsed.platform == "instagram":
        return f"https://www.instagram.com/{'reel' if parsed.kind == 'reel' else 'p'}/{parsed.post_id}/"
    if parsed.platform == "tiktok":
        return f"https://www.tiktok.com/@{handle}/video/{parsed.post_id}"
    if parsed.kind == "short":
        return f"https://www.youtube.com/shorts/{parsed.post_id}"
    return f"https://www.youtube.com/watch?v={parsed.post_id}"


def _throttled(provider) -> None:
    limiter = limiter_for(provider)
    deadline = time.monotonic() + CHECK_WAIT_SECONDS

    def throttle() -> None:
        if not limiter.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise ProviderError(f"{provider.platform}: no rate-limit slot for the ownership check", retryable=True)

    provider.throttle = throttle


def post_resolve(*, creator_id: int, platform: str, url: str) -> ResolvedPost:
    """The post behind ``url`` on the creator's linked ``platform`` account; raises PostRefused. No writes."""
    label = Platform(platform).label if platform in Platform.values else platform
    try:
        parsed = parse_post_url(url)
    except NotAPostURL as exc:
        raise PostRefused(str(exc)) from None
    if parsed.platform != platform:
        raise PostRefused(
            _("This deliverable is a %(platform)s post: paste the address of the %(platform)s post.")
            % {"platform": label}
        )
    accounts = list(SocialAccount.objects.filter(creator_id=creator_id, platform=platform).order_by("id"))
    if not accounts:
        raise PostRefused(
            _("Link your %(platform)s account first (Profile → Accounts): only its posts can be followed.")
            % {"platform": label}
        )
    handles = ", ".join(f"@{a.handle}" for a in accounts)
    if parsed.handle:
        accounts = [a for a in accounts if a.handle.lstrip("@").lower() == parsed.handle]
        if not accounts:
            raise PostRefused(
                _("This post is by @%(author)s, not by your linked %(platform)s account %(handles)s.")
                % {"author": parsed.handle, "platform": label, "handles": handles}
            )
    known = Post.objects.filter(account__in=accounts, url=canonical_url(parsed, accounts[0].handle)).first()
    if known is not None:
        return ResolvedPost(known.account_id, known.platform_post_id, known.url, known.published_at)
    provider = provider_for(platform)
    _throttled(provider)
    try:
        for account in accounts:
            ref = AccountRef(
                key=str(account.pk),
                handle=account.handle,
                external_id=account.external_id,
                access_token=account.access_token,
            )
            try:
                found = provider.find_post(ref, parsed.post_id)
            except (NotAccountPost, AccountGone):
                continue
            return ResolvedPost(account.pk, found.post_id, canonical_url(parsed, account.handle), found.published_at)
    except ProviderError:
        raise PostRefused(
            _("%(platform)s did not answer whether this is your post. Try again in a few minutes.")
            % {"platform": label}
        ) from None
    finally:
        close = getattr(provider, "close", None)
        if close:
            close()
    raise PostRefused(
        _("This is not a post of your linked %(platform)s account %(handles)s.")
        % {"platform": label, "handles": handles}
    )


def post_follow(resolved: ResolvedPost) -> Post:
    """The followed Post for ``resolved`` (created, or the one already followed); its first refresh after commit."""
    post, created = Post.objects.get_or_create(
        account_id=resolved.account_id,
        platform_post_id=resolved.post_id,
        defaults={"url": resolved.url, "published_at": resolved.published_at, "first_seen_at": timezone.now()},
    )
    if created:
        from .tasks import refresh_posts_task  # tasks wrap the services: imported when first used

        transaction.on_commit(lambda: refresh_posts_task.delay([post.pk]))
    return post
