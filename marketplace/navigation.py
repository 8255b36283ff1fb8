"""Navigation per role, decided in Python so templates only render it (STYLE.md: templates do not decide)."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    counter: str = ""  # a badge the header shows next to the label ("messages": unread messages)


# (label, url name, who sees it[, the badge it carries]). Apps add their pages here as they grow.
_NAV = [
    (_("Dashboard"), "dashboard", {"creator", "brand", "staff"}),
    (_("Creators"), "creators:directory", {"brand", "staff"}),
    (_("Campaigns"), "campaigns:browse", {"creator"}),
    (_("My applications"), "campaigns:my_applications", {"creator"}),
    (_("Messages"), "campaigns:inbox", {"creator"}, "messages"),
    (_("My profile"), "creators:edit", {"creator"}),
    (_("Campaigns"), "campaigns:brand_list", {"brand"}),
    (_("Messages"), "campaigns:inbox", {"brand"}, "messages"),
    (_("My brand"), "brands:edit", {"brand"}),
    (_("Admin"), "admin:index", {"staff"}),
    # Visitors without an account: the public pages (issue 14).
    (_("Creators"), "creators:directory", {"anonymous"}),
    (_("Campaigns"), "campaigns:browse", {"anonymous"}),
]


@lru_cache(maxsize=256)
def _url(name: str, urlconf: str, prefix: str) -> str:
    """The address of a navigation entry, "" when it has none; the same on every request for one URL
    configuration and script prefix, so it is worked out once per process (issue 13: every page paid ~12
    reverse() calls for the header)."""
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:  # the page arrives with a later issue
        return ""


def nav_items_for(user, path: str) -> list[NavItem]:
    if not user.is_authenticated:
        audience = {"anonymous"}
    else:
        audience = {"staff"} if user.is_staff else set()
        if user.role:
            audience.add(user.role)
    items = []
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    for label, name, who, *counter in _NAV:
        if not (who & audience):
            continue
        url = _url(name, urlconf, prefix)
        if not url:
            continue
        items.append(
            NavItem(
                label=str(label),
                url=url,
                active=path.startswith(url) and url != "/",
                counter=counter[0] if counter else "",
            )
        )
    return items


def navigation(request):
    return {"nav_items": nav_items_for(request.user, request.path)}
