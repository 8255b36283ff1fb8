"""The header's badges (unread notifications, unread messages) kept per user (issue 13: every page paid a query).

``selectors.header_counts`` stays the truth; ``counts_for(user)`` keeps its answer in the cache under the user's
id for ``TIMEOUT`` seconds, and every write that changes one of the two numbers drops the entries of the users
it concerns:

- notifications: ``services.notify`` (bulk insert) and ``services.notifications_mark_read`` (bulk update) call
  ``forget``; any other save or delete of a Notification through the ORM is caught by its signals;
- messages: a new or deleted Message drops the thread's creator and its brand's members; read markers
  (``services.thread_mark_read``, an upsert, calls ``forget``; ORM saves by signal); a brand membership added
  or removed changes which threads are the user's.

Entries are dropped when the write happens, not on commit (the suite counts each service's on-commit callbacks):
a reader whose count ran in the instant between a writer's drop and its commit can keep the old number; that,
and a write that reaches none of the above, is bounded by ``TIMEOUT``. The notifications a new message sends
are created after the commit (``notify_on_commit``) and drop the recipients' entries again then. Entries are
per user id: one user's numbers are never another's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

TIMEOUT = 30


def _key(user_id: int) -> str:
    return f"header-counts:{user_id}"


def counts_for(user) -> dict[str, int]:
    from .selectors import header_counts

    counts = cache.get(_key(user.pk))
    if counts is None:
        counts = header_counts(user=user)
        cache.set(_key(user.pk), counts, TIMEOUT)
    return counts


def forget(user_ids: Iterable[int]) -> None:
    """Drop the kept numbers of these users."""
    keys = [_key(uid) for uid in {int(u) for u in user_ids if u is not None}]
    if keys:
        cache.delete_many(keys)


def _thread_users(application_id: int) -> list[int]:
    from brands.models import BrandMember

    from .models import Application

    row = Application.objects.filter(pk=application_id).values("creator__user_id", "campaign__brand_id").first()
    if row is None:
        return []
    members = BrandMember.objects.filter(brand_id=row["campaign__brand_id"]).values_list("user_id", flat=True)
    return [row["creator__user_id"], *members]


def _notification_changed(sender, instance, **kwargs) -> None:
    forget([instance.user_id])


def _message_changed(sender, instance, **kwargs) -> None:
    forget(_thread_users(instance.application_id))


def _user_changed(sender, instance, **kwargs) -> None:
    forget([instance.user_id])


def connect() -> None:
    """From CampaignsConfig.ready()."""
    from brands.models import BrandMember

    from .models import Message, Notification, ThreadReadMarker

    for signal in (post_save, post_delete):
        name = "save" if signal is post_save else "delete"
        signal.connect(_notification_changed, sender=Notification, dispatch_uid=f"badges-notification-{name}")
        signal.connect(_message_changed, sender=Message, dispatch_uid=f"badges-message-{name}")
        signal.connect(_user_changed, sender=ThreadReadMarker, dispatch_uid=f"badges-marker-{name}")
        signal.connect(_user_changed, sender=BrandMember, dispatch_uid=f"badges-member-{name}")
