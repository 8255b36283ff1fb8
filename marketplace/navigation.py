"""Navigation per role, decided in Python so templates only render it (STYLE.md: templates do not decide)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
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


def nav_items_for(user, path: str) -> list[NavItem]:
    if not user.is_authenticated:
        audience = {"anonymous"}
    else:
        audience = {"staff"} if user.is_staff else set()
        if user.role:
            audience.add(user.role)
    items = []
    for label, name, who, *counter in _NAV:
        if not (who & audience):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # the page arrives with a later issue
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
