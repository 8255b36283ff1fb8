from django.utils.functional import SimpleLazyObject

from .badges import counts_for


def notifications(request):
    """The header's badges (the bell's unread notifications, the Messages link's unread messages): one query
    for both, run only when a template shows them, and kept per user for a few seconds (campaigns.badges drops
    them on every write that changes them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "unread_messages": 0}
    counts = SimpleLazyObject(lambda: counts_for(user))
    return {
        "unread_notifications": SimpleLazyObject(lambda: counts["notifications"]),
        "unread_messages": SimpleLazyObject(lambda: counts["messages"]),
    }
