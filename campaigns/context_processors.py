from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def notifications(request):
    """The unread count for the header bell, computed only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
